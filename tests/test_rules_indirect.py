"""Indirect and mixed statements: cues with a clausal complement (X said (that) …, X considers that …),
with a nominal one (X calls for …, X condemns …), "according to", addressee and medium, and
reported speech that embeds a partial quotation."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from onrecord.pipeline import Pipeline
from onrecord.settings import Settings
from test_rules_support import S, check_statements

CASES = [
    pytest.param(
        "Economist Paul Graham warned that inflation would rise again next year.",
        [S("indirect", "warned", "Economist Paul Graham", "Paul Graham", "=inflation would rise again next year")],
        id="warned-that",
    ),
    pytest.param(
        "The minister insisted that the schools were safe.",
        [S("indirect", "insisted", "The minister", None, "=the schools were safe")],
        id="insisted-unresolvable-minister",
    ),
    pytest.param(
        "Professor Ruth Adams argued that the rules were unfair to small firms.",
        [S("indirect", "argued", "Professor Ruth Adams", "Ruth Adams", "=the rules were unfair to small firms")],
        id="argued-that",
    ),
    pytest.param(
        "Mark Hale, who chairs the committee, said the report would be published next week.",
        [S("indirect", "said", "Mark Hale, who chairs the committee", "Mark Hale", "=the report would be published next week")],
        id="said-without-that-past-relative-clause",
    ),
    pytest.param(
        "Dr Maria Lopez considers that the vaccine is safe for children.",
        [S("indirect", "considers", "Dr Maria Lopez", "Maria Lopez", "=the vaccine is safe for children")],
        id="considers-that",
    ),
    pytest.param(
        "The government considers the protest illegal.",
        [S("indirect", "considers", "The government", None, "the protest illegal")],
        id="considers-small-clause",
    ),
    pytest.param(
        "Amnesty International calls for an independent inquiry into the killings.",
        [S("indirect", "calls for", "Amnesty International", "Amnesty International", "=an independent inquiry into the killings")],
        id="calls-for-noun-phrase",
    ),
    pytest.param(
        "Union leader Maria Gomez called for a national strike.",
        [S("indirect", "called for", "Union leader Maria Gomez", "Maria Gomez", "=a national strike")],
        id="called-for-with-title",
    ),
    pytest.param(
        "The European Union condemns the attack on the embassy in Kabul.",
        [S("indirect", "condemns", "The European Union", "European Union", "=the attack on the embassy in Kabul")],
        id="condemns-noun-phrase",
    ),
    pytest.param(
        "Oxfam condemned the decision to cut aid.",
        [S("indirect", "condemned", "Oxfam", "Oxfam", "=the decision to cut aid")],
        id="condemned-organisation",
    ),
    pytest.param(
        "Pope Francis urged world leaders to protect the poor.",
        [S("indirect", "urged", "Pope Francis", "Francis", "protect the poor", addressee="world leaders")],
        id="urged-addressee",
    ),
    pytest.param(
        "According to the World Health Organization, cases rose by twenty per cent last week.",
        [S("indirect", "According to", "the World Health Organization", "World Health Organization", "=cases rose by twenty per cent last week")],
        id="according-to-first",
    ),
    pytest.param(
        "The factory will close in June, according to Mayor Tom Reed.",
        [S("indirect", "according to", "Mayor Tom Reed", "Tom Reed", "=The factory will close in June")],
        id="according-to-last",
    ),
    pytest.param(
        "Local media have learned that according to an online posting, the council's website is being attacked by hackers.",
        [S("indirect", "according to", "an online posting", None, "=the council's website is being attacked by hackers")],
        id="according-to-inside-a-that-clause-gives-what-follows",
    ),
    pytest.param(
        "The company, according to Reuters, will cut 200 jobs and close two plants.",
        [S("indirect", "according to", "Reuters", "Reuters", "will cut 200 jobs and close two plants", pieces=2)],
        id="according-to-inside-its-clause-gives-both-sides",
    ),
    pytest.param(
        "According to Reuters, citing two officials, the plant will close in May.",
        [S("indirect", "According to", "Reuters", "Reuters", "=the plant will close in May")],
        id="according-to-with-the-source-of-its-source",
    ),
    pytest.param(
        "Critics attacked the policy, which, according to the newspaper, the government has since dropped.",
        [S("indirect", "according to", "the newspaper", None, "=the government has since dropped")],
        id="according-to-inside-a-relative-clause",
    ),
    pytest.param(
        "The talks have collapsed, according to a senior official.",
        [S("indirect", "according to", "a senior official", None, "=The talks have collapsed")],
        id="according-to-unnamed",
    ),
    pytest.param(
        "In a statement, the Ministry of Defence said the drone had been shot down.",
        [S("indirect", "said", "the Ministry of Defence", "Ministry of Defence", "=the drone had been shot down", medium="statement")],
        id="in-a-statement-first",
    ),
    pytest.param(
        "The company said in a statement that it regretted the error.",
        [S("indirect", "said", "The company", None, "=it regretted the error", medium="statement")],
        id="said-in-a-statement",
    ),
    pytest.param(
        "Police Chief Dan Moore told reporters that the suspect had fled the city.",
        [S("indirect", "told", "Police Chief Dan Moore", "Dan Moore", "=the suspect had fled the city", addressee="reporters")],
        id="told-reporters",
    ),
    pytest.param(
        "Bishop Tom Wells wrote in a letter to the Pope that the church must change its ways.",
        [S("indirect", "wrote", "Bishop Tom Wells", "Tom Wells", "=the church must change its ways", addressee="the Pope", medium="letter")],
        id="wrote-in-a-letter-to",
    ),
    pytest.param(
        "Ana Ruiz said in an interview with the BBC that she would run for office again.",
        [S("indirect", "said", "Ana Ruiz", "Ana Ruiz", "=she would run for office again", addressee="the BBC", medium="interview")],
        id="said-in-an-interview-with",
    ),
    pytest.param(
        "Environment Secretary Tom Reed told the BBC in an interview that farmers would be protected.",
        [S("indirect", "told", "Environment Secretary Tom Reed", "Tom Reed", "=farmers would be protected", addressee="the BBC", medium="interview")],
        id="that-clause-hung-on-the-medium",
    ),
    pytest.param(
        "Senator Mark Hale wrote on Twitter that the vote was rigged.",
        [S("indirect", "wrote", "Senator Mark Hale", "Mark Hale", "=the vote was rigged", medium="Twitter")],
        id="wrote-on-a-platform",
    ),
    pytest.param(
        "The minister did not say whether the schools would reopen.",
        [],
        id="negated-cue-is-no-statement",
    ),
    pytest.param(
        "No official said the plan would work, but one aide told reporters it might. Nothing suggests that it will.",
        [S("indirect", "told", "one aide", None, "=it might", addressee="reporters")],
        id="what-no-one-said-is-no-statement",
    ),
    pytest.param(
        "LONDON ― This winter, as she was becoming leader of the party, Ann Price told friends that the plan would work.",
        [S("indirect", "told", "Ann Price", "Ann Price", "=the plan would work", addressee="friends")],
        id="a-datelines-dash-is-no-clause-said",
    ),
    pytest.param(
        "Opposition leader Carla Diaz said the budget was “a gift to the rich”.",
        [S("mixed", "said", "Opposition leader Carla Diaz", "Carla Diaz", "=the budget was “a gift to the rich”")],
        id="mixed-partial-quotation",
    ),
    pytest.param(
        "Smith said the reform was “a betrayal of working families” and promised to fight it.",
        [
            S("mixed", "said", "Smith", "Smith", "=the reform was “a betrayal of working families”"),
            S("indirect", "promised", "Smith", "Smith", "=to fight it"),
        ],
        id="mixed-stops-before-a-second-speech-act",
    ),
    pytest.param(
        "Ms. Gomez forecast that prices would soon fall and praised the central bank for its patience.",
        [
            S("indirect", "forecast", "Ms. Gomez", "Gomez", "=prices would soon fall"),
            S("indirect", "praised", "Ms. Gomez", "Gomez", "the central bank"),
        ],
        id="a-forecast-is-said-and-the-act-after-it-is-the-forecasters",
    ),
    pytest.param(
        "The Labour Party said in a statement that the decision was “deeply disappointing”.",
        [S("mixed", "said", "The Labour Party", "Labour Party", "=the decision was “deeply disappointing”", medium="statement")],
        id="mixed-organisation-in-a-statement",
    ),
    pytest.param(
        "Angela Merkel warned against “a dangerous return to nationalism” in Europe.",
        [S("mixed", "warned against", "Angela Merkel", "Angela Merkel", "“a dangerous return to nationalism”")],
        id="mixed-nominal-warned-against",
    ),
    pytest.param(
        "Pope Francis urged leaders to show “courage and mercy” in the talks.",
        [S("mixed", "urged", "Pope Francis", "Francis", "“courage and mercy”", addressee="leaders")],
        id="mixed-urged",
    ),
    pytest.param(
        "The Conservative Party denounced the strike as “political”.",
        [S("mixed", "denounced", "The Conservative Party", "Conservative Party", "=the strike as “political”")],
        id="mixed-denounced-as",
    ),
    pytest.param(
        "The mayor criticised the police for their handling of the protest.",
        [S("indirect", "criticised", "The mayor", None, "=the police for their handling of the protest")],
        id="criticised-for",
    ),
    pytest.param(
        "In an op-ed for The Times, Ruth Adams argued that the law was outdated.",
        [S("indirect", "argued", "Ruth Adams", "Ruth Adams", "=the law was outdated", medium="op-ed")],
        id="hyphenated-medium",
    ),
    pytest.param(
        "Jane Doe questioned whether the plan could work.",
        [S("indirect", "questioned", "Jane Doe", "Jane Doe", "the plan could work")],
        id="questioned-whether",
    ),
    pytest.param(
        "The union’s general secretary, Paul Graham, said members would strike.",
        [S("indirect", "said", "Paul Graham", "Paul Graham", "=members would strike")],
        id="name-in-apposition-to-a-nominal-speaker",
    ),
    pytest.param(
        "Jane Doe and Tom Reed said the deal was fair.",
        [S("indirect", "said", "Jane Doe and Tom Reed", None, "=the deal was fair")],
        id="two-speakers-at-once-are-no-single-entity",
    ),
    pytest.param(
        "Maria Gomez told AFP she was “shocked and saddened” by the decision.",
        [S("mixed", "told", "Maria Gomez", "Maria Gomez", "=she was “shocked and saddened” by the decision", addressee="AFP")],
        id="mixed-told-agency",
    ),
    pytest.param(
        "But to prevent delays, he said, local officials should hire more staff.",
        [S("indirect", "said", "he", None, "local officials should hire more staff", pieces=2)],
        id="parenthetical-cue-between-commas",
    ),
    pytest.param(
        "In the years since the flood, Reed says, dozens of homes have stood empty.",
        [S("indirect", "says", "Reed", "Reed", "In the years since the flood", pieces=2)],
        id="parenthetical-cue-after-fronted-phrase",
    ),
    pytest.param(
        "Mayor Tom Reed called the budget “a disgrace” on Monday.",
        [S("mixed", "called", "Mayor Tom Reed", "Tom Reed", "=the budget “a disgrace”")],
        id="called-object-predicate-not-call-on",
    ),
    pytest.param(
        "Coach Brian Kelly told his players to stay calm.",
        [S("indirect", "told", "Coach Brian Kelly", "Brian Kelly", "=to stay calm", addressee="his players")],
        id="told-addressee-to-infinitive",
    ),
    pytest.param(
        "Jane Doe argued that the new tax would hurt farmers, saying it was “a tax on bread.”",
        [
            S("indirect", "argued", "Jane Doe", "Jane Doe", "=the new tax would hurt farmers"),
            S("mixed", "saying", "Jane Doe", "Jane Doe", "a tax on bread"),
        ],
        id="trailing-saying-is-its-own-statement-of-the-same-speaker",
    ),
    pytest.param(
        "The mayor described the plan as a disaster.",
        [S("indirect", "described", "The mayor", None, "=the plan as a disaster")],
        id="described-as",
    ),
    pytest.param(
        "Tom Reed accused the council of lying to voters.",
        [S("indirect", "accused", "Tom Reed", "Tom Reed", "=the council of lying to voters")],
        id="accused-of",
    ),
    pytest.param(
        "Mark Hale: We will never sell the family farm.\n\nThe Latest: Tom Reed wins the county vote.\n\nTom Reed: 1,501.",
        [S("indirect", ":", "Mark Hale", "Mark Hale", "=We will never sell the family farm")],
        id="name-colon-headline-but-not-the-latest-or-a-figure",
    ),
    pytest.param(
        "Senator Mark Hale has also said that the bill is dead.",
        [S("indirect", "has also said", "Senator Mark Hale", "Mark Hale", "=the bill is dead")],
        id="cue-holds-its-auxiliary-and-also",
    ),
    pytest.param(
        "The mayor then later admitted that the budget was short.",
        [S("indirect", "then later admitted", "The mayor", None, "=the budget was short")],
        id="cue-holds-the-time-adverbs-before-it",
    ),
    pytest.param(
        "Tom Reed, however, said that the vote was fair.",
        [S("indirect", "said", "Tom Reed", "Tom Reed", "=the vote was fair")],
        id="cue-leaves-out-a-connective-adverb",
    ),
    pytest.param(
        "Tom Reed continues to insist that the vote was fair.",
        [S("indirect", "continues to insist", "Tom Reed", "Tom Reed", "=the vote was fair")],
        id="cue-holds-the-verb-its-infinitive-completes",
    ),
    pytest.param("Tom Reed declined to say whether the vote was fair.", [], id="a-refusal-to-say-is-no-statement"),
    pytest.param(
        "She attended a meeting, which the minister described as productive.",
        [],
        id="a-relative-pronoun-alone-is-no-content",
    ),
    pytest.param(
        "A new poll shows that the mayor leads by five points.",
        [S("indirect", "shows", "A new poll", None, "=the mayor leads by five points")],
        id="evidence-verb-with-a-clause",
    ),
    pytest.param(
        "Tom Reed pledged to cut taxes for small businesses.",
        [S("indirect", "pledged", "Tom Reed", "Tom Reed", "=to cut taxes for small businesses")],
        id="commitment-takes-its-infinitive",
    ),
    pytest.param(
        "The council met on Monday to discuss the budget.",
        [],
        id="a-planned-topic-is-no-statement",
    ),
    pytest.param(
        "The army stated it would attack the speakers and would respond within 48 hours if the broadcasts continue.",
        [S("indirect", "stated", "The army", None, "=it would attack the speakers and would respond within 48 hours if the broadcasts continue")],
        id="a-conjoined-speech-verb-under-the-same-modal-stays-in-the-content",
    ),
    pytest.param(
        "She said taxes would rise and warned that jobs would go.",
        [S("indirect", "said", "She", None, "=taxes would rise"), S("indirect", "warned", "She", None, "=jobs would go")],
        id="the-and-between-two-cues-is-in-neither-content",
    ),
    pytest.param(
        "The secretary general of the IOC (International Olympic Committee), Anna Berg, has called the decision “dangerous”.",
        [S("mixed", "has called", "Anna Berg", "Anna Berg", "the decision “dangerous”")],
        id="a-person-in-apposition-before-an-organisation",
    ),
    pytest.param(
        "As the minister told reporters, the talks have failed.",
        [S("indirect", "told", "the minister", None, "=the talks have failed", addressee="reporters")],
        id="an-as-clause-cites-the-source-of-the-clause-after-it",
    ),
    pytest.param(
        "The talks have failed, as the minister said on Monday.",
        [S("indirect", "said", "the minister", None, "=The talks have failed")],
        id="an-as-clause-cites-the-source-of-the-clause-before-it",
    ),
    pytest.param(
        "The Ministry of Health released a statement saying the outbreak was under control.",
        [S("indirect", "saying", "The Ministry of Health", "Ministry of Health", "=the outbreak was under control", medium="statement")],
        id="a-statement-saying-is-said-by-who-released-it",
    ),
    pytest.param(
        "Senator Ana Ruiz sent a letter to the governor saying the prison must close.",
        [S("indirect", "saying", "Senator Ana Ruiz", "Ana Ruiz", "=the prison must close", addressee="the governor", medium="letter")],
        id="a-letter-saying-is-said-by-who-sent-it",
    ),
    pytest.param("The crowd cheered as the minister said goodbye.", [], id="an-as-clause-with-what-was-said-is-a-time"),
    pytest.param(
        "A pro-government group calls itself Freedom Media and posts videos online.",
        [],
        id="calling-oneself-a-name-is-no-statement",
    ),
    pytest.param("The report was published as the minister told reporters.", [], id="an-as-clause-without-a-comma-is-a-time"),
    pytest.param("As the minister continued, the crowd grew restless.", [], id="an-as-clause-of-continuing-is-a-time"),
    pytest.param(
        "Tom Reed claimed the vote had been rigged, but offered no proof.",
        [S("indirect", "claimed", "Tom Reed", "Tom Reed", "=the vote had been rigged")],
        id="a-conjoined-act-without-subject-ends-the-content",
    ),
    pytest.param(
        "Tom Reed told reporters that prosecutors had tried to jail him, but a judge refused to let them.",
        [S("indirect", "told", "Tom Reed", "Tom Reed", "=prosecutors had tried to jail him, but a judge refused to let them", addressee="reporters")],
        id="a-clause-hung-on-the-cue-stays-in-the-content",
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_rules_indirect(pipeline, text, expected):
    check_statements(pipeline.extract(text), expected)


def test_a_letter_received_is_not_said_by_who_received_it():
    record = Pipeline(Settings(engine="rules")).extract("The mayor received a letter saying the bridge was unsafe.")
    assert [s.speaker for s in record.statements if s.content.text == "the bridge was unsafe"] == [None]


def test_an_as_clause_responding_to_something_is_a_reaction_not_a_source_cited():
    text = "In 2010 the county turned against the mayor, as voters responded to his plans to close the library."
    assert Pipeline(Settings(engine="rules")).extract(text).statements == ()


def test_under_polnears_convention_a_refusal_to_say_is_an_attribution_whose_cue_is_the_refusal():
    """PolNeAR's annotators mark "declined to say whether …", its cue "declined"; onrecord's own convention
    marks nothing."""
    record = Pipeline(Settings(engine="rules", span_convention="polnear")).extract("Tom Reed declined to say whether the vote was fair.")
    assert [(s.cue.text, s.speaker.text) for s in record.statements] == [("declined", "Tom Reed")]


@pytest.mark.parametrize("text, polnear, ours", [
    ("The senator angrily said that the deal was a fraud.", "angrily said", "said"),
    ("Trump was quick to add that the talks would go on.", "was quick to add", "to add"),
    ("Insiders were more likely to say that Clinton still had a chance.", "were more likely to say", "to say"),
    ("Trump was not quick to add that the talks would go on.", "to add", "to add"),
    ("The mayor issued a statement saying that the bridge was safe.", "issued a statement saying", "saying"),
    ("The mayor issued a statement on Friday, saying that the bridge was safe.", "saying", "saying"),
])
def test_under_polnears_convention_a_cue_takes_a_manner_adverb_a_predicate_adjective_and_a_publishing_verb(text, polnear, ours):
    """As PolNeAR's annotators draw a Cue; onrecord's convention keeps the verb and its infinitive alone."""
    for convention, cue in (("polnear", polnear), ("onrecord", ours)):
        record = Pipeline(Settings(engine="rules", span_convention=convention)).extract(text)
        assert [s.cue.text for s in record.statements] == [cue], convention


def test_a_nominal_cue_says_its_object_and_the_infinitive_that_goes_on_about_it():
    """"announced the start of a process to suggest designs": the parser hung the infinitive on the cue, but
    what was announced is the start of the process."""
    text = "On Tuesday, the New Zealand government announced the start of a public process to suggest designs for a new national flag."
    record = Pipeline(Settings(engine="rules")).extract(text)
    assert [s.content.text for s in record.statements] == ["the start of a public process to suggest designs for a new national flag"]


@pytest.mark.parametrize("text, polnear", [
    ("She needs to raise revenue, which she plans to do through a tax increase.", ["which", "to do through a tax increase"]),
    ("The man who said the plan would fail has left.", ["the plan would fail"]),  # "who" is the speaker
])
def test_under_polnears_convention_a_relative_pronoun_opening_the_cues_clause_is_a_piece_of_the_content(text, polnear):
    """PolNeAR's annotators give "which she plans to do …" the pronoun as a piece of the content; onrecord does not."""
    for convention, pieces in (("polnear", polnear), ("onrecord", polnear[-1:])):
        record = Pipeline(Settings(engine="rules", span_convention=convention)).extract(text)
        assert [[text[a:b] for a, b in s.content.spans or [(s.content.start, s.content.end)]] for s in record.statements] == [pieces], convention


@pytest.mark.parametrize("text, cue", [
    ("Microsoft no longer wants to support the old browser.", "no longer wants"),
    ("The mayor has very strongly condemned the attack.", "has very strongly condemned"),
])
def test_an_adverb_in_a_cue_keeps_its_own_modifiers(text, cue):
    """A cue never opens inside an adverb phrase ("longer wants" for "no longer wants")."""
    record = Pipeline(Settings(engine="rules", span_convention="polnear")).extract(text)
    assert [s.cue.text for s in record.statements] == [cue]


@pytest.mark.parametrize("text, said", [
    ("The country will deny entry to foreign journalists, officials said.",
     [("officials", "The country will deny entry to foreign journalists")]),
    ("The minister denied him a visa.", []),
    ("The court denied bail, a lawyer said.", [("a lawyer", "The court denied bail")]),
    ("The minister denied the allegations.", [("The minister", "the allegations")]),
])
def test_a_denial_that_withholds_something_is_no_statement(text, said):
    """"deny" withholds with a recipient or a thing granted (entry, bail, a visa); it disputes a claim otherwise."""
    record = Pipeline(Settings(engine="rules")).extract(text)
    assert [(s.speaker.text, s.content.text) for s in record.statements] == said


@pytest.mark.parametrize("text, cue, content", [
    # a colon that leads to the cue's own sentence
    ("Even people who backed the plan sounded unsure: Mayor Ana Ruiz called it “the least bad option we have.”",
     "called", "it “the least bad option we have.”"),
    ("It was not an abstract worry: soon Tom Reed had declared that he would close the bridge for a year.",
     "had declared", "he would close the bridge for a year"),
    ("“The floods draw us all together: solidarity with the victims,” Mayor Ana Ruiz wrote.",
     "wrote", "“The floods draw us all together: solidarity with the victims,”"),
    # a semicolon or a dash right before the cue's subject does the same
    ("Ana Ruiz met with an array of lawyers; one suggested that she apply for a new passport.",
     "suggested", "she apply for a new passport"),
    ("Clinton’s team says that nothing has changed - they say she’ll continue her campaign later this week.",
     "say", "she’ll continue her campaign later this week"),
    # the parser split "he’s had" into two complements of the cue
    ("Tom Reed told me he’s had a quiet life and was utterly unprepared.", "told",
     "he’s had a quiet life and was utterly unprepared"),
    ("Ana Ruiz said the families released by the city were in some cases close to finding new homes.", "said",
     "the families released by the city were in some cases close to finding new homes"),
    # not where the second follows a reporting participle whose words it is (a misparse kept apart)
    ('Officials tell BBC News every claim will be assessed meritocratically, with the i reporting no one will be '
     'refused "based solely on the response of the questionnaire".', "tell",
     "every claim will be assessed meritocratically, with the i reporting"),
    # a quoted sentence after a clause of its own, right before the cue, is what the cue says
    ("Mayor Tom Reed weighed in as well, telling reporters on Monday, “But gosh, they are both qualified,” he said.",
     "said", "“But gosh, they are both qualified,”"),
    ("The plan is “a disaster for farmers,” she said.", "said", "The plan is “a disaster for farmers,”"),
    ("Sooner or later, “I think we will have a new bridge,” he said.", "said",
     "Sooner or later, “I think we will have a new bridge,”"),
])
def test_the_content_is_the_clause_the_cue_says(text, cue, content):
    """'X sounded unsure: Ruiz called it …': a colon, semicolon or dash before the cue's subject starts the
    cue's own sentence (a colon inside a quotation does not); a clause the parser split is one content; a
    quoted sentence after a clause of its own, right before the cue, is what the cue says."""
    record = Pipeline(Settings(engine="rules")).extract(text)
    assert [s.content.text for s in record.statements if s.cue is not None and s.cue.text == cue] == [content]


def test_a_subordinate_clause_the_parser_hung_on_the_cue_opens_the_content():
    """'said just because X was not obvious did not mean …': the because-clause right after the cue is the
    start of what was said, though the parser hung it on the cue (a parse fixed here, as the model gives it)."""
    from onrecord.nlp.attribution import attribute_statements

    words = ["Judge", "Stone", "said", "just", "because", "bias", "was", "not", "obvious", "did", "not", "mean",
             "it", "was", "not", "there", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 2, 2, 6, 6, 6, 2, 6, 6, 11, 11, 2, 13, 11, 13, 13, 2],
              deps=["compound", "nsubj", "ROOT", "advmod", "mark", "nsubj", "advcl", "neg", "acomp", "aux", "neg",
                    "ccomp", "nsubj", "ccomp", "neg", "advmod", "punct"],
              pos=["PROPN", "PROPN", "VERB", "ADV", "SCONJ", "NOUN", "AUX", "PART", "ADJ", "AUX", "PART", "VERB",
                   "PRON", "AUX", "PART", "ADV", "PUNCT"],
              tags=["NNP", "NNP", "VBD", "RB", "IN", "NN", "VBD", "RB", "JJ", "VBD", "RB", "VB", "PRP", "VBD", "RB",
                    "RB", "."],
              lemmas=["Judge", "Stone", "say", "just", "because", "bias", "be", "not", "obvious", "do", "not", "mean",
                      "it", "be", "not", "there", "."])
    found = attribute_statements(doc, [])
    assert [doc.text[a:b] for att in found for a, b in att.content] == [
        "just because bias was not obvious did not mean it was not there"]


def test_a_name_given_is_not_a_statement():
    """'a group called X is …': "called" names the group; nobody says the rest of the sentence, also where
    the parser read "called" as the group's verb and the rest as what it called."""
    from onrecord.nlp.attribution import attribute_statements

    assert Pipeline(Settings(engine="rules")).extract("The charity, called Bridges for All, is opening an office.").statements == ()
    words = ["A", "group", "called", "Our", "Principles", "is", "ramping", "up", "its", "operations", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 2, 2, 4, 2, 6, 2, 6, 9, 6, 2],
              deps=["det", "nsubj", "ROOT", "poss", "oprd", "aux", "ccomp", "prt", "poss", "dobj", "punct"],
              pos=["DET", "NOUN", "VERB", "PRON", "PROPN", "AUX", "VERB", "ADP", "PRON", "NOUN", "PUNCT"],
              tags=["DT", "NN", "VBD", "PRP$", "NNPS", "VBZ", "VBG", "RP", "PRP$", "NNS", "."],
              lemmas=["a", "group", "call", "our", "principle", "be", "ramp", "up", "its", "operation", "."])
    assert attribute_statements(doc, []) == []


def test_a_content_of_nothing_but_that_is_no_statement():
    """'X argued that:' before a list: "that:" says nothing; no engine records it."""
    from onrecord.nlp.attribution import says_something

    text = "The group disagreed.\n\nAna Ruiz argued that:\n\nOnly 2,200 families have been admitted in four years."
    for engine in ("rules", "hybrid"):
        record = Pipeline(Settings(engine=engine, span_convention="polnear")).extract(text)
        assert all(s.content.text.strip(" :") != "that" for s in record.statements)
    assert not says_something("argued that:", ((7, 12),)) and says_something("argued that it", ((7, 14),))
