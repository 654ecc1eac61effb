"""The evaluation's pieces on hand-made cases: gold loading (brat and JSON), one-to-one matching,
θ thresholds, exact spans, discontinuous spans, speakers with and without coreference, sources
that are absent, cues, subsets, element-level scores, error records and the CLI's error line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from onrecord.cli import main
from onrecord.errors import InputError
from onrecord.evaluate import derive_kind, is_quoted, load_gold, score_article, summarize
from onrecord.evaluate.gold import gold_from_record, other_annotations, parse_brat
from onrecord.evaluate.metrics import (
    PredStatement,
    Score,
    match_one_to_one,
    predictions_from_record,
    speaker_right,
    trim,
)
from onrecord.evaluate.report import error_records
from onrecord.model import Extraction

TEXT = (
    "Anna Smith said the plan was dead. "  # 0..34
    "“We will never sign it,” she told reporters. "
    "Polls show voters are tired of the fight. "
    "Later, Smith added that talks would resume."
)


def at(fragment: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of fragment in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def quote(content: str, speaker: str | tuple[int, int] | None = None, cue: str | None = None, kind: str | None = None, **extra: Any) -> dict[str, Any]:
    """A gold quote in the JSON gold format."""
    a, b = at(content)
    q: dict[str, Any] = {"quote_start": a, "quote_end": b}
    if speaker:
        q["speaker_start"], q["speaker_end"] = at(speaker) if isinstance(speaker, str) else speaker
    if cue:
        q["cue_start"], q["cue_end"] = at(cue)
    if kind:
        q["type"] = kind
    q.update(extra)
    return q


def span(fragment: str | tuple[int, int]) -> dict[str, Any]:
    a, b = at(fragment) if isinstance(fragment, str) else fragment
    return {"start": a, "end": b, "text": TEXT[a:b]}


def statement(n: int, content: str | tuple[int, int], speaker: str | tuple[int, int] | None = None, cue: str | None = None,
              entity: str | None = None, kind: str = "indirect") -> dict[str, Any]:
    """A predicted statement in onrecord's record format."""
    return {
        "id": f"s{n}",
        "kind": kind,
        "content": span(content),
        "cue": span(cue) if cue else None,
        "speaker": {**span(speaker), "entity": entity} if speaker else None,
    }


def record(statements: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None) -> Extraction:
    return Extraction.from_dict({"article": {"text": TEXT}, "statements": statements, "entities": entities or []})


def scored(quotes: list[dict[str, Any]], statements: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None):
    gold = gold_from_record({"id": "t", "text": TEXT, "quotes": quotes})
    preds = predictions_from_record(record(statements, entities))
    return score_article("t", TEXT, gold.attributions, preds)


SMITH_2 = at("Smith", 1)  # "Later, Smith added"
SMITH = {"id": "e1", "name": "Anna Smith", "type": "PERSON", "mentions": [span("Anna Smith"), span("she"), span(at("Smith", 1))]}


# --- Score --------------------------------------------------------------------------------------


def test_score_precision_recall_f1_and_zero_counts():
    s = Score(tp_pred=3, n_pred=4, tp_gold=3, n_gold=6)
    assert s.precision == 0.75 and s.recall == 0.5 and s.f1 == pytest.approx(0.6)
    assert Score().precision == Score().recall == Score().f1 == 0.0
    assert (s + Score(1, 1, 1, 2)).to_dict()["n_gold"] == 8


# --- matching -----------------------------------------------------------------------------------


def test_match_one_to_one_two_predictions_for_one_gold_keeps_the_better():
    assert match_one_to_one({(0, 0): 0.6, (0, 1): 0.9}, 0.5) == {0: 1}


def test_match_one_to_one_finds_the_largest_pairing():
    # gold 0 could take pred 0 or 1; gold 1 only pred 0: both must be matched
    assert match_one_to_one({(0, 0): 0.9, (0, 1): 0.6, (1, 0): 0.7}, 0.5) == {0: 1, 1: 0}


def test_statement_detection_is_one_to_one():
    # one long prediction covers two gold statements: it can match only one of them
    whole = (at("Anna Smith")[0], at("reporters.")[1])
    a = scored([quote("the plan was dead"), quote("“We will never sign it,”")], [statement(1, whole)])
    assert len(a.matches[0.5]) == 1
    s = summarize([a]).all.statements[0.5]
    assert (s.tp_pred, s.n_pred, s.tp_gold, s.n_gold) == (1, 1, 1, 2)


@pytest.mark.parametrize(("theta", "matched"), [(0.3, True), (0.5, False), (0.8, False)])
def test_statement_thresholds(theta, matched):
    # the prediction covers "voters are" of "voters are tired of the fight": 10 of 29 characters
    a = scored([quote("voters are tired of the fight")], [statement(1, "voters are")])
    assert (0 in a.matches[theta]) is matched


def test_statement_exact_after_trimming_space_and_edge_punctuation():
    gold = [quote("We will never sign it")]
    assert scored(gold, [statement(1, "“We will never sign it,”")]).exact == {0: 0}
    assert scored(gold, [statement(1, "We will never sign")]).exact == {}


def test_trim_drops_marks_and_spaces_at_piece_edges():
    a, b = at("“We will never sign it,” ")
    assert trim(TEXT, ((a, b),)) == (at("We will never sign it"),)


def test_gold_fragments_split_only_at_a_sentence_break_are_one_passage():
    # brat stores a selection over a sentence break as fragments: "the plan was dead." and "We will never sign it"
    dead, sign = at("the plan was dead."), at("We will never sign it")
    ann = f"T1\tContent {dead[0]} {dead[1]};{sign[0]} {sign[1]}\tx\nT2\tCue 11 15\tsaid\nT3\tAttribution 11 15\tsaid\nE1\tAttribution:T3 Content:T1 Cue:T2\n"
    gold, _ = parse_brat(TEXT, ann)
    passage = predictions_from_record(record([statement(1, (dead[0], sign[1]))]))
    a = score_article("t", TEXT, gold, passage)
    assert a.exact == {0: 0} and a.elements["Content"].tp_gold == 1
    # words between fragments keep them apart: the whole run from "the" to "it" is not the gold
    words = at("the plan was dead"), at("talks would resume")
    ann = ann.replace(f"{dead[0]} {dead[1]};{sign[0]} {sign[1]}", f"{words[0][0]} {words[0][1]};{words[1][0]} {words[1][1]}")
    gold, _ = parse_brat(TEXT, ann)
    run = predictions_from_record(record([statement(1, (words[0][0], words[1][1]))]))
    assert score_article("t", TEXT, gold, run).exact == {}


def test_discontinuous_gold_content_counts_both_pieces():
    # brat: "Content a b;c d" -> two pieces; covering only the first (shorter) piece is under 0.5
    first, second = at("the plan was dead"), at("talks would resume")
    ann = f"T1\tContent {first[0]} {first[1]};{second[0]} {second[1]}\tx\nT2\tCue 11 15\tsaid\nT3\tAttribution 11 15\tsaid\nE1\tAttribution:T3 Content:T1 Cue:T2\n"
    gold, problems = parse_brat(TEXT, ann)
    assert problems == [] and gold[0].content == (first, second)
    preds = predictions_from_record(record([statement(1, "the plan was dead")]))
    a = score_article("t", TEXT, gold, preds)
    assert 0 in a.matches[0.3] and 0 not in a.matches[0.5]


def test_discontinuous_prediction_content_is_read_from_its_pieces():
    s = statement(1, (at("the plan")[0], at("resume")[1]))
    s["content"]["spans"] = [list(at("the plan was dead")), list(at("talks would resume"))]
    pred = predictions_from_record(record([s]))[0]
    assert pred.content == (at("the plan was dead"), at("talks would resume"))


# --- speakers, cues, end-to-end -----------------------------------------------------------------


def test_speaker_mention_and_coreference_aware():
    gold = [quote("“We will never sign it,”", speaker="Anna Smith", cue="told")]
    a = scored(gold, [statement(1, "“We will never sign it,”", speaker="she", cue="told", entity="e1", kind="direct")], [SMITH])
    pair = a.pairs[0]
    assert not pair.speaker_mention  # "she" does not overlap "Anna Smith"
    assert pair.speaker_coref  # but the entity's mention "Anna Smith" does
    m = summarize([a]).all
    assert m.speaker_mention.tp_gold == 0 and m.speaker_coref.tp_gold == 1 and m.end_to_end.f1 == 1.0


def test_speaker_wrong_when_no_mention_of_the_entity_overlaps():
    gold = [quote("the plan was dead", speaker="Anna Smith", cue="said")]
    other = {"id": "e2", "name": "Polls", "type": "ORG", "mentions": [span("Polls")]}
    a = scored(gold, [statement(1, "the plan was dead", speaker="Polls", cue="said", entity="e2")], [other])
    assert not a.pairs[0].speaker_coref
    assert summarize([a]).all.end_to_end.tp_gold == 0


@pytest.mark.parametrize(("entity", "right"), [(None, True), ("e1", False)])
def test_no_source_gold_speaker_right_iff_prediction_names_no_entity(entity, right):
    gold = gold_from_record({"text": TEXT, "quotes": [quote("voters are tired of the fight", cue="show")]}).attributions[0]
    assert not gold.has_source
    pred = PredStatement("s1", "indirect", (at("voters are tired of the fight"),), speaker=(at("Polls"),), entity=entity,
                         entity_mentions=(at("Polls"),))
    assert speaker_right(gold, pred, coref=False) is right
    assert speaker_right(gold, pred, coref=True) is right


def test_no_source_gold_counts_for_content_and_cue():
    ann = (
        f"T1\tContent {at('voters are tired of the fight')[0]} {at('voters are tired of the fight')[1]}\tx\n"
        f"T2\tCue {at('show')[0]} {at('show')[1]}\tshow\nT3\tAttribution-no-source {at('show')[0]} {at('show')[1]}\tshow\n"
        "E1\tAttribution-no-source:T3 Content:T1 Cue:T2\n"
    )
    gold, _ = parse_brat(TEXT, ann)
    preds = predictions_from_record(record([statement(1, "voters are tired of the fight", cue="show")]))
    m = summarize([score_article("t", TEXT, gold, preds)]).all
    assert m.statements[0.5].f1 == 1.0 and m.cue.f1 == 1.0 and m.end_to_end.f1 == 1.0


def test_cue_right_when_it_overlaps():
    gold = [quote("talks would resume", speaker=SMITH_2, cue="added")]
    right = scored(gold, [statement(1, "talks would resume", speaker=SMITH_2, cue="added that")])
    wrong = scored(gold, [statement(1, "talks would resume", speaker=SMITH_2, cue="Later")])
    assert right.pairs[0].cue and not wrong.pairs[0].cue


# --- subsets, kinds, elements -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("“We will never sign it,”", "direct"),
        ('"A," "B and C."', "direct"),
        ("the deal is “dead on arrival” now", "mixed"),
        ("the deal is dead", "indirect"),
        ('"He said “no” twice"', "direct"),
        ("”Mistyped opening mark, then words.”", "direct"),
        ("“Mistyped closing mark“ said she", "mixed"),
        ("''We will never sign it,''", "direct"),  # two apostrophes typed for a double mark
        ("the deal is ''dead on arrival'' now", "mixed"),
        ("the teachers' union's deal", "indirect"),
    ],
)
def test_derive_kind_from_quotation_marks(content, kind):
    assert derive_kind(content) == kind
    assert is_quoted(content) is (kind != "indirect")


def test_quoted_subset_counts_gold_and_predictions_on_their_own_sides():
    # the gold is quoted, the prediction (without the marks) is not: recall counts it, precision does not
    gold = [quote("“We will never sign it,”", speaker="she", cue="told"), quote("the plan was dead", speaker="Anna Smith", cue="said")]
    preds = [statement(1, "We will never sign it", speaker="she", cue="told"), statement(2, "the plan was dead", speaker="Anna Smith", cue="said")]
    q = summarize([scored(gold, preds)]).quoted.statements[0.5]
    assert (q.tp_gold, q.n_gold) == (1, 1)
    assert (q.tp_pred, q.n_pred) == (0, 0)


def test_kind_breakdown_uses_gold_kind_for_recall_and_predicted_kind_for_precision():
    gold = [quote("the plan was dead", kind="indirect")]
    a = scored(gold, [statement(1, "the plan was dead", kind="mixed")])
    kinds = summarize([a]).kinds
    assert kinds["indirect"].statements[0.5].recall == 1.0 and kinds["indirect"].statements[0.5].n_pred == 0
    assert kinds["mixed"].statements[0.5].precision == 1.0 and kinds["mixed"].statements[0.5].n_gold == 0


def test_element_level_exact_scores_distinct_spans_each_on_its_own():
    gold = [
        quote("the plan was dead", speaker="Anna Smith", cue="said"),
        quote("“We will never sign it,”", speaker="Anna Smith", cue="told"),
    ]
    preds = [
        statement(1, "the plan was dead", speaker="Anna Smith", cue="said"),
        statement(2, "We will never sign", speaker="she", cue="told"),
    ]
    e = summarize([scored(gold, preds)]).elements
    assert (e["Source"].tp_gold, e["Source"].n_gold, e["Source"].n_pred) == (1, 1, 2)  # one distinct gold Source
    assert (e["Cue"].tp_gold, e["Cue"].n_gold) == (2, 2)
    assert (e["Content"].tp_gold, e["Content"].n_gold) == (1, 2)


def test_error_records_name_misses_false_statements_and_wrong_speakers():
    gold = [quote("the plan was dead", speaker="Anna Smith", cue="said"), quote("talks would resume", speaker=SMITH_2, cue="added")]
    preds = [statement(1, "the plan was dead", speaker="Polls", cue="said"), statement(2, "voters are tired", speaker="Polls", cue="show")]
    article = gold_from_record({"id": "t", "text": TEXT, "quotes": gold})
    errors = error_records(article, scored(gold, preds))
    assert sorted(e["type"] for e in errors) == ["false", "miss", "wrong_speaker"]
    miss = next(e for e in errors if e["type"] == "miss")
    assert miss["gold"]["content"]["text"] == "talks would resume"
    assert "talks would resume" in miss["context"]["text"]
    json.dumps(errors)


# --- gold loading -------------------------------------------------------------------------------


def _brat(folder: Path, name: str, text: str, anns: dict[str, str]) -> None:
    (folder / "text").mkdir(parents=True, exist_ok=True)
    (folder / "attributions").mkdir(exist_ok=True)
    (folder / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    for annotator, ann in anns.items():
        (folder / "attributions" / f"{name}_{annotator}.ann").write_text(ann, encoding="utf-8")


def test_brat_several_annotators_first_suffix_in_sort_order(tmp_path):
    text = "Bob Ray said taxes rise. Ann Lee said they fall."
    ann_a = "T1\tSource 0 7\tBob Ray\nT2\tCue 8 12\tsaid\nT3\tContent 13 23\ttaxes rise\nT4\tAttribution 8 12\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    ann_b = "T1\tSource 25 32\tAnn Lee\nT2\tCue 33 37\tsaid\nT3\tContent 38 47\tthey fall\nT4\tAttribution 33 37\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    _brat(tmp_path, "zeta", text, {"b2": ann_b, "a9": ann_a})
    _brat(tmp_path, "alpha", text, {"c1": ann_b})
    gold = load_gold(tmp_path)
    assert [a.name for a in gold.articles] == ["alpha", "zeta"]
    zeta = gold.articles[1]
    assert zeta.annotator == "a9" and zeta.annotators == ("a9", "b2")
    assert [text[a:b] for a, b in zeta.attributions[0].content] == ["taxes rise"]
    assert load_gold(tmp_path, limit=1).articles[0].name == "alpha"
    others = other_annotations(tmp_path, zeta)
    assert [o.annotator for o in others] == ["b2"] and others[0].text == text
    assert [text[a:b] for a, b in others[0].attributions[0].content] == ["they fall"]
    assert other_annotations(tmp_path, gold.articles[0]) == ()


def test_brat_content2_no_source_multiline_text_and_flags(tmp_path):
    text = "“We lost,” he said.\n“But we\nwill win.”\nIt was reported that rain fell."
    ann = (
        "T1\tContent 0 10\t“We lost,”\n"
        "T2\tContent 20 39\t“But we\nwill win.”\n"  # brat's text column breaks over a line
        "T3\tSource 11 13\the\nT4\tCue 14 18\tsaid\nT5\tAttribution 14 18\tsaid\n"
        "E1\tAttribution:T5 Cue:T4 Source:T3 Content:T1 Content2:T2\n"
        "T6\tCue 47 55\treported\nT7\tContent 61 70\train fell\nT8\tAttribution-no-source 47 55\treported\n"
        "E2\tAttribution-no-source:T8 Content:T7 Cue:T6\n"
        "T9\tDiscuss 0 5\t“We l\nE3\tAttribution-no-source:T9 \n"
        "#1\tAnnotatorNotes T1\ta note\n"
    )
    _brat(tmp_path, "n", text, {"x": ann})
    gold = load_gold(tmp_path)
    first, second = gold.articles[0].attributions
    assert first.content == ((0, 10), (20, 39)) and first.kind == "direct" and first.quoted
    assert second.source == () and not second.has_source and second.kind == "indirect"
    assert gold.skipped == ("n_x.ann: E3 has no Content; left out",)


def test_json_gold_single_object_and_json_lines(tmp_path):
    rec = {"id": "r1", "text": TEXT, "quotes": [quote("the plan was dead", speaker="Anna Smith", cue="said", kind="indirect", speaker_entity="Anna Smith")]}
    one = tmp_path / "one.json"
    one.write_text(json.dumps(rec, indent=1), encoding="utf-8")
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "id": "r2"}) + "\n", encoding="utf-8")
    assert [a.name for a in load_gold(one).articles] == ["r1"]
    many = load_gold(lines)
    assert [a.name for a in many.articles] == ["r1", "r2"]
    assert many.articles[0].attributions[0].source_entity == "Anna Smith"


def test_bad_gold_paths_raise_input_error_saying_what_to_give(tmp_path):
    with pytest.raises(InputError, match="brat folder"):
        load_gold(tmp_path / "missing")
    (tmp_path / "dev" / "text").mkdir(parents=True)
    with pytest.raises(InputError, match="name one of them"):
        load_gold(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_gold(bad)


def test_cli_evaluate_missing_gold_is_one_line_error(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "nope")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("onrecord: error:") and "nope" in lines[0]


def test_cli_evaluate_refuses_an_unwritable_report_before_running(tmp_path, capsys):
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"text": TEXT, "quotes": []}), encoding="utf-8")
    assert main(["evaluate", str(gold), "--report", str(tmp_path / "no" / "r.json")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_evaluate_prints_report_and_writes_json_and_errors(tmp_path, capsys):
    gold = tmp_path / "g.jsonl"
    text = "“We will not back down,” Mayor Tom Reed said on Monday. Polls show voters are tired."
    quotes = [{"quote_start": 0, "quote_end": 24, "speaker_start": 31, "speaker_end": 39, "cue_start": 40, "cue_end": 44}]
    gold.write_text(json.dumps({"id": "reed", "text": text, "quotes": quotes}) + "\n", encoding="utf-8")
    report, errors = tmp_path / "r.json", tmp_path / "e.jsonl"
    assert main(["evaluate", str(gold), "--report", str(report), "--errors", str(errors), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "END-TO-END" in out and "element-level" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["gold"]["articles"] == 1 and data["metrics"]["all"]["statements"]["0.5"]["n_gold"] == 1
    assert all(json.loads(line)["article"] == "reed" for line in errors.read_text(encoding="utf-8").splitlines())


def test_agreement_benchmark_scores_one_annotator_against_another(tmp_path, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("agreement", Path(__file__).parents[1] / "benchmarks" / "agreement.py")
    agreement = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(agreement)
    text = "Bob Ray said taxes rise. Ann Lee said they fall."
    both = (
        "T1\tSource 0 7\tBob Ray\nT2\tCue 8 12\tsaid\nT3\tContent 13 23\ttaxes rise\nT4\tAttribution 8 12\tsaid\n"
        "T5\tSource 25 32\tAnn Lee\nT6\tCue 33 37\tsaid\nT7\tContent 38 47\tthey fall\nT8\tAttribution 33 37\tsaid\n"
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\nE2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n"
    )
    first_only = both.split("T5")[0] + "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    _brat(tmp_path, "same", text, {"a1": both, "b2": both})
    _brat(tmp_path, "half", text, {"a1": both, "c3": first_only})
    _brat(tmp_path, "single", text, {"a1": both})
    assert agreement.main([str(tmp_path)]) == 0
    lines = {line.split()[0] + (line.split()[2] if "/" in line else ""): line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    assert lines["a1b2"][-4:] == ["100.0"] * 4  # the same annotation agrees entirely
    assert lines["a1c3"][-4:] == ["66.7"] * 4  # one of two attributions: P 100, R 50
    assert lines["pooled"][1] == "2"  # the text with one annotator is not counted
