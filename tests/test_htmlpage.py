"""Web pages and feed fragments into plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.htmlpage import fragment_to_paragraphs, fragment_to_text, parse_html

ARTICLE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Dam opens after ten years | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta property="article:published_time" content="2026-03-14T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Dam opens after ten years</h1>
<p>The new dam on the river opened on Saturday after a decade of construction, officials said.</p>
<figure><img src="dam.jpg"><figcaption>The dam at dawn on opening day.</figcaption></figure>
<p>“This changes the valley for a generation,” said the mayor, Ana Ruiz, at the ceremony attended by
several thousand residents who had waited for years.</p>
<p>Engineers said the reservoir would take two winters to fill, and that the turbines would start
producing electricity next spring once the water level reached the intake.</p>
<p>Critics of the project, including farmers downstream, said they were still worried about the flow
of water in dry summers and asked the regional government for guarantees.</p>
</article>
<footer>Copyright Valley Herald. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_article_body_title_date_and_site() -> None:
    page = parse_html(ARTICLE, "https://herald.example/news/dam")
    paras = page.body.split("\n\n")
    assert paras[0].startswith("The new dam on the river opened")
    assert any(p.startswith("Critics of the project") for p in paras)
    assert "Subscribe to our newsletter" not in page.body
    assert "Sport" not in page.body
    assert page.title is not None and "Dam opens after ten years" in page.title
    assert page.published == "2026-03-14"
    assert page.source == "Valley Herald"
    assert page.url == "https://herald.example/news/dam"


def test_captions_are_kept_apart_from_the_body() -> None:
    sidebar = '<aside><figure><img src="o.jpg"><figcaption>Another story entirely.</figcaption></figure></aside>'
    page = parse_html(ARTICLE.replace("<footer>", sidebar + "<footer>"), None)
    assert page.captions == ["The dam at dawn on opening day."]
    assert "The dam at dawn" not in page.body


def test_bytes_in_a_declared_legacy_charset() -> None:
    html = ARTICLE.replace("utf-8", "windows-1252").replace("Ana Ruiz", "Ana Muñoz").encode("cp1252")
    page = parse_html(html, None)
    assert "Ana Muñoz" in page.body


def test_tiny_page_without_an_article_still_gives_its_text() -> None:
    page = parse_html("<html><head><title>Note</title></head><body><p>Back soon.</p></body></html>", None)
    assert page.title == "Note"
    assert page.body == "Back soon."


@pytest.mark.parametrize("junk", ["", "   ", b"\x00\x01\x02binary", "<<<>>>", b"\xff\xfe\x00"])
def test_junk_does_not_raise(junk: str | bytes) -> None:
    page = parse_html(junk, None)
    assert isinstance(page.body, str)


def test_fragment_paragraphs_breaks_scripts_and_entities() -> None:
    paras, caps = fragment_to_paragraphs(
        "<p>First &amp; best.</p>Loose text<br>after break<script>alert(1)</script>"
        "<ul><li>one</li><li>two</li></ul><figure><figcaption>Cap</figcaption></figure><div>end"
    )
    assert paras == ["First & best.", "Loose text", "after break", "one", "two", "end"]
    assert caps == ["Cap"]


def test_fragment_whitespace_is_folded_and_unbalanced_tags_survive() -> None:
    assert fragment_to_text("<p>a\n   b <b>c</p><p>d</i></p></div>") == "a b c\n\nd"


BENCH = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "article-extraction-benchmark"


@pytest.mark.slow
def test_extraction_quality_on_a_fixed_benchmark_subset() -> None:
    """30 pages of the Zyte benchmark; measured F1 0.957 on them, trafilatura's published
    full-benchmark figure is 0.958. The floor catches a broken extraction path, not noise."""
    if not (BENCH / "ground-truth.json").is_file():
        pytest.skip("shared/datasets/article-extraction-benchmark absent")
    from bench.bench_extraction import evaluate

    result, _ = evaluate(limit=30)
    assert result["pages"] == 30
    assert result["f1"] >= 0.92
    assert result["recall"] >= 0.92
