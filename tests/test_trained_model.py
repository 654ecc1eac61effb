"""The shipped attribution model and the engines: the model loads from the package and gives exact
spans, model statements are built and resolved like the rules' own, and the rules engine is the
rules path untouched (the model is never loaded)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from onrecord import Pipeline, Settings
from onrecord.errors import OnrecordError, SettingsError
from onrecord.nlp.attribution import attribute_statements
from onrecord.nlp.trained import combine as combining
from onrecord.nlp.trained import selection
from onrecord.nlp.trained.infer import MODEL_PATH, load_session, predict_spans
from onrecord.nlp.trained.labels import LAYERS, PredictedSpan
from onrecord.text.quotemarks import find_quotes

TEXT = (
    "“We will not raise taxes,” Jane Doe, the mayor of Leeds, said on Tuesday.\n\n"
    "Critics said that the plan would fail. According to the council, the budget is balanced. "
    "She told reporters the city would borrow less next year."
)


@pytest.fixture(scope="module")
def hybrid() -> Pipeline:
    return Pipeline(Settings(engine="hybrid"))


def test_the_shipped_model_is_in_the_package_and_small():
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 50_000_000
    assert (MODEL_PATH.parent / "MODEL_CARD.md").is_file()
    outputs = load_session().get_outputs()
    assert outputs[0].name == "logits" and outputs[0].shape[-1] == 3 * len(LAYERS)


def test_model_spans_are_exact_and_find_a_quotation():
    spans = predict_spans(TEXT)
    assert spans, "the model found nothing in a text with four attributions"
    for s in spans:
        assert s.layer in LAYERS and 0 <= s.start < s.end <= len(TEXT) and 0 < s.score <= 1
        assert TEXT[s.start : s.end].strip() == TEXT[s.start : s.end]
    cues = {TEXT[s.start : s.end] for s in spans if s.layer == "Cue"}
    assert cues & {"said", "said on Tuesday", "told"}
    assert predict_spans("") == [] and predict_spans("   \n") == []


@pytest.mark.parametrize("engine", ["model", "hybrid"])
def test_every_span_of_a_model_record_points_into_the_text(engine, hybrid):
    record = (hybrid if engine == "hybrid" else Pipeline(Settings(engine=engine))).extract(TEXT)
    assert record.statements
    for s in record.statements:
        assert TEXT[s.content.start : s.content.end] == s.content.text
        for a, b in s.content.spans:
            assert 0 <= a < b <= len(TEXT)
        if s.cue:
            assert TEXT[s.cue.start : s.cue.end] == s.cue.text
        if s.speaker:
            assert TEXT[s.speaker.start : s.speaker.end] == s.speaker.text
            assert s.speaker.entity is None or record.entity(s.speaker.entity) is not None
    json.dumps(record.to_dict())


def test_model_statements_pair_cue_content_and_source_and_resolve_the_head(hybrid):
    doc = hybrid.nlp(TEXT)

    def span(layer: str, part: str) -> PredictedSpan:
        start = TEXT.index(part)
        return PredictedSpan(layer, start, start + len(part), 0.9)

    spans = [span("Content", "We will not raise taxes,"), span("Source", "Jane Doe, the mayor of Leeds,"),
             span("Cue", "said on Tuesday"), span("Source", "Critics"), span("Cue", "said"),
             span("Content", "that the plan would fail")]
    spans[4] = PredictedSpan("Cue", TEXT.index("said that"), TEXT.index("said that") + 4, 0.9)
    found = combining.model_statements(doc, spans)
    assert [(TEXT[a.cue[0]:a.cue[1]], TEXT[a.speaker[0]:a.speaker[1]]) for a in found] == [
        ("said on Tuesday", "Jane Doe, the mayor of Leeds,"), ("said", "Critics")]
    assert found[0].kind == "indirect" and found[0].speaker_form == "name"
    assert TEXT[found[0].speaker_name[0]:found[0].speaker_name[1]] == "Jane Doe"
    assert doc[found[1].speaker_token].text == "Critics"
    assert combining.kind_of("“We will win.”") == "direct" and combining.kind_of("he would “win big”") == "mixed"


def _spans(text: str, *parts: tuple[str, str]) -> list[PredictedSpan]:
    return [PredictedSpan(layer, text.index(part), text.index(part) + len(part), 0.9) for layer, part in parts]


def test_a_content_joins_the_other_side_of_its_cue_past_a_sentence_end_only_as_a_quotation(hybrid):
    quoted = "“The plan will fail,” Smith said. “It always has.”"
    found = combining.model_statements(hybrid.nlp(quoted), _spans(
        quoted, ("Content", "The plan will fail,"), ("Source", "Smith"), ("Cue", "said"), ("Content", "“It always has.”")))
    assert [[quoted[a:b] for a, b in s.content] for s in found] == [["The plan will fail,", "“It always has.”"]]

    plain = "The plan will fail, Smith said. Critics disagree with the mayor."
    found = combining.model_statements(hybrid.nlp(plain), _spans(
        plain, ("Content", "The plan will fail,"), ("Cue", "said"), ("Content", "Critics disagree with the mayor")))
    assert found and all(len(s.content) == 1 for s in found)  # two statements at most, never one joined across the full stop

    before = "Laws banning the boats are expected next month. The letter reads “we may extend the scheme”, but no plans exist."
    found = combining.model_statements(hybrid.nlp(before), _spans(
        before, ("Content", "Laws banning the boats are expected next month"), ("Source", "The letter"), ("Cue", "reads"),
        ("Content", "“we may extend the scheme”")))
    assert [[before[a:b] for a, b in s.content] for s in found if s.cue] == [["“we may extend the scheme”"]]

    inside = "The plan, Smith said, will fail."
    found = combining.model_statements(hybrid.nlp(inside), _spans(
        inside, ("Content", "The plan,"), ("Cue", "said"), ("Content", "will fail")))
    assert [[inside[a:b] for a, b in s.content] for s in found] == [["The plan,", "will fail"]]


def test_a_model_statement_reads_its_addressee_and_medium_from_the_parse(hybrid):
    text = "Tom Reed wrote in his resignation letter to the party leader that the policy had failed."
    found = combining.model_statements(hybrid.nlp(text), _spans(
        text, ("Source", "Tom Reed"), ("Cue", "wrote"), ("Content", "that the policy had failed")))
    assert [(text[a.addressee[0]:a.addressee[1]], text[a.medium[0]:a.medium[1]]) for a in found] == [
        ("the party leader", "resignation letter")]


def test_a_cue_coordinated_with_another_shares_its_source(hybrid):
    text = "In a letter, Tom Reed, a member of the council for eight years, condemns the attack, but considers that the response went too far."
    spans = _spans(text, ("Source", "Tom Reed, a member of the council for eight years,"), ("Cue", "condemns"),
                   ("Content", "the attack"), ("Cue", "considers"), ("Content", "that the response went too far"))
    doc = hybrid.nlp(text)
    found = combining.model_statements(doc, spans)
    assert [(text[s.cue[0]:s.cue[1]], s.speaker and text[s.speaker[0]:s.speaker[1]]) for s in found] == [
        ("condemns", "Tom Reed, a member of the council for eight years,"),
        ("considers", "Tom Reed, a member of the council for eight years,")]
    # where the parse gives the second cue no subject of its own (a long opening phrase can do that)
    unsourced = replace(found[1], speaker=None, speaker_form="none", speaker_token=None, speaker_name=None)
    shared = combining._shared_sources(doc, [found[0], unsourced])
    assert shared[1].speaker == found[0].speaker and shared[1].speaker_token == found[0].speaker_token


def test_under_polnears_convention_a_rules_source_takes_the_models_extent_around_its_head(hybrid):
    text = "Tom Reed, who has led the council since 2019, said the plan would fail."
    doc = hybrid.nlp(text)
    rules = attribute_statements(doc, find_quotes(text), convention="polnear")
    assert text[rules[0].speaker[0]:rules[0].speaker[1]] == "Tom Reed, who has led the council since 2019"
    spans = _spans(text, ("Source", "Tom Reed"))
    found = selection.engine_statements(rules, doc, spans, "hybrid", "polnear")
    assert text[found[0].speaker[0]:found[0].speaker[1]] == "Tom Reed" and found[0].speaker_token == rules[0].speaker_token
    assert selection.engine_statements(rules, doc, spans, "hybrid", "onrecord") == rules  # onrecord's extent stays
    elsewhere = _spans(text, ("Source", "the council"))
    assert selection.engine_statements(rules, doc, elsewhere, "hybrid", "polnear") == rules  # not around the head: no change


def test_the_period_of_an_abbreviation_ends_no_sentence(hybrid):
    text = "“The plan will fail,” Rep. Jane Doe (D-Wis.) said. “It always has.”"
    found = combining.model_statements(hybrid.nlp(text), _spans(
        text, ("Content", "The plan will fail,"), ("Source", "Rep. Jane Doe"), ("Cue", "said"), ("Content", "“It always has.”")))
    assert [[text[a:b] for a, b in s.content] for s in found] == [["The plan will fail,", "“It always has.”"]]
    assert text[found[0].speaker[0] : found[0].speaker[1]] == "Rep. Jane Doe"


def test_a_second_piece_never_joins_across_a_paragraph(hybrid):
    text = "“The plan will fail,” Smith said.\n\n“It always has,” Jones replied."
    found = combining.model_statements(hybrid.nlp(text), _spans(
        text, ("Content", "The plan will fail,"), ("Source", "Smith"), ("Cue", "said"), ("Content", "“It always has,”")))
    assert [[text[a:b] for a, b in s.content] for s in found] == [["The plan will fail,"]]


def test_a_cue_takes_a_content_across_a_line_break_only_through_a_colon(hybrid):
    headline = "Mayor speaks\n\n“The bridge will reopen in May,” Mayor Ana Lopez told reporters."
    found = combining.model_statements(hybrid.nlp(headline), _spans(
        headline, ("Source", "Mayor"), ("Cue", "speaks"), ("Content", "“The bridge will reopen in May,”")))
    assert [headline[s.cue[0]:s.cue[1]] for s in found if s.cue] == []
    introduced = "The mayor said:\n\n“The bridge will reopen in May.”"
    found = combining.model_statements(hybrid.nlp(introduced), _spans(
        introduced, ("Source", "The mayor"), ("Cue", "said:"), ("Content", "“The bridge will reopen in May.”")))
    assert [(introduced[s.cue[0]:s.cue[1]], s.content) for s in found if s.cue] == [("said:", ((17, 49),))]


def test_a_cue_reaches_a_farther_content_only_when_the_parse_hangs_it_below_the_cue(hybrid):
    text = "The mayor told reporters at the town hall in Leeds on Friday that the budget is balanced."
    spans = _spans(text, ("Cue", "told"), ("Content", "that the budget is balanced"))
    assert text.index("that the budget") - text.index("told") - 4 > combining.CONTENT_GAP
    found = combining.model_statements(hybrid.nlp(text), spans)
    assert [text[a:b] for s in found for a, b in s.content] == ["that the budget is balanced"]

    other = "The mayor smiled at reporters in the town hall of Leeds on Friday. The budget is balanced."
    found = combining.model_statements(hybrid.nlp(other), _spans(other, ("Cue", "smiled"), ("Content", "The budget is balanced")))
    assert found == []


def test_model_statements_follow_the_span_convention_asked_for(hybrid):
    text = "Officials said: the plan would fail. Critics said that the plan would work."
    spans = _spans(text, ("Source", "Officials"), ("Cue", "said:"), ("Content", "the plan would fail"),
                   ("Source", "Critics"), ("Content", "that the plan would work"))
    spans.append(PredictedSpan("Cue", text.index("said that"), text.index("said that") + 4, 0.9))
    doc = hybrid.nlp(text)
    polnear = combining.model_statements(doc, spans)
    assert [(text[s.cue[0]:s.cue[1]], text[s.start:s.end]) for s in polnear] == [
        ("said:", "the plan would fail"), ("said", "that the plan would work")]
    ours = combining.model_statements(doc, spans, "onrecord")
    assert [(text[s.cue[0]:s.cue[1]], text[s.start:s.end]) for s in ours] == [
        ("said", "the plan would fail"), ("said", "the plan would work")]


def test_in_onrecord_convention_a_model_cue_drops_a_manner_adverb_and_a_content_its_opening_addressee(hybrid):
    text = "The mayor strongly condemns the attack. Tom Reed asked the council to delay the vote."
    spans = _spans(text, ("Source", "The mayor"), ("Cue", "strongly condemns"), ("Content", "the attack"),
                   ("Source", "Tom Reed"), ("Cue", "asked"), ("Content", "the council to delay the vote"))
    doc = hybrid.nlp(text)
    polnear = combining.model_statements(doc, spans)
    assert [(text[s.cue[0]:s.cue[1]], text[s.start:s.end]) for s in polnear] == [
        ("strongly condemns", "the attack"), ("asked", "the council to delay the vote")]
    ours = combining.model_statements(doc, spans, "onrecord")
    assert [(text[s.cue[0]:s.cue[1]], text[s.start:s.end]) for s in ours] == [
        ("condemns", "the attack"), ("asked", "to delay the vote")]
    assert text[ours[1].addressee[0]:ours[1].addressee[1]] == "the council"


def test_under_polnears_convention_a_model_cue_runs_on_to_the_preposition_its_content_is_the_object_of(hybrid):
    text = "Holt asked Trump about his tax returns. Pence accused the moderator of bias. Kaine spoke, as usual, of jobs."
    spans = _spans(text, ("Source", "Holt"), ("Cue", "asked"), ("Content", "his tax returns"),
                   ("Source", "Pence"), ("Cue", "accused"), ("Content", "bias"),
                   ("Source", "Kaine"), ("Cue", "spoke"), ("Content", "jobs"))
    doc = hybrid.nlp(text)
    assert [text[s.cue[0]:s.cue[1]] for s in combining.model_statements(doc, spans)] == [
        "asked Trump about", "accused the moderator of", "spoke"]  # not past a comma
    assert [text[s.cue[0]:s.cue[1]] for s in combining.model_statements(doc, spans, "onrecord")] == ["asked", "accused", "spoke"]


def test_under_polnears_convention_a_model_cue_of_the_plain_verb_takes_its_manner_adverb(hybrid):
    text = "The experts generally praised the plan. The mayor angrily said that the bridge was safe."
    spans = _spans(text, ("Source", "The experts"), ("Cue", "praised"), ("Content", "the plan"),
                   ("Source", "The mayor"), ("Cue", "angrily said"), ("Content", "that the bridge was safe"))
    doc = hybrid.nlp(text)
    assert [text[s.cue[0]:s.cue[1]] for s in combining.model_statements(doc, spans)] == ["generally praised", "angrily said"]
    assert [text[s.cue[0]:s.cue[1]] for s in combining.model_statements(doc, spans, "onrecord")] == ["praised", "said"]


def test_under_polnears_convention_a_model_content_takes_the_relative_pronoun_opening_its_cues_clause(hybrid):
    text = "She needs to raise revenue, which she plans to do through a tax increase."
    spans = _spans(text, ("Source", "she"), ("Cue", "plans"), ("Content", "to do through a tax increase"))
    doc = hybrid.nlp(text)
    assert [[text[a:b] for a, b in s.content] for s in combining.model_statements(doc, spans)] == [
        ["which", "to do through a tax increase"]]
    assert [[text[a:b] for a, b in s.content] for s in combining.model_statements(doc, spans, "onrecord")] == [
        ["to do through a tax increase"]]


def test_a_source_span_names_its_speaker_by_the_person_in_it_and_stops_at_a_line_break(hybrid):
    text = ("Art show\n\nThe secretary general of the union, Jane Doe, said the pay offer was too low. "
            "CEO of the Refugee Council Enver Solomon said the backlog had grown.")
    doc = hybrid.nlp(text)
    spans = _spans(text, ("Cue", "said the pay"), ("Content", "the pay offer was too low"),
                   ("Source", "CEO of the Refugee Council Enver Solomon"), ("Cue", "said the backlog"),
                   ("Content", "the backlog had grown"))
    spans = [PredictedSpan(s.layer, s.start, s.start + 4, s.score) if s.layer == "Cue" else s for s in spans]
    start = text.index("Art show")
    spans.append(PredictedSpan("Source", start, text.index(", said"), 0.9))  # runs over the headline
    found = combining.model_statements(doc, spans)
    assert [text[s.speaker[0]:s.speaker[1]] for s in found] == [
        "The secretary general of the union, Jane Doe", "CEO of the Refugee Council Enver Solomon"]
    assert [doc[s.speaker_token].text for s in found] == ["Doe", "Solomon"]
    assert [s.speaker_form for s in found] == ["name", "name"]


def test_hybrid_puts_a_confident_model_statement_in_place_of_an_unsure_rules_one_only_when_it_names_another_speaker(hybrid):
    text = "The plan will fail, officials said. “We will win,” Jane Doe said."
    doc = hybrid.nlp(text)
    rules = attribute_statements(doc, find_quotes(text))
    assert [text[a.start:a.end] for a in rules] == ["The plan will fail", "“We will win,”"]
    assert rules[0].confidence < selection.RULES_SURE <= rules[1].confidence
    spans = _spans(text, ("Content", "The plan will fail,"), ("Source", "officials"), ("Cue", "said."),
                   ("Content", "“We will win,”"), ("Source", "Jane Doe"))
    spans = [PredictedSpan("Cue", s.start, s.start + 4, 0.95) if s.layer == "Cue" else s for s in spans]
    spans.append(PredictedSpan("Cue", text.rindex("said"), text.rindex("said") + 4, 0.95))
    assert selection.engine_statements(rules, doc, spans, "hybrid", "onrecord") == rules  # same speakers and cues: the rules' spans stand

    doe = (text.index("Jane Doe"), text.index("Jane Doe") + len("Jane Doe"))
    officials = (text.index("officials"), text.index("officials") + len("officials"))
    misread = [replace(rules[0], speaker=doe), replace(rules[1], speaker=officials)]
    found = selection.engine_statements(misread, doc, spans, "hybrid", "onrecord")
    assert [(text[a.start:a.end], text[a.speaker[0]:a.speaker[1]]) for a in found] == [
        ("The plan will fail", "officials"), ("“We will win,”", "officials")]
    assert found[1] is misread[1]  # a quotation the rules gave to a name stands


@pytest.mark.parametrize("model_spans", [
    (("Content", "the spokesman also believes the boat sank on purpose"),),
    # the inner speaker and cue between the model's cue and its content
    (("Source", "the spokesman"), ("Content", "the boat sank on purpose")),
])
def test_a_model_statement_framing_a_rules_one_takes_its_place_only_in_polnears_convention(hybrid, model_spans):
    text = "According to local media, the spokesman also believes the boat sank on purpose."
    doc = hybrid.nlp(text)
    rules = attribute_statements(doc, find_quotes(text))
    assert [(text[slice(*a.cue)], text[a.start:a.end]) for a in rules] == [("also believes", "the boat sank on purpose")]
    assert rules[0].confidence < selection.RULES_SURE
    spans = _spans(text, ("Cue", "According to"), ("Source", "local media"), *model_spans)
    # onrecord's: the words are the spokesman's, the media only reported them; PolNeAR's annotators give them to the report
    for engine, convention, speaker in (("hybrid", "onrecord", "the spokesman"), ("model", "onrecord", "the spokesman"),
                                        ("hybrid", "polnear", "local media")):
        found = selection.engine_statements(rules, doc, spans, engine, convention)
        assert [text[slice(*a.speaker)] for a in found] == [speaker], (engine, convention)


def test_hybrid_adds_only_confident_model_statements_that_name_a_source(hybrid):
    text = "The senator was accused of hiding the memo. Critics said that the plan would fail."
    doc = hybrid.nlp(text)
    spans = _spans(text, ("Cue", "was accused of"), ("Content", "hiding the memo"), ("Source", "Critics"),
                   ("Content", "that the plan would fail"))
    spans.append(PredictedSpan("Cue", text.index("said that"), text.index("said that") + 4, 0.9))
    assert len(combining.model_statements(doc, spans)) == 2
    added = selection.engine_statements([], doc, spans, "hybrid")
    assert [text[a.start:a.end] for a in added] == ["that the plan would fail"]  # "was accused of" has no source
    unsure = [PredictedSpan(s.layer, s.start, s.end, 0.5) for s in spans]
    assert selection.engine_statements([], doc, unsure, "hybrid") == []


def test_the_model_engine_keeps_the_candidates_its_scorer_finds_likely_none_overlapping(hybrid):
    text = "Jane Doe said the plan would save money. Critics said that the plan would fail."
    doc = hybrid.nlp(text)
    rules = attribute_statements(doc, find_quotes(text))
    assert [text[a.start:a.end] for a in rules] == ["the plan would save money", "the plan would fail"]
    spans = _spans(text, ("Source", "Critics"), ("Content", "that the plan would fail"))
    spans.append(PredictedSpan("Cue", text.index("said that"), text.index("said that") + 4, 0.9))
    found = selection.candidates(doc, spans, rules, "polnear")
    assert [(text[c.statement.start:c.statement.end], c.from_rules) for c in found] == [
        ("that the plan would fail", False), ("the plan would save money", True), ("the plan would fail", True)]
    rows = selection.candidate_features(doc, spans, found)
    assert all(len(r) == len(selection.FEATURES) for r in rows)
    content_prob = selection.FEATURES.index("content_prob")
    assert [r[content_prob] for r in rows] == [0.9, 0.0, 0.9]  # the rules' second content lies inside the model's
    # a scorer that trusts the model's content probability: the model's statement, and nothing over it
    trusting = _scorer({"content_prob": 4.0}, threshold=0.5)
    kept = selection.select_statements(found, rows, trusting)
    assert [text[a.start:a.end] for a in kept] == ["that the plan would fail"]
    assert selection.select_statements(found, rows, _scorer({"content_prob": 4.0}, threshold=0.9999)) == []
    # the shipped scorer keeps the model's statement with its source
    shipped = selection.engine_statements(rules, doc, spans, "model")
    assert any(text[a.start:a.end] == "that the plan would fail" and text[a.speaker[0]:a.speaker[1]] == "Critics" for a in shipped)


def test_the_model_engine_in_onrecords_terms_takes_the_rules_spans_and_leaves_out_what_onrecord_does_not_count(hybrid, tmp_path):
    text = ("The ministry said in a statement that it regretted the error. A party MP disagrees with the position "
            "taken by the leader. The leader had been accused of ignoring the members.")
    doc = hybrid.nlp(text)
    rules = attribute_statements(doc, find_quotes(text))
    assert [text[a.start:a.end] for a in rules] == ["it regretted the error"]
    spans = _spans(text, ("Source", "The ministry"), ("Cue", "said in a statement"), ("Content", "that it regretted the error"),
                   ("Source", "A party MP"), ("Cue", "disagrees with"), ("Content", "the position taken by the leader"),
                   ("Cue", "had been accused of"), ("Content", "ignoring the members"))
    trusting = str(_scorer({"content_prob": 4.0}, threshold=0.5).save(tmp_path / "scorer.json"))
    polnear = selection.engine_statements(rules, doc, spans, "model", "polnear", trusting)
    assert len(polnear) == 3  # PolNeAR counts an attitude and an accusation that names no accuser
    onrecord = selection.engine_statements(rules, doc, spans, "model", "onrecord", trusting)
    assert onrecord == rules  # the model's statement on the same speaker and cue gives way to the rules' spans


def _scorer(weights: dict[str, float], threshold: float) -> selection.StatementScorer:
    n = len(selection.FEATURES)
    return selection.StatementScorer(selection.FEATURES, (0.5,) * n, (0.25,) * n,
                                     tuple(weights.get(f, 0.0) for f in selection.FEATURES), 0.0, threshold)


def test_the_scorer_is_fitted_read_and_refused_when_it_does_not_fit(tmp_path):
    import random

    rng = random.Random(3)
    rows = [[rng.random() for _ in selection.FEATURES] for _ in range(400)]
    at = selection.FEATURES.index("cue_prob")
    right = [r[at] > 0.6 for r in rows]
    fitted = selection.fit_scorer(rows, right, threshold=0.5)
    probability = fitted.probabilities(rows)
    assert sum((p >= 0.5) == y for p, y in zip(probability, right)) >= 390
    assert max(range(len(fitted.weights)), key=lambda i: abs(fitted.weights[i])) == at
    path = fitted.save(tmp_path / "scorer.json")
    assert selection.load_scorer(str(path)) == fitted
    with pytest.raises(OnrecordError, match="some right and some wrong"):
        selection.fit_scorer(rows, [True] * len(rows), threshold=0.5)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(OnrecordError, match="no readable statement scorer"):
        selection.load_scorer(str(tmp_path / "bad.json"))
    other = tmp_path / "other.json"
    other.write_text(path.read_text(encoding="utf-8").replace('"cue_prob"', '"cue_probability"'), encoding="utf-8")
    with pytest.raises(OnrecordError, match="refit"):
        selection.load_scorer(str(other))
    assert selection.load_scorer().features == selection.FEATURES  # the shipped one


def test_a_candidate_is_right_when_it_covers_half_a_gold_content_and_names_its_source():
    from onrecord.evaluate.gold import GoldArticle, GoldAttribution
    from onrecord.nlp.attribution import Attribution
    from onrecord.nlp.trained.fit_selection import is_right

    text = "Critics said that the plan would fail badly."
    at = text.index
    gold = GoldArticle("a", text, (GoldAttribution("T1", ((at("that"), at(".")),), ((at("said"), at("said") + 4),),
                                                   ((0, 7),)),))

    def said(content: tuple[int, int], speaker: tuple[int, int] | None) -> Attribution:
        return Attribution("indirect", (content,), None, speaker, "none", None, None, "complement", 0.9)

    assert is_right(gold, said((at("the plan"), at(".")), (0, 7)))
    assert not is_right(gold, said((at("badly"), at(".")), (0, 7)))  # under half the content
    assert not is_right(gold, said((at("the plan"), at(".")), (at("said"), at("said") + 4)))  # another speaker
    assert is_right(gold, said((at("the plan") - 5, at(".") - 5), (0, 2)), base=5)  # chunk offsets


def test_a_cue_takes_no_content_from_the_next_sentence_first(hybrid):
    text = "Jane Doe said the plan would save money. Tom Reed disagreed. “It is a fantasy from start to finish.”"
    spans = _spans(text, ("Source", "Tom Reed"), ("Cue", "disagreed"), ("Content", "“It is a fantasy from start to finish.”"))
    assert combining.model_statements(hybrid.nlp(text), spans) == []


def test_a_content_stops_at_a_line_break(hybrid):
    text = "According to the agency, the army is on alert.\n\nFriday, August 21, 2015"
    spans = _spans(text, ("Cue", "According to"), ("Source", "the agency"))
    start = text.index("the army")
    spans.append(PredictedSpan("Content", start, len(text), 0.9))
    found = combining.model_statements(hybrid.nlp(text), spans)
    assert [[text[a:b] for a, b in s.content] for s in found] == [["the army is on alert."]]


def test_a_colon_cue_introduces_only_what_follows_it(hybrid):
    text = "WALLACE: Do you see them as equal?\nPENCE: Well, look, they are not."
    spans = _spans(text, ("Content", "Do you see them as equal?"), ("Source", "PENCE"), ("Content", "Well, look, they are not."))
    at = text.index("PENCE") + len("PENCE")
    spans.append(PredictedSpan("Cue", at, at + 1, 0.9))  # the model missed WALLACE's colon
    found = combining.model_statements(hybrid.nlp(text), spans)
    assert [[text[a:b] for a, b in s.content] for s in found] == [["Well, look, they are not."]]


def test_a_source_after_its_cue_belongs_to_a_nearer_cue(hybrid):
    text = "His position is criticized within the party, where some consider it too soft."
    spans = _spans(text, ("Content", "His position"), ("Cue", "is criticized"), ("Source", "some"),
                   ("Cue", "consider"), ("Content", "it too soft"))
    found = combining.model_statements(hybrid.nlp(text), spans)
    by_cue = {text[s.cue[0]:s.cue[1]]: s.speaker and text[s.speaker[0]:s.speaker[1]] for s in found}
    assert by_cue == {"is criticized": None, "consider": "some"}


@pytest.mark.parametrize("text, cue, content, kept", [
    ("A party MP disagrees with the position taken by the leader.", "disagrees with", "the position taken by the leader", False),
    ("Democrats have opposed the new trade deal.", "have opposed", "the new trade deal", False),
    ("The MP strongly condemns the attack of October 7.", "strongly condemns", "the attack of October 7", True),
    ("The MP believes the deal will fail.", "believes", "the deal will fail", True),
    ("The minister did not say whether the schools would reopen.", "did not say", "whether the schools would reopen", False),
    ("The minister refused to comment on the strike.", "refused", "to comment on the strike", False),
    ("He has been harshly criticized for the new policy.", "has been harshly criticized for", "the new policy", False),
    ("People were encouraged to submit their designs online.", "were encouraged", "to submit their designs online", False),
    ("Protesters were frustrated that the police released only some footage.", "were frustrated",
     "that the police released only some footage", True),
    ("The minister denied him a visa.", "denied", "him a visa", False),
    ("The minister denied the allegations of fraud.", "denied", "the allegations of fraud", True),
    ("The government will determine whether citizens prefer a new flag.", "will determine",
     "whether citizens prefer a new flag", False),
    ("The minister asked whether citizens prefer a new flag.", "asked", "whether citizens prefer a new flag", True),
    ("Officials weighed in about whether the video should be released.", "weighed in about",
     "whether the video should be released", True),
])
def test_hybrid_adds_no_attitude_to_a_target_nothing_unsaid_and_no_passive_subject_as_speaker(hybrid, text, cue, content, kept):
    source = text.split(" " + cue.split()[0])[0]
    spans = _spans(text, ("Source", source), ("Cue", cue), ("Content", content))
    assert len(combining.model_statements(hybrid.nlp(text), spans)) == 1
    added = selection.engine_statements([], hybrid.nlp(text), spans, "hybrid")
    assert bool(added) == kept, (text, added)


def test_a_cue_without_a_tagged_source_takes_its_subject_from_the_parse(hybrid):
    text = "Donald Trump, who has faced questions about his charity for many weeks now, said the report was false."
    spans = _spans(text, ("Cue", "said"), ("Content", "the report was false"))
    doc = hybrid.nlp(text)
    found = combining.model_statements(doc, spans)
    assert [text[s.speaker[0]:s.speaker[1]] for s in found] == [
        "Donald Trump, who has faced questions about his charity for many weeks now"]
    assert found[0].speaker_form == "name" and text[slice(*found[0].speaker_name)] == "Donald Trump"
    assert selection.engine_statements([], doc, spans, "hybrid") == []  # hybrid adds only statements whose source the model tagged
    tagged = spans + _spans(text, ("Source", "Donald Trump"))  # beyond SOURCE_GAP, but the parse's subject
    assert [text[s.speaker[0]:s.speaker[1]] for s in selection.engine_statements([], doc, tagged, "hybrid")] == ["Donald Trump"]
    inside = "“Donald Trump is wrong,” said the report."
    found = combining.model_statements(hybrid.nlp(inside), _spans(inside, ("Cue", "said"), ("Content", "Donald Trump is wrong,")))
    assert [inside[s.speaker[0]:s.speaker[1]] for s in found] == ["the report"]


def test_a_relative_pronoun_tagged_as_source_names_its_antecedent(hybrid):
    """PolNeAR's annotators, and so the model, tag "who" as the Source; the speaker is whom it stands for:
    the span stays "who" under PolNeAR's convention, and becomes the name under onrecord's."""
    text = "The plan was backed by Senator Ana Ruiz, who said it would save the river."
    spans = _spans(text, ("Source", "who"), ("Cue", "said"), ("Content", "it would save the river"))
    doc = hybrid.nlp(text)
    polnear, = combining.model_statements(doc, spans, "polnear")
    onrecord, = combining.model_statements(doc, spans, "onrecord")
    assert text[slice(*polnear.speaker)] == "who" and polnear.speaker_form == "name"
    assert doc[polnear.speaker_token].text == "Ruiz" and text[slice(*polnear.speaker_name)] == "Ana Ruiz"
    assert text[slice(*onrecord.speaker)] == "Ana Ruiz"


def test_a_source_span_that_names_no_one_is_no_source(hybrid):
    """A tagged adverb ("famously") is no speaker; the cue's subject in the parse stands instead."""
    text = "Tom Reed famously responded: “What difference does it make to anyone?”"
    spans = _spans(text, ("Source", "famously"), ("Cue", "responded:"), ("Content", "“What difference does it make to anyone?”"))
    found, = combining.model_statements(hybrid.nlp(text), spans)
    assert text[slice(*found.speaker)] == "Tom Reed"


def test_a_long_text_under_the_model_gives_exact_spans(hybrid):
    # pairing looks only near each cue: thousands of spans stay fast (all pairs used to hang here)
    body = "Smith said the plan would fail. “A quote,” she said. According to Jones, taxes rise. "
    text = (body * 700)[:60_000]
    record = hybrid.extract(text)
    assert len(record.statements) > 1000
    for s in record.statements:
        assert text[s.content.start : s.content.end] == s.content.text
        assert s.speaker is None or text[s.speaker.start : s.speaker.end] == s.speaker.text


def test_the_rules_engine_never_loads_the_model(monkeypatch, capsys, tmp_path, example_text, pipeline):
    def refuse(*args, **kwargs):
        raise AssertionError("the rules engine called the model")

    monkeypatch.setattr("onrecord.pipeline.predict_spans", refuse)
    monkeypatch.setattr("onrecord.pipeline.engine_statements", refuse)
    path = tmp_path / "example.txt"
    path.write_text(example_text, encoding="utf-8")
    from onrecord.cli import main

    assert main(["extract", "--engine", "rules", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)["statements"]
    direct = Pipeline(Settings(engine="rules")).extract(example_text)
    assert printed and printed == [s.to_dict() for s in direct.statements]


def test_engine_setting_is_checked_and_read_from_the_environment(monkeypatch):
    with pytest.raises(SettingsError, match="engine"):
        Settings(engine="neural")
    monkeypatch.setenv("ONRECORD_ENGINE", "model")
    assert Settings.from_env().engine == "model"


def test_engine_flag_reaches_the_settings():
    from onrecord.cli import build_parser, settings_from_args

    args = build_parser().parse_args(["extract", "--engine", "rules", "x.txt"])
    assert settings_from_args(args).engine == "rules"


def test_train_refits_the_statement_scorer_on_dev_alone(tmp_path, capsys):
    import os
    import shutil
    from pathlib import Path

    from onrecord.cli import main

    dev = Path(os.environ.get("ONRECORD_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "bench" / "polnear" / "dev"
    if not dev.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{dev} is missing: shared/ must lie beside the repository (or set ONRECORD_SHARED)")
        pytest.skip(f"{dev} not found; set ONRECORD_SHARED to the shared folder")
    small = tmp_path / "dev"
    for folder in ("text", "attributions"):
        (small / folder).mkdir(parents=True)
    for name in sorted(p.stem for p in (dev / "text").glob("*.txt"))[:4]:
        for found in [dev / "text" / f"{name}.txt", *(dev / "attributions").glob(f"{name}_*.ann")]:
            shutil.copy(found, small / found.parent.name)
    out = tmp_path / "run"
    assert main(["train", "--data", str(small), "--dev", str(small), "--out", str(out), "--scorer-only"]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert written == out / "statement_scorer.json"
    fitted = selection.load_scorer(str(written))
    assert fitted.features == selection.FEATURES and fitted.threshold == 0.4 and any(fitted.weights)
    assert main(["train", "--data", str(tmp_path / "nothing"), "--out", str(out), "--scorer-only"]) == 1
    assert "no dev split" in capsys.readouterr().err
    assert main(["train", "--data", str(small), "--dev", str(small), "--out", str(written), "--scorer-only"]) == 1
    assert "is a file" in capsys.readouterr().err


def test_a_missing_scorer_file_is_a_clear_error(tmp_path, example_text):
    settings = Settings(engine="model", statement_scorer=str(tmp_path / "none.json"))
    with pytest.raises(OnrecordError, match="ONRECORD_STATEMENT_SCORER"):
        Pipeline(settings).extract(example_text)
