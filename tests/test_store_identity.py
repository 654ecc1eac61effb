"""One identity per speaker across articles: the pure rules, then what the store makes of them."""

from __future__ import annotations

import pytest

from onrecord.model import Entity, Span
from onrecord.store import Store
from onrecord.store.identity import (
    StoredPerson,
    match_person,
    name_forms,
    name_key,
    name_norm,
    roles_match,
    similar_surname,
    surname_keys,
)
from storefakes import Person, Said, article, cleverly_article


@pytest.fixture
def store(store_url):
    with Store(store_url("s.db")) as s:
        yield s


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("cleverly", "cleverley", True),
        ("zelensky", "zelenskyy", True),
        ("smith", "smyth", True),
        ("starmer", "startmer", True),
        ("clinton", "klinton", False),  # a different first letter is not a spelling slip
        ("lee", "lea", False),  # too short to tell
        ("johnson", "johnston", True),
        ("johnson", "jackson", False),
        ("abbott", "abbot", True),
    ],
)
def test_store_identity_surname_variants(a, b, same):
    assert similar_surname(a, b) is same
    assert similar_surname(b, a) is same
    if same:
        assert surname_keys(a) & surname_keys(b), "variants must share an index key"


def test_store_identity_name_norm_folds_case_accents_punctuation_and_titles():
    assert name_norm("Mr. James  CLEVERLY’s") == "james cleverly"
    assert name_norm("Emmanuel Macrón") == name_norm("emmanuel macron")
    assert name_norm("Martin Luther King Jr.") == "martin luther king"
    key = name_key("Dr Hillary Rodham Clinton", "PERSON")
    assert (key.first, key.surname, key.full) == ("hillary", "clinton", True)
    assert name_key("Clinton", "PERSON").full is False


def test_store_identity_roles_match_on_shared_meaning():
    assert roles_match(["Foreign Secretary"], ["British Foreign Secretary"])
    assert roles_match(["the Secretary of State"], ["Secretary of State"])
    assert not roles_match(["former president"], ["Secretary of State"])
    assert not roles_match([], ["mayor"])


BILL = StoredPerson(1, "bill", "clinton", ("former president",))
HILLARY = StoredPerson(2, "hillary", "clinton", ("Secretary of State",))


def test_store_identity_full_names_need_the_same_first_name():
    assert match_person(name_key("Bill Clinton", "PERSON"), (), [BILL, HILLARY]) == (1, False)
    assert match_person(name_key("Hillary Clinton", "PERSON"), (), [BILL, HILLARY]) == (2, False)
    assert match_person(name_key("Chelsea Clinton", "PERSON"), (), [BILL, HILLARY]) == (None, False)


def test_store_identity_bare_surname_needs_one_candidate_or_a_role():
    clinton = name_key("Clinton", "PERSON")
    assert match_person(clinton, (), [BILL]) == (1, False)
    assert match_person(clinton, ("Secretary of State",), [BILL]) == (None, False)  # roles disagree
    assert match_person(clinton, (), [BILL, HILLARY]) == (None, False)  # two people share it
    assert match_person(clinton, ("US Secretary of State",), [BILL, HILLARY]) == (2, False)  # a role says which


def test_store_identity_full_name_takes_over_a_surname_only_person_on_a_shared_role():
    bare = StoredPerson(3, None, "ardern", ("Prime Minister",))
    assert match_person(name_key("Jacinda Ardern", "PERSON"), ("New Zealand Prime Minister",), [bare]) == (3, True)
    assert match_person(name_key("Jacinda Ardern", "PERSON"), (), [bare]) == (None, False)


def test_store_identity_name_forms_skip_pronouns_and_descriptions():
    text = "James Cleverly spoke. He said Cleverly’s plan was set. The minister agreed. Mr Cleverly left."
    mentions = tuple(Span.of(text, text.index(m), text.index(m) + len(m)) for m in ("James Cleverly", "He", "Cleverly’s", "The minister", "Mr Cleverly"))
    forms = name_forms(Entity("e1", "James Cleverly", "PERSON", (), mentions))
    assert forms == ["James Cleverly", "Cleverly", "Cleverly"]


# -- in the store --------------------------------------------------------------------------------


def _entity(store, name):
    return store.conn.execute("SELECT id, name FROM entities e WHERE id IN (SELECT entity_id FROM entity_names WHERE name = ?)", (name,)).fetchall()


def test_store_identity_spelling_variants_are_one_speaker(store):
    store.add(cleverly_article("BBC News", "2023-11-08", "James Cleverly"))
    store.add(cleverly_article("Reuters", "2023-11-09", "James Cleverley"))
    store.add(cleverly_article("AP", "2023-11-10", "James CLEVERLY", header="TOKYO (AP) —"))
    people = store.conn.execute("SELECT id, name FROM entities WHERE type = 'PERSON' AND surname LIKE 'clever%'").fetchall()
    assert len(people) == 1
    profile = store.speaker("james cleverley")
    assert {"James Cleverly", "James Cleverley", "Cleverley"} <= set(profile.variants)
    assert profile.entity_id == people[0][0]


def test_store_identity_canonical_name_is_the_most_frequent_full_form(store):
    store.add(cleverly_article("BBC News", "2023-11-08", "James Cleverley"))
    store.add(cleverly_article("Reuters", "2023-11-09", "James Cleverly"))
    first = store.speakers()[0].name
    assert first == "James Cleverley"  # one each: the earliest wins
    store.add(cleverly_article("AP", "2023-11-10", "James Cleverly", header="TOKYO (AP) —"))
    assert store.speakers()[0].name == "James Cleverly"


def _clinton_article(first, role, quote, outlet, published):
    name = f"{first} Clinton" if first else "Clinton"
    return article(
        [f"{role.capitalize()} {name} spoke in Little Rock on Monday." if role else f"{name} spoke on Monday.",
         Said(quote, "Clinton", name)],
        [Person(name, roles=(role,) if role else (), forms=("Clinton",))],
        outlet=outlet, published=published, title=f"{name} in Little Rock",
    )  # fmt: skip


def test_store_identity_two_clintons_stay_apart_and_a_bare_surname_joins_neither(store):
    store.add(_clinton_article("Bill", "former president", "The economy grew faster than anyone expected back then", "CNN", "2016-01-04"))
    store.add(_clinton_article("Hillary", "secretary of state", "Diplomacy is the hard work of finding common ground", "NBC", "2016-01-05"))
    store.add(_clinton_article(None, "", "We will keep fighting for working families across this country", "ABC", "2016-01-06"))
    names = sorted(r[0] for r in store.conn.execute("SELECT name FROM entities WHERE surname = 'clinton'"))
    assert names == ["Bill Clinton", "Clinton", "Hillary Clinton"]
    store.add(_clinton_article(None, "Secretary of State", "Our alliances make this nation stronger and safer today", "CBS", "2016-01-07"))
    hillary = store.speaker("Hillary Clinton")
    assert len(hillary.statements) == 2  # the role named her
    assert [r.role for r in hillary.roles] == ["secretary of state", "Secretary of State"]


def test_store_identity_bare_surname_joins_the_only_person_with_it(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    store.add(article(
        [Said("The United Kingdom stands firmly with its partners in the region", "Cleverly", "Cleverly")],
        [Person("Cleverly", roles=("Foreign Secretary",))], outlet="Sky", published="2023-11-12",
    ))  # fmt: skip
    assert store.counts().entities == 2  # Cleverly and Starmer
    profile = store.speaker("Cleverly")
    assert len(profile.statements) == 3


def test_store_identity_bare_surname_with_an_other_role_stays_its_own(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    store.add(article(
        [Said("The club will appeal against the decision of the league", "Cleverly", "Cleverly")],
        [Person("Cleverly", roles=("football manager",))], outlet="Sky", published="2023-11-12",
    ))  # fmt: skip
    assert len(store.conn.execute("SELECT id FROM entities WHERE surname = 'cleverly'").fetchall()) == 2


def test_store_identity_roles_are_kept_per_article_with_dates(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    store.add(article(
        ["Home Secretary James Cleverly visited Dover.", Said("We will stop the boats this year and that is a promise", "Cleverly", "James Cleverly")],
        [Person("James Cleverly", roles=("Home Secretary",), forms=("Cleverly",))], outlet="Sky", published="2024-01-15",
    ))  # fmt: skip
    roles = store.speaker("Cleverly").roles
    assert [(r.role, r.first_date, r.articles) for r in roles] == [
        ("British Foreign Secretary", "2023-11-08", 1),
        ("Home Secretary", "2024-01-15", 1),
    ]
    assert store.speakers()[0].role == "Home Secretary"  # the most recent


def test_store_identity_organisations_match_on_folded_name(store):
    for outlet, name in (("BBC News", "the European Commission"), ("AP", "European Commission")):
        store.add(article(
            [Said(f"Member states must agree on the budget before the summit ({outlet})", "The commission", name)],
            [Person(name, type="ORG")], outlet=outlet, published="2024-02-01",
        ))  # fmt: skip
    assert [s.name for s in store.speakers()] == ["European Commission"]
