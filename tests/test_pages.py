"""Page cleaning: the reader shows the story, not the site around it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tui.pages import parse_date, parse_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
REPRINT = "000_97778266beb80e31.txt"
ORIGINAL = "001_65642de56bddba02.txt"


@pytest.fixture(scope="module")
def seed_spec() -> dict:
    spec = SHARED / "acceptance" / "seeds.yaml"
    if not spec.is_file() or not SEEDS.is_dir():
        pytest.skip("shared seeds are not present")
    return yaml.safe_load(spec.read_text(encoding="utf-8"))


def _seed(name: str):
    return parse_page((SEEDS / name).read_text(encoding="utf-8"), name=name)


def _same_title(a: str | None, b: str) -> bool:
    norm = lambda s: s.replace("\u2019", "'")  # noqa: E731 - the reprint uses curly apostrophes
    return a is not None and norm(a) == norm(b)


@pytest.mark.parametrize("name", [REPRINT, ORIGINAL])
def test_seed_headline_and_not_body_lines(seed_spec, name):
    page = _seed(name)
    assert _same_title(page.title, seed_spec["story"]["title"])
    for chrome in seed_spec["story"]["not_body"]:
        assert chrome not in page.body
    assert page.body.startswith(("WASHINGTON DC: Several of Beijing", "Several of Beijing"))


def test_reprint_date_and_source_come_from_its_chrome(seed_spec):
    page = _seed(REPRINT)
    # The date bar above the headline ("Monday, January 20th, 2025") is the site's today.
    assert page.published == str(seed_spec["story"]["published"])
    assert page.source == "VOA"
    assert "(VOA)" not in page.body
    # The story was cut after the Patricia Kim quotes; the headline sidebar is gone.
    assert page.body.rstrip().endswith("she said.")
    assert "KATHMANDU" not in page.body


def test_original_captions_are_kept_apart(seed_spec):
    page = _seed(ORIGINAL)
    for caption in seed_spec["story"]["captions"]:
        assert caption not in page.body
        assert any(c.startswith(caption) for c in page.captions)
    assert len(page.captions) == 4
    assert not any(p.startswith("FILE - ") for p in page.body.split("\n\n"))
    # Sub-heads stay, as paragraphs of their own.
    assert "\n\nBalancing act\n\n" in page.body
    assert "\n\nAligned against US\n\n" in page.body


CHROME_PAGE = """Sunday, March 3rd, 2024

Harbor council approves dock budget

March 2, 2024

Time taken to read : 2 Minute

  \u2022 A
  \u2022 A
  \u2022 A

Share this article

PORT ELLISON: The harbor council approved the dock budget on Friday after a
long debate about fees, officials said.

Advertisement

Dock fees will rise by four percent in July, and the port authority said it
would review the schedule again next spring.

Copyright 2024 Harbor Gazette. All rights reserved. This material may not be published.

Related:
- Mayor opens new ferry terminal
- Storm closes coastal road

Comments (3)
"""


def test_chrome_lines_are_not_body():
    page = parse_page(CHROME_PAGE)
    assert page.title == "Harbor council approves dock budget"
    assert page.published == "2024-03-02"
    paras = page.body.split("\n\n")
    assert paras == [
        "PORT ELLISON: The harbor council approved the dock budget on Friday after a long debate about fees, officials said.",
        "Dock fees will rise by four percent in July, and the port authority said it would review the schedule again next spring.",
    ]


def test_trailing_headline_teasers_are_dropped_but_a_last_paragraph_stays():
    text = (
        "Budget passes\n\nThe council passed the budget on Friday by a wide margin, officials said.\n\n"
        "The mayor is expected to sign it next week.\n\n"
        "Ferry terminal opens after delays\n\nPORT ELLISON: The long-delayed ferry terminal opened to\n\n"
        "Storm closes coastal road\n\nPORT ELLISON: Heavy rain forced the closure of the main\n"
    )
    page = parse_page(text)
    assert page.body.split("\n\n")[-1] == "The mayor is expected to sign it next week."
    # A story may end without punctuation; one such paragraph is not a sidebar.
    single = parse_page("Title\n\nA first paragraph of the story that is long enough to count.\n\nSee the full schedule online\n")
    assert single.body.endswith("See the full schedule online")


def test_hard_wrapped_paragraphs_are_rejoined_but_line_per_paragraph_dumps_are_not():
    wrapped = parse_page(
        "Title\n\nThe city council approved the harbor budget early on Tuesday after a\n"
        "twelve-hour debate that ran past midnight, officials said on\nWednesday.\n\n"
        "Dock fees will rise by four percent in July.\n"
    )
    assert wrapped.body == (
        "The city council approved the harbor budget early on Tuesday after a twelve-hour debate "
        "that ran past midnight, officials said on Wednesday.\n\nDock fees will rise by four percent in July."
    )
    long_lines = [
        "The city council approved the harbor budget early on Tuesday after a twelve-hour debate that ran past midnight.",
        "Dock fees will rise by four percent in July, and the port authority will review the schedule next spring.",
        "Short closing line.",
    ]
    dump = parse_page("Title\n\n" + "\n".join(long_lines) + "\n")
    assert dump.body.split("\n\n") == long_lines


MARKDOWN = """# Council approves harbor budget after long night

*By Jane Doe*

**Published:** March 3, 2024 | **Source:** Harbor Gazette

![A crane lifts containers at the port, March 1, 2024.](https://example.com/crane.jpg)

The city council approved the harbor budget early on Tuesday after a [twelve-hour debate](https://example.com/d)
that ran past midnight.

## What changes

Dock fees rise by 4 percent in **July**, officials said.

---

\u00a9 2024 Harbor Gazette
"""


def test_markdown_dump():
    page = parse_page(MARKDOWN)
    assert page.title == "Council approves harbor budget after long night"
    assert page.source == "Harbor Gazette"
    assert page.published == "2024-03-03"
    assert page.captions == ["A crane lifts containers at the port, March 1, 2024."]
    assert page.body.split("\n\n") == [
        "The city council approved the harbor budget early on Tuesday after a twelve-hour debate that ran past midnight.",
        "What changes",
        "Dock fees rise by 4 percent in July, officials said.",
    ]
    assert "Jane Doe" not in page.body


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Publish Date : 22 November 2024 10:56 AM", "2024-11-22"),
        ("Monday, January 20th, 2025", "2025-01-20"),
        ("Nov. 5, 2016", "2016-11-05"),
        ("2024-05-04", "2024-05-04"),
        ("no date here", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_sample_outlets_furniture_is_not_body():
    """Every outlet's furniture listed in samples/stories.yaml stays out of the body."""
    spec_path = SAMPLES / "stories.yaml"
    if not spec_path.is_file():
        pytest.skip("samples are not present")
    from tui.textio import decode_bytes

    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    pages = {
        p.name: parse_page(decode_bytes(p.read_bytes()), name=p.name)
        for p in sorted(SAMPLES.iterdir())
        if p.suffix in (".txt", ".md") and p.name != "README.md"
    }
    for outlet in spec["outlets"].values():
        for page in pages.values():
            for furniture in outlet.get("not_body", []):
                assert furniture not in page.body
            for caption in outlet.get("captions", []):
                assert caption not in page.body
    for story in spec["stories"]:
        assert pages[story["canonical"]].title == story["title"]
    assert pages["eastgateherald-bellhaven-measles.txt"].published == "2025-03-27"
    assert pages["valleycourier-marrow-aquifer.md"].source == "Valley Courier"


# ---------------------------------------------------------------- first-character shortcuts


def _first_chars(pattern: "re.Pattern[str]") -> set[str]:
    """Every ASCII character a match of ``pattern`` can start with, read off its parse tree.

    Zero-width assertions count as passed, so the set can only come out too large.
    """
    import re._compiler as compiler
    import re._parser as parser

    tree = parser.parse(pattern.pattern, pattern.flags)

    def one(item: tuple, c: str) -> bool:
        return compiler.compile(parser.SubPattern(tree.state, [item]), tree.state.flags).match(c) is not None

    def seq(items: list, c: str) -> tuple[bool, bool]:  # (can start with c, can be empty)
        for item in items:
            starts, empty = elem(item, c)
            if starts:
                return True, False
            if not empty:
                return False, False
        return False, True

    def elem(item: tuple, c: str) -> tuple[bool, bool]:
        op, av = item
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY"):
            return one(item, c), False
        if name == "AT":
            return False, True
        if name == "BRANCH":
            got = [seq(b.data if hasattr(b, "data") else b, c) for b in av[1]]
            return any(s for s, _ in got), any(e for _, e in got)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, hi, sub = av
            starts, empty = seq(sub.data, c) if hi else (False, True)
            return starts, lo == 0 or empty
        raise AssertionError(f"first characters of {name} not worked out")

    return {chr(i) for i in range(128) if seq(tree.data, chr(i))[0]}


def test_chrome_first_characters_cover_every_chrome_line() -> None:
    import re

    import tui.pages as pages

    for part, first in pages._CHROME_PARTS:
        assert _first_chars(re.compile(part, pages._CHROME.flags)) <= set(first), part
    for c, pattern in pages._CHROME_BY_FIRST.items():
        assert c.isascii() and pattern.flags == pages._CHROME.flags


def test_label_first_letters_are_every_character_the_pattern_takes() -> None:
    import re
    import sys

    import tui.pages as pages

    for label, first in ((pages._SOURCE_LABEL, pages._SOURCE_FIRST), (pages._PUBLISHED_LABEL, pages._PUBLISHED_FIRST),
                         (pages._STAFF_BYLINE, pages._STAFF_FIRST)):
        assert _first_chars(label) == {c for c in first if c.isascii()}
        # the non-ASCII ones too ('ſ' matches 's' ignoring case): try every code point
        assert label.flags & re.I
        lead = re.compile("|".join(sorted({re.escape(c) for c in first})), re.I)
        assert {chr(i) for i in range(sys.maxunicode + 1) if lead.match(chr(i))} == set(first), label.pattern


def test_shortcuts_keep_every_chrome_and_label_line() -> None:
    from tui.pages import _Meta, _classify

    for line in ("Advertisement", "share this article", "Share on Facebook", "A A A", "• A+", "3 min read",
                 "(Reporting by Jane Roe; Editing by Bo Li)", "Updated: March 3, 2025", "---", "___", "Comments (4)",
                 "Source: Valley Courier | Published: 2025-03-03", "Published: 2025-03-03", "By the Courier staff",
                 "(VOA)", "ſource: Harbor Gazette", "Posted on: 2024-05-04", "Dateline: 1 May 2024", "email"):
        assert _classify(line, _Meta(), True), line
