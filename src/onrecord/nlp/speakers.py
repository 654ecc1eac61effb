"""Who the speakers are: named mentions clustered into entities (surnames, spelling variants,
titles and appositions as roles), and pronoun and nominal speakers resolved to those entities.

No coreference model is available, so resolution runs on the parse and the named entities:
a pronoun takes the most salient earlier person (the last speaker, else the last subject),
except that a verbless sentence introducing a person right after it names it forward
("…," he wrote. Imran Hussain, MP for Bradford, …).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from onrecord.nlp import lexicon

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


@dataclass(frozen=True)
class Referent:
    """A pronoun or common-noun speaker and what the text around it offers to resolve it."""

    start: int
    end: int
    text: str
    form: str  # pronoun or nominal
    forward: int | None = None  # start of a person introduced by the next, verbless sentence
    head: str = ""


@dataclass
class Cluster:
    """Mentions of one entity, built up in text order."""

    label: str
    mentions: list[NameMention] = field(default_factory=list)
    extra: list[Offsets] = field(default_factory=list)  # pronoun and nominal mentions

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
    def surnames(self) -> set[str]:
        return {_name_tokens(m.text)[-1] for m in self.mentions if _name_tokens(m.text)}

    @property
    def full_names(self) -> list[list[str]]:
        return [t for t in (_name_tokens(m.text) for m in self.mentions) if len(t) > 1]


# --- mentions ----------------------------------------------------------------------------------


def find_name_mentions(doc: Doc, in_quote: set[int]) -> list[NameMention]:
    """Every PERSON and ORG entity, with the role its title or apposition gives it."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in lexicon.ENTITY_LABELS:
            continue
        span = _clean_entity(ent)
        if span is None:
            continue
        start, end = span
        text = doc.text[start:end]
        if not _name_tokens(text):
            continue
        root = ent.root
        roles = tuple(_roles(ent)) if ent.label_ == "PERSON" else ()
        out.append(
            NameMention(
                start, end, text, ent.label_, roles,
                subject=root.dep_ in ("nsubj", "nsubjpass") or any(c.dep_ == "appos" for c in root.children),
                in_quote=root.idx in in_quote,
            )
        )
    return out


def _clean_entity(ent: SpacySpan) -> Offsets | None:
    toks = list(ent)
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


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
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < ent.start:
        role = _role_phrase(root.head)
        if role:
            roles.append(role)
    return roles


def _title_before(ent: SpacySpan) -> str | None:
    doc = ent.doc
    i = ent.start - 1
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
    while toks and toks[0].lower_ in lexicon.HONORIFICS:
        toks = toks[1:]
    if not toks or not any(t.lower_ in lexicon.ROLE_WORDS for t in toks):
        return None
    return doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


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
    text = head.doc.text[start.idx : end.idx + len(end.text)]
    return text.strip(" ,.;:") or None


def find_referents(doc: Doc, speaker_tokens: list[int]) -> dict[int, Referent]:
    """For each pronoun or common-noun speaker token, what its context offers to resolve it."""
    out = {}
    for i in speaker_tokens:
        tok = doc[i]
        form = "pronoun" if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "WP") else "nominal"
        if tok.ent_type_ and form == "nominal":
            continue
        out[i] = Referent(tok.idx, tok.idx + len(tok.text), tok.text, form, _forward_person(tok), tok.lemma_.lower())
    return out


def _forward_person(tok: Token) -> int | None:
    """A person introduced by the sentence right after, when that sentence has no verb of its own."""
    sent = tok.sent
    doc = tok.doc
    nxt = sent.end
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    if nxt >= len(doc):
        return None
    following = doc[nxt].sent
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
        target = _match_person(m, clusters) if m.label == "PERSON" else _match_org(m, clusters)
        if target is None:
            target = Cluster(m.label)
            clusters.append(target)
        target.mentions.append(m)
    return clusters


def _match_person(m: NameMention, clusters: list[Cluster]) -> Cluster | None:
    toks = _name_tokens(m.text)
    people = [c for c in clusters if c.label == "PERSON"]
    if len(toks) == 1:
        fits = [c for c in people if any(_similar(toks[0], s) for s in c.surnames)]
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
) -> Cluster | None:
    """The entity a pronoun speaker stands for, or None where the text does not tell.

    ``previous_speakers`` holds (offset, entity) of statements before it; ``exclude`` holds ids of
    entities that cannot be the speaker (the statement's addressee)."""
    pron = ref.text.lower()
    if pron not in lexicon.PERSON_PRONOUNS and pron not in lexicon.GROUP_PRONOUNS:
        return None  # "I", "we", "some", "who": nothing to resolve them to
    wanted = "PERSON" if pron in lexicon.PERSON_PRONOUNS else "ORG" if pron == "it" else None
    if ref.forward is not None:
        c = _cluster_at(clusters, ref.forward)
        if c is not None and id(c) not in exclude:
            return c
    candidates: list[tuple[int, int, Cluster]] = []  # (priority, offset, cluster)
    for off, c in previous_speakers:
        if off < ref.start and id(c) not in exclude and (wanted is None or c.label == wanted):
            candidates.append((2, off, c))
    for c in clusters:
        if id(c) in exclude or (wanted is not None and c.label != wanted):
            continue
        for m in c.mentions:
            if m.start < ref.start and not m.in_quote:
                candidates.append((1 if m.subject else 0, m.start, c))
    if not candidates:
        return None
    # the most recent salient mention; a previous speaker wins over a bare subject within a paragraph
    last = max(candidates, key=lambda t: t[1])
    speakers = [t for t in candidates if t[0] == 2]
    if speakers:
        best_speaker = max(speakers, key=lambda t: t[1])
        if last[2] is best_speaker[2] or ref.start - best_speaker[1] < 400 or last[0] == 0:
            return best_speaker[2]
    subjects = [t for t in candidates if t[0] >= 1]
    if subjects:
        return max(subjects, key=lambda t: t[1])[2]
    return last[2] if wanted == "PERSON" else None


def resolve_nominal(ref: Referent, clusters: list[Cluster], before: int) -> Cluster | None:
    """'the minister', 'the newspaper': the single earlier entity whose role or kind the noun names."""
    head = ref.head
    text = ref.text.lower()
    if not (text.startswith("the ") or text.startswith("this ")):
        return None  # "a party MP", "some", "critics": not enough to name anyone
    fits = []
    for c in clusters:
        if not any(m.start < before for m in c.mentions):
            continue
        if c.label == "PERSON" and any(head in _fold(r).split() for r in c.roles):
            fits.append(c)
        elif c.label == "ORG" and head in lexicon.ORG_NOUNS and head in _fold(c.name).split():
            fits.append(c)
    return fits[0] if len(fits) == 1 else None


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
