"""Positions and disagreements: the example article's, rule cases written for the rules, and
target normalisation. No test reads the example's gold."""

from __future__ import annotations

import pytest

from onrecord.model import Extraction, Position, Span
from onrecord.nlp.positions import REPORT_MIN_CONFIDENCE, derive_disagreements, normalize_target


def _holder_name(record: Extraction, p: Position) -> str:
    entity = record.entity(p.holder)
    return entity.name if entity else p.holder_text


def _triples(record: Extraction) -> set[tuple[str, str, str]]:
    return {(_holder_name(record, p), p.stance, p.target_norm) for p in record.positions}


def _entity_named(record: Extraction, surname: str) -> str:
    found = [e.id for e in record.entities if e.name.split()[-1].startswith(surname)]
    assert len(found) == 1, (surname, [e.name for e in record.entities])
    return found[0]


# --- the example article -----------------------------------------------------------------------


def test_positions_example_cleverly_favors_the_two_state_solution(example_record):
    cleverly = _entity_named(example_record, "Cleverl")
    found = [p for p in example_record.positions if p.holder == cleverly and p.target_norm == "two-state solution"]
    assert [p.stance for p in found] == ["favor"]
    assert found[0].statement is not None and found[0].cue.text == "support"


def test_positions_example_starmer_favors_pauses_and_is_against_a_ceasefire(example_record):
    starmer = _entity_named(example_record, "Starmer")
    mine = {(p.stance, p.target_norm): p for p in example_record.positions if p.holder == starmer}
    assert ("favor", "humanitarian pause") in mine
    assert ("against", "ceasefire") in mine
    pauses = mine[("favor", "humanitarian pause")]
    assert pauses.target.text == "humanitarian “pauses”"  # the scare quotes stay in the span, not in the key
    assert pauses.cue.text == "calls for"
    assert mine[("against", "ceasefire")].statement == pauses.statement


def test_positions_example_hussain_is_against_the_october_7_attack(example_record):
    hussain = _entity_named(example_record, "Hussain")
    against = [p.target_norm for p in example_record.positions if p.holder == hussain and p.stance == "against"]
    assert any("attack" in t and "october 7" in t for t in against), against


def test_positions_example_explicit_disagreement_from_hussain_to_starmer(example_record):
    hussain, starmer = _entity_named(example_record, "Hussain"), _entity_named(example_record, "Starmer")
    found = [d for d in example_record.disagreements if d.kind == "explicit" and d.a == hussain and d.b == starmer]
    assert len(found) == 1
    (d,) = found
    (statement,) = [s for s in example_record.statements if s.id in d.statements]
    assert "differs markedly" in statement.content.text
    assert d.evidence is not None and "differs markedly from the position you have taken" in d.evidence.text
    assert d.b_text == "Keir Starmer"  # the addressee: "you" in a letter to Keir Starmer


def test_positions_example_no_holder_is_for_and_against_one_target(example_record):
    stances: dict[tuple[str | None, str], set[str]] = {}
    for p in example_record.positions:
        stances.setdefault((p.holder, p.target_norm), set()).add(p.stance)
    assert all(len(s) == 1 for s in stances.values()), stances


def test_positions_every_span_is_the_text_at_its_offsets(example_record):
    text = example_record.article.text
    spans: list[Span] = [s for p in example_record.positions for s in (p.target, p.cue)]
    spans += [d.evidence for d in example_record.disagreements if d.evidence is not None]
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_positions_statements_and_entities_they_name_exist(example_record):
    statements = {s.id for s in example_record.statements}
    entities = {e.id for e in example_record.entities}
    for p in example_record.positions:
        assert p.statement is None or p.statement in statements
        assert p.holder is None or p.holder in entities
    for d in example_record.disagreements:
        assert set(d.statements) <= statements
        assert {d.a, d.b} - {None} <= entities


# --- rule cases --------------------------------------------------------------------------------

POSITION_CASES = [
    # (text, holder, stance, target_norm)
    ("Senator John Smith said he does not support the health plan.", "John Smith", "against", "health plan"),
    ("Mary Jones refused to back the tax measure.", "Mary Jones", "against", "tax measure"),
    ("Jane Porter urged lawmakers to reject the spending bill instead of the amendment.", "Jane Porter", "against", "spending bill"),
    ("Jane Porter urged lawmakers to reject the spending bill instead of the amendment.", "Jane Porter", "favor", "amendment"),
    ("Angela Merkel called for sanctions rather than talks.", "Angela Merkel", "favor", "sanction"),
    ("Angela Merkel called for sanctions rather than talks.", "Angela Merkel", "against", "talk"),
    ("“We welcome the ceasefires,” said Ban Ki-moon.", "Ban Ki-moon", "favor", "ceasefire"),
    ("Theresa May called for an end to the violence.", "Theresa May", "against", "violence"),
    ("Theresa May urged Congress to repeal the estate tax law.", "Theresa May", "against", "estate tax law"),
    ("Boris Johnson is opposed to the Brexit deal and in favour of sanctions.", "Boris Johnson", "against", "brexit deal"),
    ("Boris Johnson is opposed to the Brexit deal and in favour of sanctions.", "Boris Johnson", "favor", "sanction"),
    ("Barack Obama supports raising the minimum wage.", "Barack Obama", "favor", "raising the minimum wage"),
    ("The Green Party strongly opposes nuclear power.", "Green Party", "against", "nuclear power"),
    ("Rishi Sunak condemned the attacks on civilians.", "Rishi Sunak", "against", "attack on civilians"),
    ("Emmanuel Macron reiterated France’s support for the two-state solution.", "Emmanuel Macron", "favor", "two-state solution"),
    ("Joe Biden said he opposes the tariffs.", "Joe Biden", "against", "tariff"),
    ("Ted Kasich, a Republican, has been a pointed critic of his policies.", "Ted Kasich", "against", "policy"),
    ("Jane Porter, a longtime supporter of Hillary Clinton, spoke on Monday.", "Jane Porter", "favor", "hillary clinton"),
    ("Carlos Curbelo said he will not back Mr. Trump.", "Carlos Curbelo", "against", "trump"),
    ("Donald Trump pledged to build a wall along the border.", "Donald Trump", "favor", "build a wall along the border"),
    ("Mike Pence said Donald Trump wants to repeal Obamacare.", "Donald Trump", "against", "obamacare"),
    ("Donald Trump has yet to endorse Paul Ryan.", "Donald Trump", "against", "paul ryan"),
    ("Patti Davis lashed out at the GOP nominee on Facebook.", "Patti Davis", "against", "gop nominee"),
    ("Jane Porter met Donald Trump on Monday. She criticized him for his remarks.", "Jane Porter", "against", "donald trump"),
    # agent nouns with the name they are for or against, also in a conjunction of appositions
    ("Jay Jacobs, a Clinton supporter, spoke on Monday.", "Jay Jacobs", "favor", "clinton"),
    ("Barney Frank, a former congressman and fierce critic of Bernie Sanders, spoke.", "Barney Frank", "against", "bernie sanders"),
    # people named in an apposition or a conjunction each hold the stance
    ("The two leading Republicans, Donald Trump and Ted Cruz, criticized the Paris agreement.", "Donald Trump", "against", "paris agreement"),
    ("The two leading Republicans, Donald Trump and Ted Cruz, criticized the Paris agreement.", "Ted Cruz", "against", "paris agreement"),
    # "who" is a person, though the parser hangs it on the last noun
    ("Robert Reich, a secretary of labor during the Clinton administration who has endorsed Bernie Sanders, spoke.",
     "Robert Reich", "favor", "bernie sanders"),
    # a pronoun in a clause reported by a named person is that person
    ("Representative Mo Brooks has said that he would consider new laws and that he favored imposing tariffs on China.",
     "Mo Brooks", "favor", "imposing tariff on china"),
    # a possessive pronoun is first the subject of its own clause, not the one who reports it
    ("Jane Porter said Donald Trump was endangering troops with his attacks on Islam.", "Donald Trump", "against", "islam"),
    ("Theresa May urged Congress to stall the pipeline project.", "Theresa May", "against", "pipeline project"),
    ("Jane Porter urged Congress not to pass the trade pact.", "Jane Porter", "against", "trade pact"),
    # an act keeps its prepositions
    ("Donald Trump said he was against going into Iraq.", "Donald Trump", "against", "going into iraq"),
    # a candidacy stands for the candidate, a person target is keyed by the person's name
    ("Jane Porter and Tom Reed became the first to endorse the presidential bid of real estate mogul Donald Trump.",
     "Tom Reed", "favor", "donald trump"),
    ("Jane Porter has endorsed Mike Huckabee's campaign.", "Jane Porter", "favor", "mike huckabee"),
    # undoing nouns stand against what they undo; a named target is its name
    ("Donald Trump has called for the complete repeal of Obamacare.", "Donald Trump", "against", "obamacare"),
    ("Newt Gingrich dismissed NATO member Estonia.", "Newt Gingrich", "against", "estonia"),
    # a described target is what it is named or exemplified as
    ("Donald Trump called for an end to the budget cuts known as sequestration.", "Donald Trump", "against", "sequestration"),
    ("Park Geun-hye accused the North's leader, Kim Jong Un, of recklessness.", "Park Geun-hye", "against", "kim jong un"),
    ("Hillary Clinton is proposing marquee projects like installing solar panels.", "Hillary Clinton", "favor",
     "installing solar panel"),
]


@pytest.mark.parametrize("text, holder, stance, target", POSITION_CASES)
def test_positions_rule_cases(pipeline, text, holder, stance, target):
    record = pipeline.extract(text)
    assert (holder, stance, target) in _triples(record), _triples(record)


def test_positions_hedge_lowers_confidence(pipeline):
    plain = pipeline.extract("The mayor, Tom Reed, supports the new stadium.").positions
    hedged = pipeline.extract("The mayor, Tom Reed, may consider supporting the new stadium.").positions
    assert [(p.stance, p.target_norm) for p in plain] == [("favor", "new stadium")]
    assert [(p.stance, p.target_norm) for p in hedged] == [("favor", "new stadium")]
    assert hedged[0].confidence < plain[0].confidence


@pytest.mark.parametrize(
    "text",
    [
        "Did Joe Biden support the war?",
        "Reporters asked whether Ted Cruz supports the amendment.",
        "The bill was passed on Monday.",
        "Critics of the plan met on Tuesday.",
        "Reporters asked Jane Porter why she criticised the plan.",
        "Jane Porter was not opposed by Mary Jones but by Tom Reed.",
        "Tom Reed said he wants to live his life in peace.",
        # a negated criticism, a thing not (yet) done: no stance stated
        "Bernie Sanders did not attack Hillary Clinton directly.",
        "Jane Porter has not endorsed Donald Trump.",
        # conditions, doubted or denied claims, acts left open by a modal above
        "If the bill passes, Jeff Flake will not vote for the health plan.",
        "Donald Trump questioned Israel’s commitment to making peace.",
        "Reporters repeated the debunked claim that Donald Trump opposed the Iraq invasion.",
        "Donald Trump could benefit from scenes that allow him to call for stronger policing.",
        "Barack Obama left it to others to praise the economic record.",
        # targets that name nothing: a generic head alone, a pointed-at one, a state rather than an act
        "Kellyanne Conway rejected the idea.",
        "Jane Porter called for action.",
        "Paul Ryan disavowed these comments.",
        "Donald Trump vowed to leave entitlement spending untouched.",
        "Marco Rubio vowed to win his home state of Florida.",
        "Franklin Graham vowed not to buy Girl Scout cookies.",
        "Brent Bozell said he urged Ted Cruz for months.",
        "Donald Trump blamed his hesitancy on a bad earpiece.",
        "The agency approved about 2,880 people for resettlement.",
        # no one named: an indefinite or a group holder
        "A party official criticized the Paris agreement.",
        # a third-person pronoun in a quotation is someone other than its speaker
        '"He is speaking out against the United States government," Deborah Reynolds says.',
        '"It is a fair inference that he supports their policies," Ted Cruz said.',
        # appearing to do something, lying about or steering clear of it, asking others to do it
        "John Stumpf appeared to blame low-level workers for the behavior.",
        "Donald Trump says Hillary Clinton is lying about her support for the trade deal.",
        "The White House is steering clear of criticizing Donald Trump.",
        "Donald Trump called for female contestants to wear shorter dresses.",
        # the interviewer's line of a transcript is no one's stance
        "Q: Bernie Sanders is a socialist. He wants a revolution.",
        # a Title Case headline is parsed too poorly to name a holder
        "Hillary Clinton Under Pressure To Repudiate General Who Called For Internment Of Radicals",
        # the one who is to do what is wanted is not the target
        "Cheryl Mills wanted a close aide to keep track of it.",
        # a possessive pronoun with two people named before it: either of them
        "Ted Cruz made veiled references to Marco Rubio's voting record and his support for the immigration bill.",
    ],
)
def test_positions_questions_and_plain_narrative_state_none(pipeline, text):
    reported = [p for p in pipeline.extract(text).positions if p.confidence >= REPORT_MIN_CONFIDENCE]
    assert reported == []


def test_positions_what_a_target_is_called_is_no_target(pipeline):
    record = pipeline.extract('Barack Obama condemned the test as "provocative" and a "grave threat" to regional stability.')
    assert {norm for _, _, norm in _triples(record)} <= {"test"}
    assert not any("threat" in p.target_norm for p in record.positions)


def test_positions_a_target_is_not_cut_at_a_possessive(pipeline):
    record = pipeline.extract("Donald Trump praised Breitbart News’ Washington Political Editor Matthew Boyle on Tuesday.")
    assert not any(p.target.text.endswith("’") or p.target_norm == "breitbart news" for p in record.positions)


def test_positions_a_stance_noun_under_a_stance_verb_is_its_possessors(pipeline):
    record = pipeline.extract("Hillary Clinton blasted Donald Trump's call for a deportation force.")
    assert ("Donald Trump", "favor", "deportation force") in _triples(record)
    assert not any(_holder_name(record, p) == "Hillary Clinton" and p.stance == "favor" for p in record.positions)
    dismissed = pipeline.extract("Paul Manafort dismissed criticism of Donald Trump's comments.")
    assert not any(_holder_name(dismissed, p) == "Paul Manafort" for p in dismissed.positions)


def test_positions_groups_and_guesses_fall_below_the_report_bar(pipeline):
    record = pipeline.extract("Republicans criticized the Paris agreement.")
    assert record.positions and all(p.confidence < REPORT_MIN_CONFIDENCE for p in record.positions)


def test_positions_unnamed_holders_state_no_explicit_disagreement(pipeline):
    for text in ("A party MP disagrees with Keir Starmer.", "Keir Starmer’s position is criticized within the Labour Party."):
        assert [d for d in pipeline.extract(text).disagreements if d.kind == "explicit"] == [], text


def test_positions_criticising_a_person_is_an_explicit_disagreement(pipeline):
    record = pipeline.extract("Angela Merkel criticised Donald Trump on Tuesday.")
    (d,) = [d for d in record.disagreements if d.kind == "explicit"]
    assert (d.a_text, d.b_text) == ("Angela Merkel", "Donald Trump")
    assert d.evidence is not None and "Donald Trump" in d.evidence.text


def test_positions_at_odds_with_is_an_explicit_disagreement(pipeline):
    record = pipeline.extract("Vladimir Putin is at odds with Emmanuel Macron over Ukraine.")
    assert [(d.a_text, d.b_text, d.kind) for d in record.disagreements] == [("Vladimir Putin", "Emmanuel Macron", "explicit")]


def test_positions_opposite_stances_derive_a_disagreement(pipeline):
    record = pipeline.extract("The Green Party opposes nuclear power. The Labour Party backs nuclear power.")
    derived = [d for d in record.disagreements if d.kind == "derived"]
    assert [(d.a_text, d.b_text, d.target_norm) for d in derived] == [("Green Party", "Labour Party", "nuclear power")]


def test_positions_same_stance_derives_nothing(pipeline):
    record = pipeline.extract("The Green Party opposes nuclear power. The Labour Party opposes nuclear power too.")
    assert len(record.positions) == 2
    assert derive_disagreements(record.positions) == []


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("the ceasefires", "ceasefire"),
        ("a ceasefire", "ceasefire"),
        ("the ceasefire", "ceasefire"),
        ("ceasefires", "ceasefire"),
        ("Sanders", "sanders"),
        ("humanitarian “pauses”", "humanitarian pause"),
        ("the two-state solution", "two-state solution"),
        ("his policies", "policy"),
        ("new taxes on the rich", "new tax on the rich"),
        ("the ‘shadow cabinet’", "shadow cabinet"),
        ("the crises", "crisis"),
        ("the United States", "united states"),
        ("Obama’s decision", "obama’s decision"),
        ("the", ""),
        ("", ""),
    ],
)
def test_positions_normalize_target(raw, norm):
    assert normalize_target(raw) == norm


# --- the evaluation's matching -------------------------------------------------------------------


def test_positions_evaluation_matches_holder_target_and_stance(pipeline):
    from onrecord.evaluate.positions import GoldPosition, PositionEvaluation, holder_matches, score_positions, target_matches

    assert target_matches("ceasefire", "ceasefire")
    assert target_matches("attack of october 7", "october 7 attack")
    assert target_matches("two-state solution", "solution")  # contained, half the words
    assert not target_matches("ban on muslims entering the country", "muslims")
    assert holder_matches(("Imran Hussain",), GoldPosition("a", "Imran Hussain", "Hussain", "x", "x", "favor"))
    assert holder_matches(("Mr. Hussain",), GoldPosition("a", "Imran Hussain", "he", "x", "x", "favor"))
    assert not holder_matches(("Keir Starmer",), GoldPosition("a", "Imran Hussain", "he", "x", "x", "favor"))

    record = pipeline.extract("Angela Merkel called for sanctions rather than talks.")
    gold = [
        GoldPosition("doc", "Angela Merkel", "Merkel", "sanctions", "sanction", "favor"),
        GoldPosition("doc", "Angela Merkel", "Merkel", "talks", "talk", "favor"),  # wrong stance: a miss
    ]
    result = PositionEvaluation()
    score_positions(record, gold, "doc", result)
    assert (result.true_positives, result.false_positives, result.false_negatives) == (1, 1, 1)
    assert result.precision == 0.5 and result.recall == 0.5
    assert {e["error"] for e in result.errors} == {"missed", "false"}


def test_positions_evaluate_command_reports_and_writes_errors(tmp_path, capsys):
    import json

    from onrecord.cli import main

    texts = tmp_path / "brat" / "text"
    texts.mkdir(parents=True)
    (texts / "one.txt").write_text("The Green Party opposes nuclear power.", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    line = {"article": "one", "holder": "Green Party", "holder_as_written": "The Green Party", "target": "nuclear power",
            "target_norm": "nuclear power", "stance": "against", "cue": "opposes", "char_start": 16, "char_end": 23}
    gold.write_text(json.dumps(line) + "\n", encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    assert main(["evaluate-positions", str(gold), "--brat-dir", str(tmp_path / "brat"), "--errors", str(errors)]) == 0
    out = capsys.readouterr().out
    assert "precision 100.0  (1/1)" in out and "recall    100.0  (1/1)" in out
    assert errors.read_text(encoding="utf-8") == ""
    gold.write_text("{not json\n", encoding="utf-8")
    assert main(["evaluate-positions", str(gold), "--brat-dir", str(tmp_path / "brat"), "--errors", str(errors)]) == 1
