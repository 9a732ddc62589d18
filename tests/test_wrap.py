"""Word wrap for the text pane and the sidebar: what a reader sees on each line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from tui.ui.wrap import line_ranges, wrap


def lines_of(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in line_ranges(text, width)]


def test_words_fill_lines_greedily_and_never_split_when_they_fit():
    text = "The quick brown fox jumps over the lazy dog near the riverbank"
    assert lines_of(text, 20) == ["The quick brown fox", "jumps over the lazy", "dog near the", "riverbank"]


def test_a_word_wider_than_the_line_is_cut_not_lost():
    text = "see https://example.org/a/very/long/path/that/goes/on end"
    got = lines_of(text, 12)
    assert all(len(line) <= 12 for line in got)
    assert "".join(got).replace(" ", "") == text.replace(" ", "")


def test_newlines_and_leading_indent_are_kept():
    assert lines_of("“Quoted words”\n  — Speaker Name", 40) == ["“Quoted words”", "  — Speaker Name"]


def test_wide_characters_count_two_cells():
    got = lines_of("東京 大阪 名古屋 札幌 福岡", 8)
    assert got == ["東京", "大阪", "名古屋", "札幌", "福岡"]


def test_spans_keep_their_style_across_a_wrap():
    text = Text("one two three four five six")
    text.stylize("bold", 4, 18)  # "two three four"
    lines = wrap(text, 10)
    bold = "".join(seg.text for segs, _ in lines for seg in segs if seg.style and seg.style.bold)
    assert bold.replace(" ", "") == "twothreefour"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cdé\n東-"), max_size=200), st.integers(1, 30))
def test_no_line_is_wider_than_the_pane_and_no_word_is_lost(text, width):
    got = lines_of(text, width)
    for line in got:
        # One character wider than the line (a 2-cell glyph on a 1-cell pane) is the only excess.
        assert cell_len(line) <= max(width, 2)
    assert "".join("".join(got).split()) == "".join(text.split())
