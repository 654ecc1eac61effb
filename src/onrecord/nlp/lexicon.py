"""Lexicons as data: the words that mark speech, media, roles and references. Rules read these; none lives inside a rule."""

from __future__ import annotations

from functools import cache
from importlib import resources

#: Verbs that report speech, writing or a stated view, and take a clause or a quotation as content.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell write conclude add warn insist argue claim state explain note announce declare deny
    admit acknowledge assert maintain stress emphasise emphasize suggest reply respond answer ask
    comment remark observe predict forecast promise vow pledge threaten confirm report reveal recall complain
    tweet post testify urge concede contend allege estimate indicate consider reckon reiterate repeat
    joke quip shout whisper exclaim agree caution counter retort charge demand recommend propose
    proclaim boast acknowledge inform assure continue believe think hope fear worry contend
    speculate advise insinuate lament concur muse opine posit recount relate reason tout underline
    underscore urge wonder cite hint signal clarify elaborate admit announce boast predict question
    bark snap scoff gush rave plead beg grumble mutter yell scream chant sigh chuckle marvel crow
    brag taunt thunder fume interject interrupt confess lament bemoan declare explain recount
    """.split()
)

#: Subjects that say a cue was never spoken ("nobody suggested", "nothing suggests"); "no one" is read
#: from its determiner.
NO_ONE: frozenset[str] = frozenset("nobody nothing none noone".split())

#: Verbs a headline reports with ("Trump Says He Never …", "Clinton Slams Trump"): capitalised, they end
#: a name the tagger ran on into the headline.
HEADLINE_VERBS: frozenset[str] = SPEECH_VERBS | frozenset(
    "slam blast rip hit hammer defend praise want call accuse attack mock dismiss reject endorse criticize criticise".split()
)

#: Verbs that report what evidence shows ("a poll shows that …", "the study found that …"): cues with a clause.
EVIDENCE_VERBS: frozenset[str] = frozenset("show find".split())

#: Verbs whose content is the infinitive they take ("pledged to cut taxes", "wants to run"): a stated
#: commitment or intention. Those not in SPEECH_VERBS count as beliefs for confidence.
INFINITIVE_CUES: frozenset[str] = frozenset("promise pledge vow threaten want plan intend expect hope".split())

#: Speech verbs that also take a noun phrase as their content ("condemns the attack", "calls for pauses").
NOMINAL_CUES: frozenset[str] = frozenset(
    """
    condemn criticise criticize denounce reject deny reiterate demand welcome praise announce propose
    urge applaud decry dismiss blast slam endorse describe characterize characterise accuse
    """.split()
)

#: Nominal cues that can withhold something rather than say it: with a recipient ("denied him a visa") or
#: with one of WITHHELD_THINGS as object ("will deny entry to journalists"); else they reject a claim
#: ("denied the allegations").
WITHHOLDING_CUES: frozenset[str] = frozenset("deny".split())
#: What WITHHOLDING_CUES withhold rather than dispute.
WITHHELD_THINGS: frozenset[str] = frozenset(
    """
    access admission approval asylum bail benefit care citizenship clearance coverage entry funding help
    license licence loan parole passage payment permission permit recognition request right service
    treatment visa vote
    """.split()
)

#: Cues that give only what was spoken about ("talked about jobs", "commented on the vote"): statements
#: once spoken, not when planned ("met to discuss", "will talk about").
TOPIC_CUES: frozenset[str] = frozenset("talk speak comment".split())

#: Auxiliaries that put a cue in the future or in an intention: a topic cue so marked is no statement.
UNREALISED_AUXILIARIES: frozenset[str] = frozenset(
    """
    to will would 'll ’ll shall
    """.split()
)

#: Verbs that report a judgement as object and predicate ("called the plan “a disaster”"): cues only with an object predicate.
PREDICATE_CUES: frozenset[str] = frozenset("call label dub brand".split())

#: Adverbs written right before a cue verb that belong to the cue, like its auxiliaries ("has also said");
#: other adverbs of time or sequence ("later said", "then asked") too; manner adverbs in -ly
#: ("strongly condemns") stay outside.
CUE_ADVERBS: frozenset[str] = frozenset("also just recently previously again repeatedly already once".split())

#: Adverbs before a cue verb that stay out of the Cue: clause connectives and wh-words.
NON_CUE_ADVERBS: frozenset[str] = frozenset("so thus therefore however when where why how as".split())

#: Prepositions that end a PolNeAR cue whose content is their object ("accused Holt of", "asked him about",
#: "described as"): on PolNeAR train about 2,400 cues end so right before their content, some 50 stop short.
CUE_PREPOSITIONS: frozenset[str] = frozenset("about of for on to against with at over in as by from into".split())

#: Relative pronouns that, opening the clause of a cue, stand for its content under PolNeAR's convention.
RELATIVE_PRONOUNS: frozenset[str] = frozenset("which what who whom".split())

#: Verbs that refuse what their infinitive says ("declined to say"): never part of the infinitive's cue (under
#: PolNeAR's convention the refusal alone is the cue, as its annotators draw it).
REFUSAL_VERBS: frozenset[str] = frozenset("decline refuse fail".split())

#: Phrasal cues: a verb and the particle or preposition that makes it a speech act, with the content's role.
PHRASAL_CUES: dict[tuple[str, str], str] = {
    ("call", "for"): "pobj",
    ("warn", "against"): "pobj",
    ("warn", "of"): "pobj",
    ("speak", "out"): "prt",
    ("point", "out"): "ccomp",
    ("go", "on"): "ccomp",
    ("call", "on"): "pobj",
    ("talk", "about"): "pobj",
    ("speak", "about"): "pobj",
    ("comment", "on"): "pobj",
}

#: Words that open a reported clause ("said that …", "asked whether …").
COMPLEMENTIZERS: frozenset[str] = frozenset("that whether if".split())

#: Prepositions that carry the rest of what a nominal cue says about its object ("denounced X as Y").
PREDICATE_PREPOSITIONS: frozenset[str] = frozenset("as for of".split())

#: Verbs of asking: in the passive without an agent ("Asked whether …", "was asked if …") a question by someone unnamed.
QUESTION_VERBS: frozenset[str] = frozenset("ask question quiz".split())

#: Speech verbs whose direct object is the addressee, not the content.
ADDRESSEE_OBJECT_VERBS: frozenset[str] = frozenset("tell inform assure advise warn remind urge ask brief encourage".split())

#: Verbs of belief or intention: what they report is a statement of lower confidence than what is said.
BELIEF_VERBS: frozenset[str] = frozenset("believe think hope fear worry wonder consider reckon want plan intend expect".split())

#: Nouns that name the medium of a statement ("in his resignation letter", "in a statement").
MEDIUM_NOUNS: frozenset[str] = frozenset(
    """
    letter statement interview speech tweet post email e-mail op-ed oped article column memo memorandum
    release conference briefing note blog video broadcast podcast message remarks testimony book
    essay editorial address communique communiqué filing report newsletter text appearance hearing
    debate rally sermon lecture video message thread
    """.split()
)

#: Verbs that put a medium out ("issued a statement", "sent a letter", "put out a statement"): with a
#: medium noun as object they cue what that medium says ("… saying …", "…: “…”"), and their subject wrote it.
PUBLISHING_VERBS: frozenset[str] = frozenset("issue release publish post send put deliver tweet write make give read".split())
#: Of those media, the ones a quotation standing alone in the next sentence is read from ("Smith issued a
#: statement. “…”"); after "wrote a book." a quotation may be anyone's.
ANNOUNCED_MEDIA: frozenset[str] = frozenset("statement letter tweet post email e-mail message note memo release communique communiqué".split())

#: Platforms that are media when a statement is made on them ("wrote on Twitter").
MEDIUM_PLATFORMS: frozenset[str] = frozenset(
    "twitter x facebook instagram linkedin tiktok youtube telegram truth social threads bluesky radio television tv".split()
)

#: One member of a party: who it is the text says elsewhere ("The South Carolina Republican"), it is no name.
PARTY_MEMBERS: frozenset[str] = frozenset("republican democrat".split())

#: Prepositions that introduce a medium.
MEDIUM_PREPOSITIONS: frozenset[str] = frozenset("in on via through during".split())

#: Head words of roles and titles ("British Foreign Secretary", "MP for Bradford").
ROLE_WORDS: frozenset[str] = frozenset(
    """
    president minister secretary senator governor mayor mp chancellor premier leader chairman
    chairwoman chair chairperson spokesman spokeswoman spokesperson director chief ceo head ambassador
    general commander judge justice attorney lawyer professor official representative rep congressman
    congresswoman candidate nominee member founder executive manager officer analyst economist expert
    researcher scientist doctor coach captain king queen prince princess pope bishop archbishop rabbi
    imam envoy diplomat adviser advisor aide strategist editor correspondent reporter columnist author
    activist organiser organizer deputy commissioner inspector sheriff superintendent principal dean
    treasurer clerk whip lord baroness chief-executive president-elect vice-president mep councillor
    councilor lawmaker legislator delegate administrator owner partner co-founder cofounder
    spokesperson speaker prosecutor detective constable sergeant lieutenant colonel major admiral
    marshal pastor priest cardinal governor-general presenter host anchor historian physician surgeon
    nurse teacher student chairman campaigner pollster consultant attorney-general solicitor
    barrister chief-of-staff staffer volunteer resident witness victim survivor fan player striker
    goalkeeper manager midfielder defender athlete champion
    """.split()
)

#: Honorifics stripped from names before they are compared.
HONORIFICS: frozenset[str] = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. sen. sen rep. gov. gov pres. president".split()
)

#: Words that tell a person's gender: an honorific just before the name ("Mrs. Clinton") or a word of the
#: role the text gives them ("spokeswoman", "the congressman"). "he" is never resolved to a person so
#: marked "f", nor "she" to one marked "m".
GENDER_WORDS: dict[str, str] = {
    **{w: "f" for w in """mrs mrs. ms ms. miss madam dame lady spokeswoman chairwoman congresswoman
       businesswoman councilwoman queen princess duchess baroness countess actress mother wife sister
       daughter grandmother aunt niece widow""".split()},
    **{w: "m" for w in """mr mr. sir lord spokesman chairman congressman businessman councilman king prince
       duke baron father husband brother son grandfather uncle nephew widower""".split()},
}


@cache
def first_name_genders() -> dict[str, str]:
    """First names that tell a gender ("hillary": "f"), from the 1990 US Census lists
    (data/first_names.tsv; scripts/build_first_names.py says how it was made). Weaker than GENDER_WORDS."""
    lines = resources.files("onrecord.nlp").joinpath("data/first_names.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line and not line.startswith("#"))


#: Personal pronouns that can stand for a person speaker.
PERSON_PRONOUNS: frozenset[str] = frozenset("he she".split())
#: Pronouns that can stand for an organisation or a group.
GROUP_PRONOUNS: frozenset[str] = frozenset("they it".split())
#: Determiners that leave a noun unidentified ("a party MP", "some critics"): such speakers stay unnamed.
INDEFINITE_DETERMINERS: frozenset[str] = frozenset("a an some any another one several".split())
#: Determiners that point back at something named earlier ("the minister", "this newspaper").
DEFINITE_DETERMINERS: frozenset[str] = frozenset("the this that".split())

#: Pronouns that point at the writer or the quoted speaker, never at a resolvable third party.
FIRST_SECOND_PRONOUNS: frozenset[str] = frozenset("i we you me us".split())

#: Nouns that describe an organisation: "the newspaper said" resolves to an ORG described so.
ORG_NOUNS: frozenset[str] = frozenset(
    """
    newspaper paper company firm ministry government department agency party campaign committee
    council court group organisation organization union association police army military
    administration office commission board bank network broadcaster channel magazine website
    publication team club league federation institute university school charity foundation tabloid daily
    corporation
    """.split()
)

#: Words in an organisation's name that say what kind of organisation it is (the Daily Herald is a newspaper).
ORG_NAME_KINDS: dict[str, str] = {
    **{w: "newspaper" for w in "herald times post gazette journal tribune telegraph chronicle observer courier inquirer mail mirror express independent guardian examiner".split()},
    **{w: "company" for w in "corp corporation inc ltd plc llc co company".split()},
    **{w: "broadcaster" for w in "bbc cnn nbc abc cbs fox broadcasting radio tv television".split()},
    "ministry": "ministry", "party": "party", "bank": "bank", "university": "university",
}

#: Common nouns that name the same kind of organisation ("the paper" is the newspaper).
ORG_NOUN_SYNONYMS: dict[str, str] = {
    "paper": "newspaper", "daily": "newspaper", "tabloid": "newspaper", "firm": "company",
    "network": "broadcaster", "channel": "broadcaster", "corporation": "company",
}

#: Entity labels that can speak.
SPEAKER_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Entity labels that never speak, whatever the parse says ("Monday said …" is a misparse).
NEVER_SPEAKER_LABELS: frozenset[str] = frozenset({"DATE", "TIME", "ORDINAL", "MONEY", "QUANTITY"})
#: Entity labels clustered into entities of the record.
ENTITY_LABELS: frozenset[str] = frozenset({"PERSON", "ORG"})

#: Labels that open a paragraph with a colon without naming a speaker ("The Latest: …", "Update: …").
SECTION_LABELS: frozenset[str] = frozenset(
    label.strip()
    for label in """
    the latest|latest|update|updated|breaking|breaking news|news|note|editor's note|editor’s note|
    correction|related|watch|read more|video|photos|live|analysis|opinion|exclusive|sources|source|
    background|context|summary|timeline|transcript|q&a|faq|key points|what we know|recap|ap|reuters
    """.split("|")
)

#: "Jane Doe: We will win.": the longest name (in tokens) before the colon, and the fewest words after it.
NAME_COLON_MAX_TOKENS: int = 4
NAME_COLON_MIN_WORDS: int = 3

#: "“We deserve better.” ― Jane Doe": the dashes that set off a quotation's speaker at the end of its
#: line (a list of voices, an epigraph), and how many words the name may have (one word is more often
#: an outlet or a headline's source than a person).
ATTRIBUTION_DASHES: tuple[str, ...] = ("―", "—", "–", "--", "-")
NAME_DASH_WORDS: tuple[int, int] = (2, 4)

#: A dateline ("CLEVELAND, July 19 (UPI) —"): how many capitalised words its place may have, and what follows it.
DATELINE_MAX_WORDS: int = 4
DATELINE_FOLLOWERS: frozenset[str] = frozenset({",", "—", "–", "―", "-", "(", "--"})

#: Phrases that cue a statement without a verb; the value is the dependency role of the source.
ACCORDING_TO: tuple[str, str] = ("according", "to")
#: Speech verbs that in an "as" clause mark a time, not a source cited ("As Bush continued, …").
SEQUENCE_CUES: frozenset[str] = frozenset({"continue"})
#: Speech verbs that with a "to" object in an "as" clause mark a reaction, not a source cited ("…, as
#: voters responded to the crackdown").
RESPONSE_VERBS: frozenset[str] = frozenset({"respond", "reply", "react", "answer"})
#: Participles that name where the source of "according to X" had it ("according to Yonhap, quoting
#: KCNA, ..."): part of the source phrase, not of the content.
SOURCE_CITING_VERBS: frozenset[str] = frozenset({"quote", "cite"})


# --- Positions and disagreements (nlp/positions.py) ------------------------------------------

#: Verbs whose object (or the object of their particle, see STANCE_PHRASAL) the subject is for.
FAVOR_CUES: frozenset[str] = frozenset(
    """
    support back endorse welcome praise applaud hail commend favor favour champion advocate embrace
    demand urge defend approve propose
    """.split()
)

#: Verbs whose object the subject is against.
AGAINST_CUES: frozenset[str] = frozenset(
    """
    oppose reject condemn criticise criticize denounce decry deplore slam blast dismiss veto
    rebuke lambast lambaste castigate disavow repudiate resist protest attack mock blame ridicule deride
    rip hammer bash berate scold accuse assail scorn disparage demonize demonise excoriate chide fault
    """.split()
)

#: Verb and particle with the stance they give their prepositional object ("calls for pauses").
STANCE_PHRASAL: dict[tuple[str, str], str] = {
    ("call", "for"): "favor", ("push", "for"): "favor", ("press", "for"): "favor",
    ("argue", "for"): "favor", ("vote", "for"): "favor", ("campaign", "for"): "favor",
    ("advocate", "for"): "favor", ("lobby", "for"): "favor",
    ("warn", "against"): "against", ("argue", "against"): "against", ("vote", "against"): "against",
    ("campaign", "against"): "against", ("speak", "against"): "against",
    ("object", "to"): "against", ("vouch", "for"): "favor", ("lash", "at"): "against", ("rail", "against"): "against", ("lobby", "against"): "against",
    ("protest", "against"): "against", ("push", "back"): "against", ("turn", "against"): "against",
}

#: Nouns of stance with the preposition that introduces their target ("support for X", "opposition to X").
STANCE_NOUNS: dict[tuple[str, str], str] = {
    ("support", "for"): "favor", ("support", "of"): "favor", ("backing", "for"): "favor", ("backing", "of"): "favor",
    ("endorsement", "of"): "favor", ("praise", "for"): "favor", ("call", "for"): "favor", ("demand", "for"): "favor",
    ("push", "for"): "favor", ("commitment", "to"): "favor",
    ("opposition", "to"): "against", ("criticism", "of"): "against", ("condemnation", "of"): "against",
    ("rejection", "of"): "against", ("objection", "to"): "against", ("objections", "to"): "against",
    ("attack", "on"): "against", ("assault", "on"): "against", ("embrace", "of"): "favor",
}

#: Verbs that take a stance noun as object and make its holder their subject ("reiterated support for X").
STANCE_NOUN_VERBS: frozenset[str] = frozenset(
    "reiterate reaffirm express voice offer pledge declare announce signal show give restate repeat lend throw".split()
)

#: Actions that undo their object: favouring them is being against the object ("calls for an end to the war").
UNDOING_WORDS: frozenset[str] = frozenset(
    "end stop halt repeal scrap abolish cancel block reverse overturn lift dismantle undo stall shelve derail defund rescind revoke".split()
)

#: Nouns that undo what they are "of" or "to": favouring them is being against it ("called for the repeal of
#: Obamacare", "an end to the violence").
UNDOING_NOUNS: frozenset[str] = frozenset(
    "end repeal abolition scrapping dismantling overturning reversal cancellation revocation rollback".split()
)

#: Actions that carry out their object: favouring them is favouring the object ("urged Congress to pass the bill").
DOING_WORDS: frozenset[str] = frozenset("pass approve adopt sign implement ratify accept fund extend restore".split())

#: Nouns that stand for the person whose they are ("endorse the presidential bid of Donald Trump").
CANDIDACY_WORDS: frozenset[str] = frozenset("bid candidacy campaign nomination".split())

#: Phrases that mark the alternative turned down ("X rather than Y", "X instead of Y"): first word, second word.
ALTERNATIVE_MARKERS: frozenset[tuple[str, str]] = frozenset({("rather", "than"), ("instead", "of")})

#: Verbs that refuse or stop short of what they govern ("refused to back"): they flip a stance.
STANCE_REFUSALS: frozenset[str] = frozenset("refuse decline fail unwilling".split())

#: Words that leave a stance open ("may consider supporting", "could back"): they lower its confidence.
HEDGES: frozenset[str] = frozenset(
    "may might could would 'd ’d consider weigh mull likely possibly perhaps reportedly open expect reluctant hesitant"
    " appear seem apparently seemingly".split()
)

#: Modal auxiliaries that leave open whatever they govern, however far below ("could benefit from ... calling for").
OPEN_MODALS: frozenset[str] = frozenset("may might could can".split())

#: Favour verbs whose negation states opposition ("does not support X", "will not vote for X");
#: "did not praise X" or "did not attack X" states no stance at all.
NEGATABLE_FAVOR: frozenset[str] = frozenset("support back endorse favor favour vote want approve accept".split())

#: Subordinators of a condition: a stance under them is supposed, not stated ("If Donald remains Donald,
#: I will not vote for him").
CONDITIONAL_MARKS: frozenset[str] = frozenset("if unless whether".split())

#: Words that doubt, deny or merely report what they govern: a stance under them is not the
#: holder's stated one ("questioned Israel's commitment to", "the debunked claim that he opposed").
STANCE_UNDERCUTS: frozenset[str] = frozenset(
    """
    question doubt deny dispute debunk claim allegation allege rumor rumour notion suggestion speculation
    speculate accusation unwillingness reluctance refusal failure pretend lie avoid refrain steer shy
    """.split()
)

#: Verbs whose object is told to do something, the subject's stance being on that act ("urged
#: lawmakers to reject the bill"); with any other verb an object's infinitive is not the subject's
#: stance ("allowed him to call for", "left it to others to praise").
DIRECTIVE_VERBS: frozenset[str] = frozenset(
    "urge ask call press push implore encourage beg pressure lobby appeal plead exhort tell demand want".split()
)

#: Heads that name nothing by themselves, or only what an earlier sentence named: a target made
#: of one of them alone (with at most a determiner) is dropped ("the idea", "the plan", "the tax").
GENERIC_TARGETS: frozenset[str] = frozenset(
    """
    thing way issue fact time idea matter question problem situation stuff effort move step label comment
    remark statement decision perspective view notion aspect kind sort lot point plan deal bill measure law
    proposal program programme policy agreement legislation rule mandate tax campaign compromise initiative
    project report change system process approach position stance thought argument claim concern people action
    nation country
    """.split()
)

#: Acts a commitment verb may govern that are no policy to be for or against ("vowed to win Florida").
NON_POLICY_ACTS: frozenset[str] = frozenset(
    "win run be become continue fight get go make keep stay do have take see come return work try remain appear visit".split()
)

#: Verbs of disagreement with their preposition ("my position differs from yours", "disagrees with X").
DISAGREEMENT_VERBS: dict[str, frozenset[str]] = {
    "differ": frozenset({"from", "with"}),
    "disagree": frozenset({"with"}),
    "clash": frozenset({"with"}),
    "break": frozenset({"with"}),
    "split": frozenset({"with", "from"}),
    "quarrel": frozenset({"with"}),
    "feud": frozenset({"with"}),
    "diverge": frozenset({"from"}),
    "part": frozenset({"with"}),
}

#: Phrases of disagreement (noun or adjective, then a preposition): "at odds with X", "in conflict with X".
DISAGREEMENT_NOUNS: frozenset[str] = frozenset("odds disagreement conflict loggerheads".split())

#: Verbs that attack a person or organisation named as their object: a disagreement with it.
CRITICISM_VERBS: frozenset[str] = frozenset(
    """
    criticise criticize condemn denounce slam blast rebuke lambast lambaste castigate attack chastise
    berate scold decry deride mock accuse blame oppose reject repudiate
    """.split()
)

#: Nouns that stand for a holder's position ("his position is criticised", "some consider it too pro-Israel").
POSITION_NOUNS: frozenset[str] = frozenset("position stance policy view approach line stand".split())

#: Nouns for one who holds a stance, with the preposition of its target ("a supporter of X", "a critic of X");
#: the holder is whom the noun describes ("Jane Doe, a critic of the plan", "she is a supporter of X").
STANCE_AGENT_NOUNS: dict[tuple[str, str], str] = {
    ("supporter", "of"): "favor", ("backer", "of"): "favor", ("proponent", "of"): "favor",
    ("advocate", "of"): "favor", ("advocate", "for"): "favor", ("champion", "of"): "favor",
    ("opponent", "of"): "against", ("critic", "of"): "against", ("foe", "of"): "against",
    ("antagonist", "of"): "against", ("fan", "of"): "favor", ("defender", "of"): "favor",
}

#: Verbs of commitment or wish whose infinitive is the favoured action ("pledged to build a wall",
#: "wants to repeal the law"): the action, or what it undoes or carries out, is the target.
COMMITMENT_CUES: frozenset[str] = frozenset("pledge promise vow propose want vote push".split())
