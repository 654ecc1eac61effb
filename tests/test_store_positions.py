"""Positions and disagreements in the store: written with their article, read per speaker, per
target over time, as the most contested targets and as a disagreement network (explicit and
derived), every piece of evidence checkable against its article's text."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Disagreement, Extraction, Position, Span
from onrecord.store import MIGRATIONS, Store, schema_version
from onrecord.store import schema as schema_module
from storefakes import Person, Said, article


def _span(record: Extraction, phrase: str) -> Span:
    at = record.article.text.index(phrase)
    return Span.of(record.article.text, at, at + len(phrase))


def _entity(record: Extraction, name: str) -> str:
    return next(e.id for e in record.entities if e.name == name)


def with_position(record: Extraction, holder: str | None, holder_text: str, cue: str, target: str, norm: str, stance: str,
                  statement: str | None = "s1") -> Extraction:  # fmt: skip
    """The record with one more position, its spans found in the text."""
    p = Position(_entity(record, holder) if holder else None, holder_text, _span(record, target), norm, stance,  # type: ignore[arg-type]
                 _span(record, cue), statement, 0.85)  # fmt: skip
    return replace(record, positions=(*record.positions, p))


def alice_for_ceasefire() -> Extraction:
    record = article(
        ["Alice Smith spoke in Leeds.", Said("a ceasefire now", "Smith", "Alice Smith", "called for", kind="indirect")],
        [Person("Alice Smith", forms=("Smith",))], outlet="Wire", published="2023-10-05",
    )  # fmt: skip
    return with_position(record, "Alice Smith", "Smith", "called for", "a ceasefire now", "ceasefire", "favor")


def bob_against_ceasefire() -> Extraction:
    record = article(
        [Said("I reject the ceasefires they want", "Bob Jones", "Bob Jones"),
         "Bob Jones has criticised Alice Smith over the talks.", "Some voters said they reject it too."],
        [Person("Bob Jones"), Person("Alice Smith")], outlet="Post", published="2023-12-02",
    )  # fmt: skip
    record = with_position(record, "Bob Jones", "Bob Jones", "reject", "the ceasefires they want", "ceasefire", "against")
    record = with_position(record, None, "Some voters", "reject it", "it too", "ceasefire", "against", statement=None)
    evidence = _span(record, "Bob Jones has criticised Alice Smith over the talks.")
    d = Disagreement(_entity(record, "Bob Jones"), "Bob Jones", _entity(record, "Alice Smith"), "Alice Smith", "explicit",
                     None, ("s1",), evidence, 0.8)  # fmt: skip
    return replace(record, disagreements=(d,))


@pytest.fixture
def store(store_url):
    with Store(store_url("s.db")) as s:
        s.add(alice_for_ceasefire())
        s.add(bob_against_ceasefire())
        yield s


def _checks(store: Store, evidence) -> None:
    for ev in evidence:
        text = store.article_view(ev.article_id).text
        assert text[ev.start : ev.end] == ev.text != ""


def test_a_speakers_positions_with_dates_and_evidence(store):
    alice = store.speaker_positions("Alice Smith")
    assert [(p.target_norm, p.stance, p.count) for p in alice.positions] == [("ceasefire", "favor", 1)]
    position = alice.positions[0]
    assert position.first_date == position.last_date == "2023-10-05"
    assert [e.statement_id for e in position.evidence] == [store.search("ceasefire now")[0].statement_id]
    assert "a ceasefire now" in position.evidence[0].text
    _checks(store, position.evidence)
    assert store.speaker_positions(alice.entity_id) == alice


def test_a_target_lists_who_is_for_and_against_by_month_whatever_form_is_asked(store):
    view = store.target("The Ceasefires")
    assert view.target_norm == "ceasefire"
    assert [h.name for h in view.favor] == ["Alice Smith"]
    assert sorted(h.name for h in view.against) == ["Bob Jones", "Some voters"]
    assert next(h for h in view.against if h.name == "Some voters").entity_id is None
    assert [(m.month, m.favor, m.against) for m in view.months] == [("2023-10", 1, 0), ("2023-11", 0, 0), ("2023-12", 0, 2)]
    assert set(view.printed) == {"a ceasefire now", "the ceasefires they want", "it too"}
    assert store.target("a ceasefire now") == view  # as printed
    _checks(store, [e for h in (*view.favor, *view.against) for e in h.position.evidence])


def test_unknown_or_empty_targets_are_clear_errors(store):
    with pytest.raises(NotFoundError, match="perhaps ceasefire"):
        store.target("ceasefire deal")  # no such target; one close to it is named
    with pytest.raises(NotFoundError, match="no positions on"):
        store.target("tariffs")
    with pytest.raises(StoreError, match="give a target"):
        store.target("  ")


def test_targets_count_favor_against_and_holders(store):
    [ceasefire] = store.targets()
    assert (ceasefire.target_norm, ceasefire.favor, ceasefire.against, ceasefire.holders) == ("ceasefire", 1, 2, 3)
    assert store.targets(top=0) == []


def test_network_joins_explicit_and_derived_disagreements_between_entities(store):
    network = store.disagreement_network()
    [edge] = network.edges  # 'Some voters' is no entity: no node, no edge
    assert (edge.a_name, edge.b_name) == ("Bob Jones", "Alice Smith")  # the explicit one's direction
    assert (edge.explicit, edge.derived, edge.weight, edge.targets) == (1, 1, 2, ("ceasefire",))
    assert {e.kind for e in edge.evidence} == {"explicit", "favor", "against"}
    _checks(store, edge.evidence)
    assert sorted((n.name, n.explicit, n.derived) for n in network.nodes) == [("Alice Smith", 1, 1), ("Bob Jones", 1, 1)]
    assert store.disagreement_network(min_weight=3).edges == ()
    with pytest.raises(StoreError, match="at least 1"):
        store.disagreement_network(limit=0)


def test_a_copy_of_a_stored_text_adds_no_positions(store):
    again = alice_for_ceasefire()
    outcome = store.add(replace(again, article=replace(again.article, outlet="Other Outlet", id="")))
    assert outcome.status == "copy"
    assert store.speaker_positions("Alice Smith").positions[0].count == 1
    assert store.conn.execute("SELECT count(*) FROM positions").fetchone()[0] == 3


def test_a_position_whose_span_is_not_the_text_is_refused_and_nothing_is_stored(store_url):
    record = alice_for_ceasefire()
    bad = replace(record.positions[0], target=Span(0, 5, "other"))
    with Store(store_url("s.db")) as store:
        with pytest.raises(StoreError, match="position"):
            store.add(replace(record, positions=(bad,)))
        assert store.counts().articles == 0
        assert store.conn.execute("SELECT count(*) FROM positions").fetchone()[0] == 0


def test_migration_from_the_previous_version_keeps_what_was_stored(store_url, monkeypatch):
    path = store_url("old.db")
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:2])
    with Store(path) as old:
        old.add(replace(alice_for_ceasefire(), positions=()))  # a v2 store has nowhere to put them
        assert schema_version(old.conn) == 2
    monkeypatch.undo()
    with Store(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS) >= 3
        assert store.counts().statements == 1
        assert store.targets() == []
        store.add(bob_against_ceasefire())
        assert [t.against for t in store.targets()] == [2]


def test_the_example_article_in_the_store(store_url, example_record):
    with Store(store_url("s.db")) as store:
        store.add(example_record)
        starmer = store.speaker_positions("Keir Starmer")
        stances = {(p.target_norm, p.stance) for p in starmer.positions}
        assert {("ceasefire", "against"), ("humanitarian pause", "favor")} <= stances
        assert [h.name for h in store.target("ceasefire").against] == ["Keir Starmer"]
        network = store.disagreement_network()
        edge = next(e for e in network.edges if {e.a_name, e.b_name} == {"Imran Hussain", "Keir Starmer"})
        assert (edge.a_name, edge.b_name, edge.explicit) == ("Imran Hussain", "Keir Starmer", 1)
        [evidence] = [e for e in edge.evidence if e.kind == "explicit"]
        assert "differs markedly" in evidence.text
        assert store.statement_detail(evidence.statement_id).speaker == "Imran Hussain"
        _checks(store, edge.evidence)


# -- the commands -----------------------------------------------------------------------------------


@pytest.fixture
def db(store_url):
    path = store_url("cli.db")
    with Store(path) as s:
        s.add(alice_for_ceasefire())
        s.add(bob_against_ceasefire())
    return str(path)


def test_cli_positions_target_and_disagreements(db, capsys):
    from onrecord.cli import main

    assert main(["positions", "Smith", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Alice Smith: 1 position" in out and "for      ceasefire" in out and "called for a ceasefire now" in out
    assert main(["target", "ceasefires", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.index("for (1)") < out.index("Alice Smith") < out.index("against (2)") < out.index("Bob Jones")
    assert "2023-12  for 0  against 2" in out
    assert main(["target", "--db", db]) == 0
    assert "ceasefire  (for 1, against 2; 3 holders)" in capsys.readouterr().out
    assert main(["disagreements", "--db", db, "--json"]) == 0
    network = json.loads(capsys.readouterr().out)
    assert [(e["a_name"], e["b_name"], e["explicit"], e["derived"]) for e in network["edges"]] == [("Bob Jones", "Alice Smith", 1, 1)]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["target", "tariffs"], "no positions on 'tariffs'"),
        (["positions", "Nobody Atall"], "Nobody Atall"),
        (["disagreements", "--top", "0"], "at least 1"),
        (["target", "--top", "0"], "at least 1"),
    ],
)
def test_cli_bad_input_is_a_clear_error(db, capsys, argv, message):
    from onrecord.cli import main

    assert main([*argv, "--db", db]) == 1
    assert message in capsys.readouterr().err


def test_hedged_positions_are_stored_but_not_shown(store_url):
    record = alice_for_ceasefire()
    hedged = replace(record, positions=(replace(record.positions[0], confidence=0.42),))  # "may call for"
    with Store(store_url("s.db")) as store:
        store.add(hedged)
        store.add(bob_against_ceasefire())
        assert store.conn.execute("SELECT count(*) FROM positions WHERE confidence < 0.45").fetchone()[0] == 1
        assert store.speaker_positions("Alice Smith").positions == ()
        view = store.target("ceasefire")
        assert (view.favor, view.favor_holders, view.against_holders) == ((), 0, 2)
        network = store.disagreement_network()
        assert [(e.explicit, e.derived) for e in network.edges] == [(1, 0)]  # no derived edge from a hedge


def test_a_target_lists_the_holders_with_most_positions_and_counts_them_all(store_url, monkeypatch):
    from onrecord.store import stances

    monkeypatch.setattr(stances, "MAX_HOLDERS", 1)
    with Store(store_url("s.db")) as store:
        store.add(alice_for_ceasefire())
        store.add(bob_against_ceasefire())
        view = store.target("ceasefire")
        assert (len(view.against), view.against_holders) == (1, 2)


def test_derived_disagreements_are_looked_for_among_the_speakers_with_most_positions(store_url, monkeypatch):
    from onrecord.store import stances

    monkeypatch.setattr(stances, "NETWORK_SPEAKERS", 1)  # Alice and Bob have one position each: one is left out
    with Store(store_url("s.db")) as store:
        store.add(alice_for_ceasefire())
        store.add(bob_against_ceasefire())
        assert [(e.explicit, e.derived) for e in store.disagreement_network().edges] == [(1, 0)]
