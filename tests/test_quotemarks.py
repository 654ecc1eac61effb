"""Quotation-mark spans found directly: marks of every style, apostrophes and scare quotes, quotations
over several paragraphs, and odd or unbalanced marks that must never raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from onrecord.text.quotemarks import find_quotes


def _texts(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said "we will win" and left.', ['"we will win"']),
        ("He said “we will win” and left.", ["“we will win”"]),
        ("Il a dit «nous gagnerons» hier.", ["«nous gagnerons»"]),
        ("She called it „a disgrace” on air.", ["„a disgrace”"]),
        ("'We are ready for anything,' he said.", ["'We are ready for anything,'"]),
        ("“He called it ‘a farce’ on Monday,” she said.", ["“He called it ‘a farce’ on Monday,”", "‘a farce’"]),
        ("He said ”we will win” and left.", ["”we will win”"]),  # a closing mark typed for the opening one
        ("”Fear. I am afraid.” ― Ana Ruiz", ["”Fear. I am afraid.”"]),
    ],
)
def test_quotemarks_styles(text, expected):
    assert _texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The ministers’ plan for Britain’s ports is late.",
        "They don't know and won't say.",
        "The teachers' union met the nurses' union.",
        "Rock bands of the ’90s and the '80s were louder.",
        "He is 6' tall and she is 5'8\".",
        "O’Neill and D'Arcy arrived at the Smiths’ house.",
    ],
)
def test_quotemarks_apostrophes_are_not_quotations(text):
    assert find_quotes(text) == []


def test_quotemarks_scare_quote_is_a_short_single_quote():
    text = "Members of the ‘shadow cabinet’ met on Monday."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "‘shadow cabinet’"
    assert not q.double and q.words == 2


def test_quotemarks_paragraphs_reopen_one_quotation():
    text = "She said: “First paragraph here.\n\n“Second paragraph here.\n\n“Third and last.”\n\nThen she left."
    (q,) = find_quotes(text)
    assert [text[a:b] for a, b in q.pieces] == ["“First paragraph here.", "“Second paragraph here.", "“Third and last.”"]
    assert q.closed and q.double


def test_quotemarks_closed_paragraph_then_new_quotation():
    text = "“One,” he said.\n\n“Two and three.”"
    assert _texts(text) == ["“One,”", "“Two and three.”"]


def test_quotemarks_apostrophe_pairs_are_double_marks():
    """Two straight apostrophes typed for a double mark, as news archives keep them: the quotation
    takes both of each pair, a continuing paragraph reopens it, and an empty string is no quotation."""
    pair = "''"
    text = (
        f"{pair}I don't judge,{pair} he said. {pair}Most of it 'was waste.'{pair}\n\n"
        f"{pair}Next paragraph,\n\n{pair}And the last.{pair}\n\nx = {pair} here"
    )
    quotes = find_quotes(text)
    assert [[text[a:b] for a, b in q.pieces] for q in quotes] == [
        [f"{pair}I don't judge,{pair}"],
        [f"{pair}Most of it 'was waste.'{pair}"],
        ["'was waste.'"],
        [f"{pair}Next paragraph,", f"{pair}And the last.{pair}"],
    ]
    assert [q.double for q in quotes] == [True, True, False, True]
    assert text[slice(*quotes[0].inner)] == "I don't judge,"


def test_quotemarks_same_marks_nested_or_left_open():
    """An opening mark inside an open quotation nests one when two closing marks follow it; with one,
    the earlier quotation was left open."""
    nested = "“I’d rather live in what he calls “hell” than here,” she said."
    assert _texts(nested) == ["“I’d rather live in what he calls “hell” than here,”", "“hell”"]
    left_open = "He said “this never closes, and then “a new one starts here.”"
    assert _texts(left_open) == ["“this never closes, and then", "“a new one starts here.”"]


@pytest.mark.parametrize(
    "text, pieces",
    [
        # the next paragraph's only double mark closes it at its end: the quotation runs on without reopening
        ("The coach said, “We learned a lot.\n\nIt was an emotional day.”\n\nThen he left.",
         ["“We learned a lot.", "It was an emotional day.”"]),
        ('The coach said, "We learned a lot.\n\nIt was an emotional day."', ['"We learned a lot.', 'It was an emotional day."']),
        # or after a sentence, before a quotation of its own
        ('He said, "It felt good.\n\nWe could have scored three." After the match, the coach said, "We lost."',
         ['"It felt good.', 'We could have scored three."']),
        # a closing mark with other marks in its paragraph, or a paragraph between, is not that
        ("The coach said, “We learned a lot.\n\nFans were “furious” all day.”", ["“We learned a lot."]),
        ("The coach said, “We learned a lot.\n\nNobody saw it.\n\nIt was an emotional day.”", ["“We learned a lot."]),
    ],
)
def test_quotemarks_a_quotation_closed_in_the_next_paragraph_without_reopening(text, pieces):
    first = find_quotes(text)[0]
    assert [text[a:b] for a, b in first.pieces] == pieces


def test_quotemarks_unclosed_quotation_ends_at_its_paragraph():
    text = "He said “this never closes\n\nA new paragraph without marks."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "“this never closes"
    assert not q.closed


@pytest.mark.parametrize(
    "text",
    [
        "",
        '"',
        "“",
        "”",
        "«",
        "'",
        '""',
        "“”",
        "‘’",
        '"""',
        "”backwards“",
        '" spaced "',
        "He said “open “open “open",
        "He said ”close ”close",
        "«a» »b« «c",
        "‘one ’two ‘three",
        '"a\n\n"b\n\n"c',
        "“\n\n“\n\n”",
        "x'y'z \"q\"r\"s",
        "— “ — ” —",
        "\n\n\n“",
        "“a’s ‘b” c’",
    ],
)
def test_quotemarks_odd_marks_never_raise_and_stay_in_the_text(text):
    quotes = find_quotes(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert q.pieces[0][0] == q.start and q.pieces[-1][1] == q.end
        for a, b in q.pieces:
            assert q.start <= a < b <= q.end
        a, b = q.inner
        assert q.start <= a <= b <= q.end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\"'“”‘’«»„‹›,.:—", max_size=40))
def test_quotemarks_any_mix_of_marks_gives_valid_offsets(text):
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        for a, b in q.pieces:
            assert q.start <= a < b <= q.end
