"""Direct quotations: every style of mark, apostrophes and scare quotes that are not quotations,
quotations over several paragraphs, the speaker before, after or inside the quotation, cues well
beyond "say", addressee and medium, and quotations that continue the previous statement as further pieces of its content."""

from __future__ import annotations

import pytest

from onrecord.pipeline import Pipeline
from onrecord.settings import Settings
from test_rules_support import S, check_statements

CASES = [
    pytest.param(
        '"We will not back down," Mayor Tom Reed said on Monday.',
        [S("direct", "said", "Mayor Tom Reed", "Tom Reed", '="We will not back down,"')],
        id="straight-marks-speaker-after",
    ),
    pytest.param(
        "“The budget is balanced for the first time in a decade,” said Finance Minister Ana Ruiz.",
        [S("direct", "said", "Ana Ruiz", "Ana Ruiz", "=“The budget is balanced for the first time in a decade,”")],
        id="curly-marks-inverted-speaker-with-title",
    ),
    pytest.param(
        "«We will never give up the fight for our farms,» said Pierre Martin, the union leader.",
        [S("direct", "said", "Pierre Martin, the union leader", "Pierre Martin", "=«We will never give up the fight for our farms,»")],
        id="guillemets",
    ),
    pytest.param(
        "'The plan will never work in a month of Sundays,' said Jane Doe.",
        [S("direct", "said", "Jane Doe", "Jane Doe", "='The plan will never work in a month of Sundays,'")],
        id="single-marks-long-quotation",
    ),
    pytest.param(
        "“Britain’s ministers don’t listen to us,” said Pierre Martin.",
        [S("direct", "said", "Pierre Martin", "Pierre Martin", "=“Britain’s ministers don’t listen to us,”")],
        id="apostrophes-inside-a-quotation",
    ),
    pytest.param(
        "The ‘shadow cabinet’ met on Monday to discuss the ministers’ plan for Britain’s ports.",
        [],
        id="scare-quotes-and-apostrophes-are-not-statements",
    ),
    pytest.param(
        "Governor Lisa Park said: “We must fix the roads before the winter comes.\n\n"
        "“We must also pay our teachers what they are worth.\n\n"
        "“And we will do it without raising taxes.”",
        [S("direct", "said", "Governor Lisa Park", "Lisa Park", "without raising taxes.”", pieces=3)],
        id="quotation-over-three-paragraphs",
    ),
    pytest.param(
        '"This is a sad day for the city," said Tom Reed.\n\n'
        '"We will rebuild, but it will take years.\n\n'
        '"Nobody should doubt our resolve."',
        [S("direct", "said", "Tom Reed", "Tom Reed", "Nobody should doubt our resolve", pieces=3)],
        id="continuing-quotation-over-two-paragraphs",
    ),
    pytest.param(
        "Senator Mark Hale spoke on Tuesday.\n\n“This bill is a disaster for farmers,” he said.",
        [S("direct", "said", "he", "Mark Hale", "=“This bill is a disaster for farmers,”")],
        id="speaker-after-as-pronoun",
    ),
    pytest.param(
        "Mark Hale said: “This bill is a disaster for farmers.”",
        [S("direct", "said", "Mark Hale", "Mark Hale", "=“This bill is a disaster for farmers.”")],
        id="speaker-before-with-colon",
    ),
    pytest.param(
        "“The plan is sound,” said Hale, “and it will pass next week.”",
        [S("direct", "said", "Hale", "Hale", "and it will pass next week", pieces=2)],
        id="speaker-inside-two-pieces",
    ),
    pytest.param(
        "Coach Brian Kelly told his players: “Nobody remembers the team that came second.”",
        [S("direct", "told", "Coach Brian Kelly", "Brian Kelly", "Nobody remembers", addressee="his players")],
        id="told-addressee-colon",
    ),
    pytest.param(
        "In a letter to the council, Jones wrote: “The library must stay open for the children.”",
        [S("direct", "wrote", "Jones", "Jones", "library must stay open", addressee="the council", medium="letter")],
        id="wrote-in-a-letter-to",
    ),
    pytest.param(
        "“The evidence is overwhelming and the case is closed,” the judge concluded.",
        [S("direct", "concluded", "the judge", None, "the case is closed")],
        id="concluded-unnamed-judge",
    ),
    pytest.param(
        "“It will not happen again,” Smith added.",
        [S("direct", "added", "Smith", "Smith", "=“It will not happen again,”")],
        id="added",
    ),
    pytest.param(
        "“We are not going anywhere,” the protesters insisted.",
        [S("direct", "insisted", "the protesters", None, "not going anywhere")],
        id="insisted-unnamed-group",
    ),
    pytest.param(
        "Jane Doe argued: “Nobody voted for this.”",
        [S("direct", "argued", "Jane Doe", "Jane Doe", "=“Nobody voted for this.”")],
        id="argued-colon",
    ),
    pytest.param(
        '"We don\'t want charity, we want fair prices," Economist Paul Graham warned.',
        [S("direct", "warned", "Economist Paul Graham", "Paul Graham", "we want fair prices")],
        id="warned-with-apostrophe-inside",
    ),
    pytest.param(
        "Ana Ruiz said in an interview with the BBC: “I will run again, and I will win.”",
        [S("direct", "said", "Ana Ruiz", "Ana Ruiz", "I will win", addressee="the BBC", medium="interview")],
        id="interview-with-addressee",
    ),
    pytest.param(
        "“Enough is enough,” Ruiz wrote in a letter to Prime Minister John Smith.",
        [S("direct", "wrote", "Ruiz", "Ruiz", "Enough is enough", addressee="Prime Minister John Smith", medium="letter")],
        id="wrote-letter-to-after-quotation",
    ),
    pytest.param(
        "The Red Cross issued a statement on the crisis: “Aid must reach civilians now.”",
        [S("direct", "issued", "The Red Cross", "Red Cross", "=“Aid must reach civilians now.”", medium="statement")],
        id="issued-a-statement-then-a-colon",
    ),
    pytest.param(
        "Later on “Meet the Press,” Senator Tom Reed questioned the mayor’s honesty.",
        [S("indirect", "questioned", "Senator Tom Reed", "Tom Reed", "=the mayor’s honesty")],
        id="a-title-in-quotation-marks-is-not-said",
    ),
    pytest.param(
        "In an interview with ABC’s “Good Morning America,” on Monday, Ann Price continued her attacks on the judge.",
        [],
        id="a-title-after-a-possessive-is-not-said",
    ),
    pytest.param(
        "“The numbers are wrong,” sources said.",
        [S("direct", "said", "sources", None, "numbers are wrong")],
        id="unnamed-sources",
    ),
    pytest.param(
        "Jane Doe said the plan was flawed.\n\n“It simply does not add up, and everyone in this building knows it.”",
        [S("mixed", "said", "Jane Doe", "Jane Doe", "everyone in this building knows it", pieces=2)],
        id="continuing-paragraph-after-indirect",
    ),
    pytest.param(
        '"The strike is over," said Maria Gomez. "We got what we asked for."',
        [S("direct", "said", "Maria Gomez", "Maria Gomez", "We got what we asked for", pieces=2)],
        id="continuing-sentence-after-direct",
    ),
    pytest.param(
        "Mark Hale spoke to supporters in Leeds on Friday.\n\n"
        '"The bill will pass next month," Hale said.\n\n'
        '"Nobody in this party will vote against it."',
        [S("direct", "said", "Hale", "Mark Hale", "Nobody in this party", pieces=2)],
        id="continuing-after-surname-speaker",
    ),
    pytest.param(
        "Jane Doe said the plan would save money. Tom Reed disagreed. “It is a fantasy from start to finish.”",
        [S("indirect", "said", "Jane Doe", "Jane Doe", "=the plan would save money")],
        id="no-floating-across-another-persons-sentence",
    ),
    pytest.param(
        "Jane Doe said the plan would save money.\n\n"
        "Tom Reed, the mayor, strongly disagreed with her.\n\n"
        "“This plan will cost the city a fortune.”",
        [S("indirect", "said", "Jane Doe", "Jane Doe", "=the plan would save money")],
        id="no-floating-across-another-paragraph",
    ),
    pytest.param(
        "“We have no choice,” said Tom Reed, adding: “The money has run out.”",
        [
            S("direct", "said", "Tom Reed", "Tom Reed", "=“We have no choice,”"),
            S("direct", "adding", "Tom Reed", "Tom Reed", "=“The money has run out.”"),
        ],
        id="said-then-adding-colon",
    ),
    pytest.param(
        "“Why now?” asked Carla Diaz. “Why not last year, when we warned them?”",
        [S("direct", "asked", "Carla Diaz", "Carla Diaz", "when we warned them", pieces=2)],
        id="asked-question-then-continuing",
    ),
    pytest.param(
        "Lucy Fenwick, the transport secretary, told MPs: “The trains will run on time.” She added that fares would be frozen.",
        [
            S("direct", "told", "Lucy Fenwick, the transport secretary", "Lucy Fenwick", "trains will run on time", addressee="MPs"),
            S("indirect", "added", "She", "Lucy Fenwick", "=fares would be frozen"),
        ],
        id="told-colon-then-pronoun-added",
    ),
    pytest.param(
        "Mayor Tom Reed went on:\n\n“We will rebuild the bridge, and we will do it this year.”",
        [S("direct", "went on", "Mayor Tom Reed", "Tom Reed", "we will do it this year")],
        id="colon-frame-in-the-paragraph-before",
    ),
    pytest.param(
        "“Sit down and wait your turn,” Tom Reed barked.",
        [S("direct", "barked", "Tom Reed", "Tom Reed", "=“Sit down and wait your turn,”")],
        id="manner-of-speaking-verb",
    ),
    pytest.param(
        "Tom Reed spoke first.\n\n"
        "''We will rebuild the bridge before the winter,'' he said. ''Nobody should doubt our resolve on this.''",
        [S("direct", "said", "he", "Tom Reed", "Nobody should doubt our resolve on this.''", pieces=2)],
        id="apostrophe-pairs-as-double-marks-continuing-quotation",
    ),
    pytest.param(
        "The council met on Tuesday.\n\n"
        "“The bridge will reopen in May,” said Ana Ruiz. “The repairs cost less than we feared. Nobody lost a job.” "
        "Ruiz added that the road would stay closed.",
        [
            S("direct", "said", "Ana Ruiz", "Ana Ruiz", "Nobody lost a job", pieces=2),
            S("indirect", "added", "Ruiz", "Ana Ruiz", "=the road would stay closed"),
        ],
        id="continuing-quotation-before-a-new-sentence",
    ),
    pytest.param(
        "The council met on Tuesday.\n\n"
        "“The bridge will reopen in May,” said Ana Ruiz, a former engineer with the regional transport authority "
        "who has overseen the repairs of three bridges on the river since 2015. “Nobody should doubt that date.”",
        [S("direct", "said", "Ana Ruiz", "Ana Ruiz", "Nobody should doubt", pieces=2)],
        id="continuing-quotation-after-a-long-apposition",
    ),
    pytest.param(
        "The council met on Tuesday.\n\n"
        "“The bridge will reopen in May,” Tom Reed said. “We owe the city nothing less.” He added: “The money is there.”",
        [
            S("direct", "said", "Tom Reed", "Tom Reed", "We owe the city nothing less", pieces=2),
            S("direct", "added", "He", "Tom Reed", "=“The money is there.”"),
        ],
        id="quotation-ending-its-sentence-is-not-framed-by-the-next-cue-with-its-own",
    ),
    pytest.param(
        "Voices from the riverside:\n"
        "“The new bridge saved my small business.” ― Maria Lopez\n"
        "“Nobody asked the people who live next to it.”\u00a0— Daniel K. Brooks.",
        [
            S("direct", "―", "Maria Lopez", "Maria Lopez", "=“The new bridge saved my small business.”"),
            S("direct", "—", "Daniel K. Brooks", "Daniel K. Brooks", "=“Nobody asked the people who live next to it.”"),
        ],
        id="quotation-line-then-dash-and-name",
    ),
    pytest.param(
        "Further reading:\n"
        "“Council approves the new bridge over the river” — The Daily Courier, May 3, 2021\n"
        "“Bridge work to start in the spring after the vote” — Reuters",
        [],
        id="cited-headline-then-dash-and-outlet-is-no-statement",
    ),
    pytest.param(
        "“Many voters are unsure this year,” Ruiz wrote in a letter to the council explaining why she is "
        "running, “but most agree that the city is on the wrong track.”",
        [
            S("direct", "wrote", "Ruiz", "Ruiz", "the city is on the wrong track.”", pieces=2),
            S("indirect", "explaining", "Ruiz", "Ruiz", "=why she is running"),
        ],
        id="split-quotation-goes-on-past-a-clause-with-a-cue-of-its-own",
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_rules_direct(pipeline, text, expected):
    check_statements(pipeline.extract(text), expected)


@pytest.mark.parametrize("text", [
    "Mayor Ana Ruiz fired back: “We will not close the bridge,” she wrote, “not this year and not next.”",
    "The council disagreed.\n\nRuiz fired back: “As a guardian of this city,” she wrote, “I will keep the bridge open. Nobody can stop that!”",
])
def test_a_clause_that_opens_a_quotation_with_a_colon_is_not_the_content_of_the_cue_inside_it(text):
    """'X fired back: “A,” she wrote, “B”': the quotation is what "wrote" says, not the clause before its colon."""
    record = Pipeline(Settings(engine="rules")).extract(text)
    wrote = [s for s in record.statements if s.cue is not None and s.cue.text == "wrote"]
    assert len(wrote) == 1
    assert wrote[0].kind == "direct"
    assert wrote[0].content.text.startswith("“") and "fired back" not in wrote[0].content.text
