"""Who the speakers are: named mentions clustered into entities (surnames, spelling variants,
titles and appositions as roles), and pronoun and nominal speakers resolved to those entities.

No coreference model is available, so resolution runs on the parse and the named entities:
a pronoun takes the most salient earlier person (a subject of its own or the previous sentence
named after the last speaker, else the last speaker, else the last subject), except that a
verbless sentence introducing a person right after it names it forward ("…," he wrote. Imran
Hussain, MP for Bradford, …), and a pronoun taking up an unnamed subject stands for what that
noun names ("the president … he"). "He" never stands for a person the text marks as a woman
("Mrs.", "spokeswoman", twice "she" before), nor "she" for a man. Where the text leaves a choice
(another person named as subject or object since, "critics … they", "the endorsements … they",
"the minister" with two ministers, a surname two people share) or the antecedent lies paragraphs
back, the speaker stays unresolved: a statement given to the wrong person is worse than one given
to no one.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from onrecord.model import merge_pieces
from onrecord.nlp import lexicon
from onrecord.nlp.mentions import entity_of, entity_span, is_title_word, mention_span, person_title_split, proper_run, sentence_of, source_span, speaker_form, text_of, title_split

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as SpacySpan, Token

Offsets = tuple[int, int]


@dataclass(frozen=True)
class NameMention:
    """A named person or organisation in the text, with any role the text gives it there."""

    start: int
    end: int
    text: str
    label: str
    roles: tuple[str, ...] = ()
    subject: bool = False  # subject of a verb (salient for pronouns)
    in_quote: bool = False
    kinds: tuple[str, ...] = ()  # what an organisation is ("newspaper", "party"), for "the newspaper said"
    core: bool = False  # subject or object of its sentence's main verb: a rival antecedent for pronouns
    sent_lead: int = 0  # characters from the start of its sentence to the mention
    gender: str | None = None  # "f" or "m" where an honorific or the role says so, else the first name


@dataclass(frozen=True)
class Referent:
    """A pronoun or common-noun speaker and what the text around it offers to resolve it."""

    start: int
    end: int
    text: str
    form: str  # pronoun or nominal
    forward: int | None = None  # start of a person introduced by the next, verbless sentence
    head: str = ""
    blocked: bool = False  # the speaker just before is an unnamed one this pronoun agrees with ("critics ... they")
    reach: int = 0  # characters back to the start of the previous sentence of the same paragraph
    continues: Referent | None = None  # the unnamed subject this pronoun takes up ("the president ... he")
    relative_to: int | None = None  # start of the person whose relative clause holds the pronoun


#: Pronouns resolved to a person that tell their gender when the text gives none otherwise: one resolution
#: can be wrong ("after he admitted under Warren's grilling" given to Warren), so it takes two alike.
PRONOUN_GENDER_EVIDENCE = 2


@dataclass
class Cluster:
    """Mentions of one entity, built up in text order."""

    label: str
    mentions: list[NameMention] = field(default_factory=list)
    extra: list[Offsets] = field(default_factory=list)  # pronoun and nominal mentions
    pronouns: list[str] = field(default_factory=list)  # "he" and "she" resolved to it so far
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        full = [m for m in self.mentions if len(_name_tokens(m.text)) > 1] or self.mentions
        best = max(full, key=lambda m: (len(_name_tokens(m.text)), -m.start))
        return _display_name(best.text)

    @property
    def roles(self) -> list[str]:
        seen: list[str] = []
        for m in self.mentions:
            for r in m.roles:
                if r.lower() not in {s.lower() for s in seen}:
                    seen.append(r)
        return seen

    @property
    def gender(self) -> str | None:
        """The one gender its mentions give ("Mrs. Clinton", "Hillary Clinton"), else the one its resolved
        pronouns give (twice "he" and never "she"); None where they give none or both."""
        key = (len(self.mentions), len(self.pronouns))
        count, gender = self._cache.get("gender", (None, None))
        if count != key:
            found = {m.gender for m in self.mentions} - {None}
            if not found and len(self.pronouns) >= PRONOUN_GENDER_EVIDENCE:  # one may be a wrong resolution
                found = {"m" if p == "he" else "f" for p in self.pronouns}
            gender = found.pop() if len(found) == 1 else None
            self._cache["gender"] = (key, gender)
        return gender

    @property
    def surnames(self) -> set[str]:
        return {toks[-1] for toks in self._names() if toks}

    @property
    def full_names(self) -> list[list[str]]:
        return [list(toks) for toks in self._names() if len(toks) > 1]

    def last_mention(self, before: int, kind: str) -> int | None:
        """Offset of the last mention before ``before`` outside quotations: of any kind, as a subject,
        as a subject of a main clause, as a core argument, or (kind "sentence") the start of the
        sentence of the last mention of any kind."""
        index = self._index()[kind]
        if kind == "sentence":
            n = bisect_left(index, (before,))
            return index[n - 1][1] if n else None
        n = bisect_left(index, before)
        return index[n - 1] if n else None

    def _index(self) -> dict[str, list]:
        """Sorted mention offsets by kind, rebuilt only when mentions were added."""
        count, index = self._cache.get("index", (-1, {}))
        if count != len(self.mentions):
            ms = [m for m in self.mentions if not m.in_quote]
            index = {
                "any": sorted(m.start for m in ms),
                "subject": sorted(m.start for m in ms if m.subject),
                "main_subject": sorted(m.start for m in ms if m.subject and m.core),
                "core": sorted(m.start for m in ms if m.core),
                "sentence": sorted((m.start, m.start - m.sent_lead) for m in self.mentions),
            }
            self._cache["index"] = (len(self.mentions), index)
        return index

    def _names(self) -> list[tuple[str, ...]]:
        """The distinct name-token sequences of the mentions, kept up to date as mentions are
        appended (a long article mentions one person thousands of times)."""
        seen, names, counted = self._cache.setdefault("names", (set(), [], 0))
        for m in self.mentions[counted:]:
            if m.text not in seen:
                seen.add(m.text)
                names.append(tuple(_name_tokens(m.text)))
        self._cache["names"] = (seen, names, len(self.mentions))
        return names


# --- mentions ----------------------------------------------------------------------------------


def find_name_mentions(doc: Doc, in_quote: set[int]) -> list[NameMention]:
    """Every PERSON and ORG entity, with the role its title or apposition gives it."""
    out = []
    spans = [_person_by_role(e) for e in doc.ents] + _titled_names(doc) + _kind_named_orgs(doc)
    spans += _surname_subjects(doc, spans)
    for ent in sorted(spans, key=lambda e: e.start):
        if ent.label_ not in lexicon.ENTITY_LABELS or _inside_title(ent):
            continue
        span = _clean_entity(ent)
        if span is None:
            continue
        start, end = span
        text = text_of(doc)[start:end]
        if not _name_tokens(text) or _fold(text) in lexicon.MEDIUM_PLATFORMS:
            continue  # "Twitter" is where something was said, not who said it
        if ent.label_ == "PERSON" and _fold(text) in lexicon.PARTY_MEMBERS:
            continue  # "The South Carolina Republican" is one member of a party, not a name
        root = ent.root
        roles = tuple(_roles(ent)) if ent.label_ == "PERSON" else ()
        out.append(
            NameMention(
                start, end, text, ent.label_, roles,
                subject=root.dep_ in ("nsubj", "nsubjpass") or any(c.dep_ == "appos" for c in root.children)
                or (ent.label_ == "PERSON" and root.dep_ == "poss" and root.head.dep_ in ("nsubj", "nsubjpass")),
                in_quote=root.idx in in_quote,
                kinds=tuple(_org_kinds(ent)) if ent.label_ == "ORG" else (),
                core=_core_argument(root),
                sent_lead=start - sentence_of(root).start_char,
                gender=_gender(text_of(doc)[max(0, start - 6) : start], roles, text) if ent.label_ == "PERSON" else None,
            )
        )
    return out


def _person_by_role(ent: SpacySpan) -> SpacySpan:
    """A short name tagged as an organisation that an apposition gives a person's role ("Fiorina, the former
    Hewlett-Packard CEO,") as a person; any other entity as it is."""
    from spacy.tokens import Span

    if ent.label_ != "ORG" or len(ent) > 2 or ent[0].pos_ != "PROPN":
        return ent
    for c in ent.root.children:
        if c.dep_ == "appos" and c.i > ent.root.i and c.tag_ in ("NN", "NNP") and not c.ent_type_ and _role_phrase(c):
            return Span(ent.doc, ent.start, ent.end, label="PERSON")
    return ent


def _gender(before: str, roles: tuple[str, ...], name: str) -> str | None:
    """The gender an honorific right before a name or a word of its roles gives, None where both do;
    where neither does, the gender of its first name ("Hillary Clinton"; a surname alone tells none)."""
    words = before.split()[-1:] + [w for r in roles for w in r.replace(",", " ").split()]
    found = {lexicon.GENDER_WORDS.get(w.lower()) for w in words} - {None}
    if found:
        return found.pop() if len(found) == 1 else None
    tokens = _name_tokens(name)
    return lexicon.first_name_genders().get(tokens[0].lower()) if len(tokens) > 1 else None


def _core_argument(root: Token) -> bool:
    """Subject or object of the sentence's main verb ("Gomez told Reed", "Biden met with Macron")."""
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in ("with", "to") and head.dep_ in ("prep", "dative"):
        return head.head.dep_ == "ROOT"
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "iobj") and head.dep_ == "ROOT"


def _org_kinds(ent: SpacySpan) -> set[str]:
    """What the text says an organisation is: a kind word in its name (Labour Party, Daily Herald)
    or a kind noun it modifies or stands in apposition with (the Herald newspaper; Acme, an oil company)."""
    kinds = {_kind_word(t.lower_) for t in ent} - {None}
    root = ent.root
    nouns = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ in ("compound", "appos") and root.head.pos_ == "NOUN":
        nouns.append(root.head)
    kinds |= {_kind_word(n.lemma_.lower()) for n in nouns if n.lemma_.lower() in lexicon.ORG_NOUNS}
    return {k for k in kinds if k}


def _kind_word(word: str) -> str | None:
    """The organisation kind a word names, through the name-word and synonym lexicons."""
    word = lexicon.ORG_NAME_KINDS.get(word, word)
    word = lexicon.ORG_NOUN_SYNONYMS.get(word, word)
    return word if word in lexicon.ORG_NOUNS else None


def _titled_names(doc: Doc) -> list[SpacySpan]:
    """Proper nouns after a title that the entity recogniser missed ("Finance Minister Ana Ruiz"),
    as PERSON spans: a title followed by a capitalised name is a person."""
    from spacy.tokens import Span

    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_iob_ != "O" or (tok.dep_ == "compound" and tok.head.i == tok.i + 1):
            continue
        run = proper_run(tok)
        split = title_split(run)
        if split == 0 or any(t.ent_iob_ != "O" or is_title_word(t) or not t.text[:1].isupper() for t in run[split:]):
            continue
        out.append(Span(doc, run[0].i, tok.i + 1, label="PERSON"))
    return out


def _surname_subjects(doc: Doc, spans: list[SpacySpan]) -> list[SpacySpan]:
    """A capitalised subject the entity recogniser missed or mislabelled ("Zelenskyy thanked …", read
    as a place) that is the surname of a person named in the text, as a PERSON span."""
    from spacy.tokens import Span

    surnames = {_name_tokens(e.text)[-1] for e in spans if e.label_ == "PERSON" and len(_name_tokens(e.text)) > 1}
    taken = {i for e in spans if e.label_ in lexicon.ENTITY_LABELS for i in range(e.start, e.end)}
    taken |= {i for e in doc.ents if len(e) > 1 for i in range(e.start, e.end)}  # "South Korea" after "N. Korea"
    out = []
    for tok in doc:
        if tok.i in taken or tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ not in ("PROPN", "NOUN") or not tok.text[:1].isupper():
            continue
        if any(c.dep_ == "compound" for c in tok.children):
            continue
        word = _fold(tok.text)
        if any(_similar(word, s) for s in surnames):
            out.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    return out


def _kind_named_orgs(doc: Doc) -> list[SpacySpan]:
    """Proper-noun names the entity recogniser missed whose words say they are an organisation
    ("The Daily Telegraph", "the Green Party"), as ORG spans."""
    from spacy.tokens import Span

    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_iob_ != "O" or (tok.dep_ == "compound" and tok.head.i == tok.i + 1):
            continue
        run = proper_run(tok)
        if not tok.text[:1].isupper() or any(t.ent_iob_ != "O" for t in run) or not any(t.lower_ in lexicon.ORG_NAME_KINDS for t in run):
            continue
        out.append(Span(doc, run[0].i, tok.i + 1, label="ORG"))
    return out


def _inside_title(ent: SpacySpan) -> bool:
    """An organisation named inside a person's title ("Defence" in "Defence Secretary Ben Wallace")."""
    if ent.label_ != "ORG" or ent.root.dep_ != "compound":
        return False
    cur = ent.root
    for _ in range(4):
        if cur.dep_ != "compound" or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.ent_type_ == "PERSON" or (cur.pos_ == "PROPN" and any(is_title_word(t) for t in cur.lefts)):
            return True
    return False


def _clean_entity(ent: SpacySpan) -> Offsets | None:
    """The bare name of an entity: without article, title, possessive or punctuation."""
    return entity_span(ent)


def _roles(ent: SpacySpan) -> list[str]:
    """Titles before the name (British Foreign Secretary James Cleverley) and appositions after it
    (Imran Hussain, MP for Bradford), when their head is a role word."""
    roles = []
    title = _title_before(ent)
    if title:
        roles.append(title)
    root = ent.root
    for c in root.children:
        if c.dep_ == "appos" and c.i > root.i and c.pos_ in ("NOUN", "PROPN") and not c.ent_type_ == "PERSON":
            role = _role_phrase(c)
            if role:
                roles.append(role)
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i < ent.start and not root.head.ent_type_:
        role = _role_phrase(root.head)
        if role:
            roles.append(role)
    return roles


def _title_before(ent: SpacySpan) -> str | None:
    doc = ent.doc
    i = ent.start + person_title_split(ent) - 1  # a title may sit inside the entity ("Pope Francis")
    root = ent.root
    toks: list[Token] = []
    while i >= 0:
        t = doc[i]
        if t.is_punct or t.is_space or t.dep_ in ("det", "poss", "case") or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        if not _governed_by(t, root, ent):
            break
        toks.insert(0, t)
        i -= 1
    while toks and toks[0].lower_ in lexicon.HONORIFICS and toks[0].lower_ not in lexicon.ROLE_WORDS:
        toks = toks[1:]
    if not toks or not any(t.lower_ in lexicon.ROLE_WORDS for t in toks):
        return None
    return text_of(doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _governed_by(t: Token, root: Token, ent: SpacySpan) -> bool:
    cur = t
    for _ in range(6):
        if cur.i == root.i or ent.start <= cur.i < ent.end:
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _role_phrase(head: Token) -> str | None:
    """The head noun with its modifiers and one 'of/for/at' complement (MP for Bradford)."""
    if head.lower_ not in lexicon.ROLE_WORDS and head.lemma_.lower() not in lexicon.ROLE_WORDS:
        return None
    lefts = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "poss") and not c.is_punct]
    start = min([c.left_edge for c in lefts], key=lambda t: t.i) if lefts else head
    while start.i < head.i and (start.dep_ == "det" or (start.dep_ == "poss" and start.pos_ == "PRON")):
        start = head.doc[start.i + 1]
    end = head
    prep = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "to")), None)
    if prep is not None:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            end = pobj
            inner = next((c for c in pobj.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
            if inner is not None:
                inner_obj = next((c for c in inner.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
                if inner_obj is not None:
                    end = inner_obj
    text = text_of(head.doc)[start.idx : end.idx + len(end.text)]
    return text.strip(" ,.;:") or None


def find_referents(doc: Doc, speaker_tokens: list[int]) -> dict[int, Referent]:
    """For each pronoun or common-noun speaker token, what its context offers to resolve it."""
    out = {}
    ordered = sorted(set(speaker_tokens))
    for i in speaker_tokens:
        tok = doc[i]
        form = speaker_form(tok)
        if form == "name" or (tok.ent_type_ and form == "nominal"):
            continue
        # keyed by the start of the statement's speaker mention (its whole noun phrase); the text
        # is the bare mention that resolution reads ("the minister", not its relative clause)
        start, end = source_span(tok)
        core = mention_span(tok)
        start = min(start, core[0])
        n = bisect_left(ordered, i)
        blocked = form == "pronoun" and (
            (n > 0 and _unnamed_antecedent(doc[ordered[n - 1]], tok)) or _unnamed_clause_subject(tok)
        )
        subject = _continued_subject(tok) if form == "pronoun" else None
        out[i] = Referent(
            start, end, text_of(doc)[core[0]:core[1]], form, _forward_person(tok), tok.lemma_.lower(), blocked, _reach(tok),
            _nominal(subject) if subject is not None else None, _relative_clause_person(tok) if form == "pronoun" else None,
        )
    return out


def _relative_clause_person(pron: Token) -> int | None:
    """Where a subject pronoun lies inside the relative clause of a named person ("Bernie Sanders, who
    did not like provisions that he thought would displace workers"), the start of that name; None
    when another person is named between the two."""
    if pron.dep_ not in ("nsubj", "nsubjpass") or pron.lower_ not in lexicon.PERSON_PRONOUNS:
        return None
    tok = pron.head
    while tok.head.i != tok.i:
        if tok.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WP" for c in tok.children):
            name = tok.head
            if name.ent_type_ != "PERSON" or any(t.ent_type_ == "PERSON" for t in pron.doc[name.i + 1 : pron.i]):
                return None
            ent = entity_of(name)
            span = _clean_entity(ent) if ent is not None else None
            return span[0] if span else None
        tok = tok.head
    return None


def _nominal(tok: Token) -> Referent:
    """A common-noun mention as resolve_nominal reads it."""
    start, end = mention_span(tok)
    return Referent(start, end, text_of(tok.doc)[start:end], speaker_form(tok), head=tok.lemma_.lower())


def _continued_subject(pron: Token) -> Token | None:
    """The unnamed noun the pronoun takes up: the subject of its sentence's main clause, or failing one
    before it, of the previous sentence in the paragraph, when that subject is a common noun the pronoun
    agrees with ("the endorsements ... They", "the president ... he"). A subject is the likeliest antecedent."""
    sent = sentence_of(pron)
    subject = _main_subject(sent)
    if (subject is None or subject.i >= pron.i) and sent.start > 0:
        prev = sentence_of(pron.doc[sent.start - 1])
        same_paragraph = "\n" not in text_of(pron.doc)[prev.end_char : sent.start_char]
        subject = _main_subject(prev) if same_paragraph else None
    if subject is None or subject.i >= pron.i:
        return None
    plural = subject.tag_ in ("NNS", "NNPS")
    if not (subject.pos_ == "NOUN" and not subject.ent_type_ or subject.ent_type_ == "NORP" and plural):
        return None  # a name is resolved as a name; "Republicans" is a group no entity stands for
    person = subject.lemma_.lower() in lexicon.ROLE_WORDS
    pron_lower = pron.lower_
    if pron_lower == "they":
        agrees = plural
    elif pron_lower == "it":
        agrees = not plural and not person
    else:
        agrees = pron_lower in lexicon.PERSON_PRONOUNS and not plural and person
    return subject if agrees else None


def _main_subject(sent: SpacySpan) -> Token | None:
    """The subject of a sentence's main verb, if it has one."""
    return next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _reach(tok: Token) -> int:
    """How far back (in characters) the pronoun's own paragraph reaches: to the start of the sentence
    before its own when that sentence is in the same paragraph, else to its own sentence's start."""
    sent = sentence_of(tok)
    start = sent.start_char
    if sent.start > 0:
        prev = sentence_of(tok.doc[sent.start - 1])
        if "\n" not in text_of(tok.doc)[prev.start_char : sent.start_char]:
            start = prev.start_char
    return tok.idx - start


def _unnamed_antecedent(prev: Token, pron: Token) -> bool:
    """The previous speaker is an unnamed group or person ("critics", "a party MP") that the pronoun
    agrees with in number, or several people at once ("Mr. Grassley and Mr. Leahy ... they"), within two
    sentences: the pronoun most likely stands for it, and no single entity does."""
    if not (_unnamed_agreeing(prev, pron) or pron.lower_ == "they" and speaker_form(prev) == "group"):
        return False
    own = sentence_of(pron).start
    sents = {own}
    if own > 0:
        sents.add(sentence_of(pron.doc[own - 1]).start)
    return sentence_of(prev).start in sents


def _unnamed_agreeing(noun: Token, pron: Token) -> bool:
    """An unnamed, indefinite group or person ("critics", "a party MP") that the pronoun agrees with in number."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.ent_type_ or speaker_form(noun) == "name":
        return False
    if any(c.dep_ == "det" and c.lower_ in lexicon.DEFINITE_DETERMINERS for c in noun.lefts):
        return False  # "the minister" can be resolved; let the nominal rule decide
    plural = noun.tag_ in ("NNS", "NNPS")
    return (pron.lower_ in lexicon.GROUP_PRONOUNS and pron.lower_ != "it") == plural


def _unnamed_clause_subject(pron: Token) -> bool:
    """The pronoun is the subject of a clause hanging below a clause whose subject is an unnamed person
    or group: "A party MP has resigned because he disagrees ..." (he is the MP, not the last name)."""
    if pron.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = pron.head
    while verb.dep_ in _EMBEDDED_CLAUSES and verb.head is not verb:
        verb = verb.head
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return _unnamed_agreeing(subject, pron)
    return False


_EMBEDDED_CLAUSES = frozenset({"advcl", "ccomp", "conj", "xcomp"})


def _forward_person(tok: Token) -> int | None:
    """A person introduced by the sentence right after, when that sentence has no verb of its own."""
    sent = sentence_of(tok)
    doc = tok.doc
    nxt = sent.end
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    if nxt >= len(doc):
        return None
    following = sentence_of(doc[nxt])
    root = following.root
    if root.pos_ not in ("PROPN", "NOUN") or root.ent_type_ != "PERSON":
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT",) for t in following):
        return None
    for ent in following.ents:
        if ent.label_ == "PERSON" and ent.start <= root.i < ent.end:
            span = _clean_entity(ent)
            return span[0] if span else None
    return None


# --- clustering --------------------------------------------------------------------------------


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def _name_tokens(text: str) -> list[str]:
    toks = [t.strip(".,’'\"") for t in _fold(text).replace("’s", "").replace("'s", "").split()]
    toks = [t for t in toks if t and t not in ("the",)]
    while toks and (toks[0] in lexicon.HONORIFICS or toks[0].rstrip(".") in lexicon.HONORIFICS):
        toks = toks[1:]
    return toks


def _display_name(text: str) -> str:
    words = text.replace("’s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in {h.rstrip(".") for h in lexicon.HONORIFICS}:
        words = words[1:]
    return " ".join(words)


def _similar(a: str, b: str) -> bool:
    """Equal, or a small spelling variant of a name long enough to tell (Cleverley / Cleverly)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.88


def _org_key(text: str) -> list[str]:
    toks = _name_tokens(text)
    generic = {"party", "inc", "inc.", "corp", "corp.", "ltd", "ltd.", "plc", "co", "co.", "llc", "group"}
    core = [t for t in toks if t not in generic]
    return core or toks


def _acronym(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t and t not in ("of", "and", "for", "the"))


def cluster_mentions(mentions: list[NameMention]) -> list[Cluster]:
    """Group name mentions into entities in text order; a surname joins the most recent full name it
    fits, and two full names that differ in a first name stay apart."""
    clusters: list[Cluster] = []
    for m in sorted(mentions, key=lambda m: m.start):
        target = match_person(m, clusters) if m.label == "PERSON" else _match_org(m, clusters) or _surname_as_org(m, clusters)
        if target is None:
            target = Cluster(m.label)
            clusters.append(target)
        target.mentions.append(m)
    return clusters


def match_person(m: NameMention, clusters: list[Cluster]) -> Cluster | None:
    """The earlier person a name mention refers to: same or variant full name, or a fitting surname."""
    toks = _name_tokens(m.text)
    people = [c for c in clusters if c.label == "PERSON"]
    if len(toks) == 1:
        fits = [c for c in people if any(_similar(toks[0], s) for s in c.surnames)]
        if len([c for c in fits if c.full_names]) > 1:
            # two people share the surname (Hillary and Bill Clinton): the bare surname names neither
            return next((c for c in fits if not c.full_names), None)
        if not fits:
            fits = [c for c in people if any(len(f) > 1 and f[0] == toks[0] for f in c.full_names)]
        return max(fits, key=lambda c: c.mentions[-1].start) if fits else None
    for c in reversed(people):
        for f in c.full_names:
            if len(f) >= 2 and _similar(f[-1], toks[-1]) and (f[0] == toks[0] or (_similar(f[0], toks[0]) and len(f[0]) > 3)):
                return c
    for c in reversed(people):
        if not c.full_names and any(_similar(toks[-1], s) for s in c.surnames):
            return c  # a surname seen first, now named in full
    return None


def _surname_as_org(m: NameMention, clusters: list[Cluster]) -> Cluster | None:
    """A one-word 'organisation' that is a known person's surname or its variant (Zelenskyy after
    Volodymyr Zelensky) is that person, mislabelled by the entity recogniser."""
    toks = _name_tokens(m.text)
    if len(toks) != 1 or m.text.isupper():
        return None
    fits = [c for c in clusters if c.label == "PERSON" and c.full_names and any(_similar(toks[0], s) for s in c.surnames)]
    return fits[-1] if len(fits) == 1 else None


def _match_org(m: NameMention, clusters: list[Cluster]) -> Cluster | None:
    key = _org_key(m.text)
    for c in reversed([c for c in clusters if c.label == "ORG"]):
        for other in c.mentions:
            okey = _org_key(other.text)
            if len(key) == len(okey) and all(_similar(a, b) for a, b in zip(key, okey)):
                return c
            if len(key) == 1 and len(okey) > 2 and key[0] == _acronym(okey):
                return c
            if len(okey) == 1 and len(key) > 2 and okey[0] == _acronym(key):
                return c
    return None


# --- resolution --------------------------------------------------------------------------------


def resolve_pronoun(
    ref: Referent,
    clusters: list[Cluster],
    previous_speakers: list[tuple[int, Cluster]],
    exclude: set[int],
    narrated: Callable[[int, int], int] | None = None,
) -> Cluster | None:
    """The entity a pronoun speaker stands for, or None where the text does not tell.

    ``previous_speakers`` holds (offset, entity) of statements before it; ``exclude`` holds ids of
    entities that cannot be the speaker (the statement's addressee); ``narrated(a, b)`` counts the
    characters between two offsets outside what statements say (default: all of them)."""
    pron = ref.text.lower()
    if pron not in lexicon.PERSON_PRONOUNS and pron not in lexicon.GROUP_PRONOUNS:
        return None  # "I", "we", "some", "who": nothing to resolve them to
    if ref.blocked:
        return None  # it stands for the unnamed speaker just before ("critics ... they")
    if ref.relative_to is not None:  # "Sanders, who ... provisions that he thought ...": Sanders
        c = _cluster_at(clusters, ref.relative_to)
        if c is not None and id(c) not in exclude:
            return c
    if ref.continues is not None:  # "the president ... he", "the endorsements ... they": whom the noun names
        named = resolve_nominal(ref.continues, clusters, ref.start)
        if named is not None or pron not in lexicon.PERSON_PRONOUNS:
            return named  # a thing or a group no entity stands for: no one
    if pron not in lexicon.PERSON_PRONOUNS:
        return _choose(ref, clusters, previous_speakers, exclude, narrated, "ORG")
    gender = "f" if pron == "she" else "m"  # never "he" for "Mrs. Clinton" or "Hillary Clinton"
    unfit = exclude | {id(c) for c in clusters if c.label == "PERSON" and c.gender not in (None, gender)}
    choice = _choose(ref, clusters, previous_speakers, unfit, narrated, "PERSON")
    if choice is None or choice.gender == gender:
        return choice
    # The likeliest antecedent was of the other gender: one of unknown gender in its place is a guess.
    return choice if choice is _choose(ref, clusters, previous_speakers, exclude, narrated, "PERSON") else None


def _choose(
    ref: Referent, clusters: list[Cluster], previous_speakers: list[tuple[int, Cluster]], exclude: set[int],
    narrated: Callable[[int, int], int] | None, wanted: str,
) -> Cluster | None:
    """The antecedent of the wanted type, none of ``exclude``: a person the next sentence introduces,
    else the most salient one, unless another rivals it or it was named beyond a pronoun's reach."""
    if ref.forward is not None:
        c = _cluster_at(clusters, ref.forward)
        if c is not None and id(c) not in exclude:
            return c
    choice = _antecedent(ref, clusters, previous_speakers, exclude, wanted)
    if choice is None or _rivalled(choice, ref, clusters, exclude) or _out_of_reach(choice, ref, previous_speakers, narrated):
        return None
    return choice


#: A pronoun's antecedent was named, or spoke, at most this many characters of narration before it
#: (what statements say does not count: a long quotation keeps its speaker in reach). On PolNeAR dev
#: and Wikinews every resolution reaching further (9 of 292, the nearest 793 characters back) was wrong:
#: "it" for a debate commission last named 5,000 characters and eight sections earlier.
PRONOUN_REACH_CHARS = 750


def _out_of_reach(
    choice: Cluster, ref: Referent, previous_speakers: list[tuple[int, Cluster]], narrated: Callable[[int, int], int] | None
) -> bool:
    """Whether the chosen entity was last named, or last spoke, farther back than a pronoun reaches."""
    named = choice.last_mention(ref.start, "any")
    spoke = _last_speaker(previous_speakers, ref.start, {id(choice)})
    last = max([o for o in (named, spoke[0] if spoke else None) if o is not None], default=None)
    if last is None:
        return True
    return (narrated(last, ref.start) if narrated else ref.start - last) > PRONOUN_REACH_CHARS


def narration_counter(said: list[Offsets]) -> Callable[[int, int], int]:
    """``narrated(a, b)``: the characters from a to b outside the pieces said (statements' contents)."""
    merged = merge_pieces(said)
    starts = [a for a, _ in merged]
    before = [0]  # said characters before each merged piece
    for a, b in merged:
        before.append(before[-1] + b - a)

    def said_before(x: int) -> int:
        n = bisect_left(starts, x)  # pieces starting before x
        if n and merged[n - 1][1] > x:
            return before[n - 1] + x - merged[n - 1][0]
        return before[n]

    return lambda a, b: (b - a) - (said_before(b) - said_before(a))


def _antecedent(
    ref: Referent, clusters: list[Cluster], previous_speakers: list[tuple[int, Cluster]], exclude: set[int], wanted: str
) -> Cluster | None:
    """The most salient earlier entity of the wanted type: a subject of the pronoun's own or previous
    sentence named after the last speaker, else the last speaker within reach, else the last subject."""
    fits = [c for c in clusters if id(c) not in exclude and c.label == wanted]
    ids = {id(c) for c in fits}
    speaker = _last_speaker(previous_speakers, ref.start, ids)
    any_speaker = _last_speaker(previous_speakers, ref.start, None)
    recent = _latest(fits, ref.start, "main_subject")
    if recent is not None and recent[0] >= ref.start - ref.reach and (any_speaker is None or any_speaker[0] < recent[0]):
        return recent[1]  # "Zelenskyy thanked Germany. “…,” he said."
    any_mention = _latest(fits, ref.start, "any")
    subject = _latest(fits, ref.start, "subject")
    if speaker is not None:
        last = max([t for t in (any_mention, speaker) if t is not None], key=lambda t: t[0])
        last_is_bare = any_mention is not None and last is any_mention and (subject is None or subject[0] < last[0])
        if last[1] is speaker[1] or ref.start - speaker[0] < 400 or last_is_bare:
            return speaker[1]
    best = max([t for t in (subject, speaker) if t is not None], key=lambda t: t[0], default=None)
    return best[1] if best is not None else None


def _last_speaker(previous: list[tuple[int, Cluster]], before: int, ids: set[int] | None) -> tuple[int, Cluster] | None:
    """The previous speaker mentioned last before ``before`` (of the entities in ``ids`` if given).
    Statements come in text order, so only the most recent few can hold it."""
    hits = []
    for off, c in reversed(previous):
        if off < before and (ids is None or id(c) in ids):
            hits.append((off, c))
            if len(hits) == 16:
                break
    return max(hits, key=lambda t: t[0]) if hits else None


def _latest(clusters: list[Cluster], before: int, kind: str) -> tuple[int, Cluster] | None:
    """The (offset, entity) of the last mention of that kind before ``before`` among the clusters."""
    found = [(off, c) for c in clusters if (off := c.last_mention(before, kind)) is not None]
    return max(found, key=lambda t: t[0]) if found else None


def _rivalled(choice: Cluster, ref: Referent, clusters: list[Cluster], exclude: set[int]) -> bool:
    """Another entity of the same type stood as subject or object of a main clause since the chosen
    one was last named ("Gomez told Reed that … He said …"): the pronoun could be either."""
    named = choice.last_mention(ref.start, "sentence")
    if named is None:
        return False
    others = [c for c in clusters if c is not choice and id(c) not in exclude and c.label == choice.label]
    core = _latest(others, ref.start, "core")
    return core is not None and core[0] >= named


def resolve_nominal(ref: Referent, clusters: list[Cluster], before: int) -> Cluster | None:
    """'the minister', 'the newspaper': the single earlier entity whose role or kind the noun names;
    a role named in full ("the prime minister") wins over one that only shares its head noun."""
    words = _fold(ref.text).split()
    if ref.form == "group" or not words or words[0] not in lexicon.DEFINITE_DETERMINERS:
        return None  # "a party MP", "some", "critics", "her lawyer": not enough to name anyone
    words = words[1:]
    head = ref.head
    full, partial = [], []
    for c in clusters:
        earlier = [m for m in c.mentions if m.start < before]
        roles = [_fold(r).split() for m in earlier for r in m.roles]
        kinds = {k for m in earlier for k in m.kinds}
        if c.label == "PERSON":
            if any(r[-len(words):] == words for r in roles if len(r) >= len(words) > 1):
                full.append(c)
            if any(_role_head(r) == head for r in roles):
                partial.append(c)
        elif c.label == "ORG" and _kind_word(head) is not None and _kind_word(head) in kinds:
            partial.append(c)
    for fits in (full, partial):
        if len(fits) == 1:
            return fits[0]
    return None


_ROLE_PREPOSITIONS = frozenset("of for at in to from".split())


def _role_head(words: list[str]) -> str | None:
    """The noun a role is about: "minister" in "foreign minister" and "minister of finance", "member"
    (not "team") in "team member", "mp" in "mp for bradford"."""
    before = next((words[:i] for i, w in enumerate(words) if w in _ROLE_PREPOSITIONS), words)
    return before[-1] if before else None


def _cluster_at(clusters: list[Cluster], start: int) -> Cluster | None:
    for c in clusters:
        if any(m.start == start for m in c.mentions):
            return c
    return None


def cluster_of_span(clusters: list[Cluster], start: int, end: int) -> Cluster | None:
    """The entity whose name mention overlaps [start, end)."""
    for c in clusters:
        for m in c.mentions:
            if m.start < end and start < m.end:
                return c
    return None
