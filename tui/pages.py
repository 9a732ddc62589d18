"""Plain-text and Markdown page dumps into headline, metadata, body and captions.

A saved news page is the story wrapped in the site around it: date bars, font
buttons, share prompts, ads, copyright lines, bylines and a block of the
outlet's other headlines. Everything downstream (quotes, entities, duplicate
clustering) must see the story alone, so cleaning is one step with one output,
``Page``. The rules are line-level and generic (no per-site templates):

* chrome lines are recognised by shape ("Advertisement", "A A A", copyright,
  "(Reporting by ...)"), each line on its own before lines are re-joined,
* header lines (date bars, "Source: X | Published: ...", "*By X | Outlet |
  date*", bylines, a masthead) give metadata; a date above the headline is
  the site's "today" and is ignored,
* photo captions ("FILE - ...", "Photo: ...", Markdown images) are kept apart,
* a trailing "Related:" list, a footer after a horizontal rule, italic credit
  lines at the end, or a run of truncated headline/teaser pairs is the
  outlet's, not the story's,
* hard-wrapped lines are re-joined when the next word would have fitted on the
  line had the break been a real paragraph end; sub-heads stay paragraphs.

A leading dateline ("WASHINGTON DC: ", "NEW YORK (AP) -- ") stays in the body:
it is part of the story's first sentence as the outlet printed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.records import Page

# ---------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_TIME_RE = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_DATE_FORMS = [
    re.compile(r"(?P<year>(?:19|20)\d\d)[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?:[T ]\d\d:\d\d\S*)?", re.I),
    # 27/03/2025: day first unless that cannot be (03/27/2025).
    re.compile(r"(?<![\d/])(?P<day>\d{1,2})/(?P<mon>\d{1,2})/(?P<year>(?:19|20)\d\d)" + _TIME_RE, re.I),
    re.compile(_WEEKDAY_RE + _MONTH_RE + r"\s+" + _DAY_RE + r",?\s+" + _YEAR_RE + _TIME_RE, re.I),
    re.compile(_WEEKDAY_RE + _DAY_RE + r"\s+(?:of\s+)?" + _MONTH_RE + r",?\s+" + _YEAR_RE + _TIME_RE, re.I),
]


# _is_date_line's test: a form matched within the first four characters of the line, tried
# at each of them in turn as search() would.  Anchored, a line without a date fails at once
# instead of after a scan from every position; group 1 is the date.
_DATE_LINE_FORMS = [re.compile(r"[\s\S]{0,3}?(" + form.pattern + ")", form.flags) for form in _DATE_FORMS]


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, or None."""
    for form in _DATE_FORMS:
        m = form.search(text)
        if not m:
            continue
        mon = m.group("mon")
        month = int(mon) if mon.isdigit() else _MONTHS[mon.lower().rstrip(".")]
        day, year = int(m.group("day")), int(m.group("year"))
        if month > 12 >= day and "/" in m.group(0):
            day, month = month, day
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _is_date_line(line: str) -> bool:
    """A line that is only a date (with weekday/time decoration): page chrome."""
    # Every form holds a year, 19xx or 20xx: most short lines hold neither.
    if len(line) > 60 or ("19" not in line and "20" not in line):
        return False
    for form in _DATE_LINE_FORMS:
        m = form.match(line)
        if m and len(line) - (m.end(1) - m.start(1)) <= 6:
            return True
    return False


# ---------------------------------------------------------------- line classes

# Chrome lines by shape, one alternative each, with the ASCII characters it can start with
# (letters in either case; tests/test_pages.py checks each set against its pattern).
_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_DIGITS = "0123456789"
_CHROME_PARTS: tuple[tuple[str, str], ...] = (
    (r"time\ taken\ to\ read\b.*", "Tt"),
    (r"(?:\d+\s*)?min(?:ute)?s?\ read", _DIGITS + "Mm"),
    (r"(?:[•·*+\-]?\s*a[+-]?\s*){2,4}", "*+-Aa" + _WS),  # font-size buttons: A A A / A- A A+
    (r"[•·*+\-]\s*a[+-]?", "*+-"),  # one button per line
    (r"share(?:\ this)?(?:\ (?:article|story|page|post))?:?", "Ss"),
    (r"share\ (?:on|via)\ \w+.*", "Ss"),
    (r"(?:facebook|twitter|whatsapp|linkedin|email|print|tweet|pinterest|reddit)", "EeFfLlPpRrTtWw"),
    (r"advertisements?", "Aa"),
    (r"advert", "Aa"),
    (r"sponsored(?:\ content)?", "Ss"),
    (r"ad", "Aa"),
    (r"story\ continues\ below.*", "Ss"),
    (r"(?:skip|jump)\ to\ (?:content|main).*", "JjSs"),
    (r"comments?\s*\(\d+\)", "Cc"),
    (r"\d+\ comments?", _DIGITS),
    (r"(?:leave|post|add)\ a\ comment.*", "AaLlPp"),
    (r"(?:subscribe|sign\ up)\ (?:to|for)\ .{0,60}(?:newsletter|briefing|alerts?|digest|updates).*", "Ss"),
    (r"comments\ (?:are|have\ been)\ (?:closed|disabled).*", "Cc"),
    (r"\((?:additional\ )?(?:reporting|writing|editing|compiled|produced)\ by\b.*\)", "("),
    (r"(?:last\ )?updated(?:\ on|\ at)?\s*:?\s*[\w,./: ]{0,40}\d[\w,./: ]{0,30}", "LlUu"),
    (r"publish(?:ed)?(?:\ date|\ on)?\s*:.*", "Pp"),
    (r"-{3,}", "-"),
    (r"\*{3,}", "*"),
    (r"_{3,}", "_"),
)


def _chrome_pattern(parts: list[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(parts) + ")$", re.I | re.X)


_CHROME = _chrome_pattern([p for p, _ in _CHROME_PARTS])
# The same test for a line starting with a given ASCII character: only the alternatives
# that can start with it. _CHROME tries its two dozen alternatives ignoring case, a
# costly failure on every line of body text; this tries two or three, or none.
_CHROME_BY_FIRST: dict[str, re.Pattern[str]] = {
    c: _chrome_pattern([p for p, first in _CHROME_PARTS if c in first])
    for c in sorted({c for _, first in _CHROME_PARTS for c in first})
}
_SOURCE_LABEL = re.compile(r"^source\s*:\s*(?P<src>[^|]+?)\s*(?:\|\s*(?P<rest>.*))?$", re.I)
_PUBLISHED_LABEL = re.compile(r"^(?:publish(?:ed)?(?:\s+date|\s+on)?|date(?:line)?|posted(?:\s+on)?)\s*:\s*(?P<d>.+)$", re.I)
_STAFF_BYLINE = re.compile(r"^by\s+(?:the\s+)?(?P<src>[^,]+?)\s+(?:staff|newsroom|desk|team|wire)$", re.I)
# Every character the first letter of those three labels matches ignoring case ('ſ' is a
# long s), checked against every code point in tests/test_pages.py.
_SOURCE_FIRST = "Ssſ"
_PUBLISHED_FIRST = "DPdp"
_STAFF_FIRST = "Bb"
_OUTLET = re.compile(r"^(?:The\s+)?[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4}$")
_DATELINE_AGENCY = re.compile(r"^[A-Z][A-Za-z .,'-]{1,60}?\((?P<src>[A-Za-z][\w .&'-]{0,40})\)\s*(?:--|[-–—:])\s")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_BYLINE = re.compile(r"^(?:by|written by|reporting by)\s+\S.{0,80}$", re.I)
_CREDIT = re.compile(r"^\((?P<src>[A-Za-z][\w&'-]*(?: [\w&'-]+){0,3})\)$")
_RELATED = re.compile(
    r"^(?:related(?:\ (?:stories|articles|news|coverage|content))?|read\ (?:more|also|next)|more\ (?:from|on|stories|news)\b.*"
    r"|also\ read|you\ may\ also\ like|recommended(?:\ for\ you)?|trending(?:\ now)?|latest\ news|top\ stories"
    r"|most\ (?:read|popular))\s*:?$",
    re.I | re.X,
)
_CAPTION = re.compile(
    r"^(?:FILE\s*[-–—]+\s|FILE PHOTO\s*[-–—:]"
    r"|(?i:photo|image|picture|caption|pictured|above|top)\s*(?:\([^)]*\))?\s*:\s)",
)
_PHOTO_CREDIT = re.compile(r"\((?:AP|Reuters|AFP|Getty)?\s*(?:Photo|Images?)\b[^)]*\)\s*$", re.I)
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?:[^()\s]|\([^)]*\))*\)")
_MD_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_ITEM = re.compile(r"^(?:[-*•+]|\d{1,2}[.)])\s+")
_END_PUNCT = tuple(".!?\"'”’)]:…;")
_WORD = re.compile(r"\w+")


def _plain(line: str) -> str:
    """A line with Markdown decoration removed, for classification and output."""
    line = line.strip()
    if line.startswith("#"):
        line = _MD_HEADING.sub("", line)
    if line.startswith(">"):
        line = line.lstrip("> ").strip()
    if "](" in line:
        line = _MD_LINK.sub(r"\g<text>", line)
    if "**" in line or "__" in line:
        # Bold labels ("**Published**: x") and bold wrappers.
        line = _MD_BOLD.sub(r"\2", line)
    if len(line) > 2 and line[0] in "*_" and line[-1] == line[0]:
        line = line[1:-1].strip()
    return line.replace("\u00a0", " ").strip()


@dataclass(slots=True)
class _Meta:
    """Metadata found while walking the page; first writer wins per field."""

    title: str | None = None
    source: str | None = None
    published: str | None = None
    label_date: str | None = None  # "Published: ..." beats a bare date line
    credit: str | None = None  # "(VOA)"-style credit line: weaker than a label


def _split_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks of stripped lines."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    # no-break spaces replaced in one pass over the text, not once per line
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n"):
        line = raw.strip()
        if line:
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _unwrap(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines of one block into paragraphs.

    A break is soft when the next line's first word would not have fitted on
    the line within the block's wrap width; otherwise the line really ended
    there (a one-paragraph-per-line dump, a list, a short last line).
    """
    if len(lines) == 1:
        return lines
    width = max(len(ln) for ln in lines)
    wrapped = width <= 100
    paras: list[str] = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        first = line.split(" ", 1)[0]
        soft = (
            wrapped
            and not _is_list_item(line)
            and len(prev) + 1 + len(first) > width - 2
        )
        if soft:
            paras[-1] = paras[-1] + " " + line
        else:
            paras.append(line)
    return paras


def _is_list_item(line: str) -> bool:
    """Does the line start with a bullet or an item number ('- ', '3. ')?"""
    first = line[:1]
    # the pattern starts with one of these or a decimal digit (\d); checked before calling it
    return (first in "-*•+" or first.isdecimal()) and _LIST_ITEM.match(line) is not None


def _ends_sentence(p: str) -> bool:
    return p.rstrip().endswith(_END_PUNCT)


def _trailing_sidebar(paras: list[str]) -> int:
    """Index where the outlet's trailing block of other headlines starts.

    The block is a run of headline + truncated teaser pairs: no paragraph of it
    ends a sentence, and at least one is a teaser of several words. A single
    unpunctuated last paragraph is left alone (a story can end that way).
    """
    i = len(paras)
    while i > 0 and not _ends_sentence(paras[i - 1]):
        i -= 1
    run = paras[i:]
    if len(run) >= 2 and any(len(_WORD.findall(p)) >= 6 for p in run):
        return i
    return len(paras)


def parse_page(text: str, *, name: str | None = None) -> Page:
    """Separate a saved page into title, source, date, body and captions."""
    meta = _Meta()
    paras: list[str] = []
    emphasised: list[bool] = []  # parallel to paras: the whole paragraph was in *italics*
    captions: list[str] = []
    in_header = True  # before the first real body paragraph
    tail_at: int | None = None  # a "Related:" heading or a rule: the page's footer may follow
    plains: dict[str, str] = {}  # _plain of each short line: a one-line paragraph needs it again
    for block in _split_blocks(text):
        lines: list[str] = []
        for raw in block:
            if "](" in raw and "![" not in raw:
                raw = _MD_LINK.sub(r"\g<text>", raw)  # wrap width is that of the visible text
            if "![" in raw:
                for m in _MD_IMAGE.finditer(raw):
                    if m.group("alt").strip():
                        captions.append(m.group("alt").strip())
                raw = _MD_IMAGE.sub("", raw).strip()
            if not raw:
                continue
            # A line that is chrome or metadata by itself never joins its neighbours.
            if len(raw) < 160:
                plain = plains[raw] = _plain(raw)
                if plain[:1] in "-*_" and _RULE.match(plain):  # a rule is made of one of these
                    tail_at = len(paras) if tail_at is None and paras else tail_at
                    continue
                if _classify(plain, meta, in_header) or (in_header and _header_chrome(plain, meta, len(block))):
                    continue
            lines.append(raw)
        if not lines:
            continue
        if meta.title is None and len(lines) > 1 and all(len(ln) < 160 for ln in lines) and in_header:
            # A headline with its deck on the next line ("Title; \nSubtitle").
            words = sum(len(_WORD.findall(c)) for c in lines)
            if len(lines) <= 3 and words <= 25 and not any(_ends_sentence(c) and len(c) > 120 for c in lines):
                meta.title = " ".join(_plain(c).rstrip() for c in lines)
                continue
        is_heading_block = len(lines) == 1 and bool(_MD_HEADING.match(lines[0]))
        single = set(lines)  # lines shorter than 160 were classified above already
        for para in _unwrap(lines) if not is_heading_block else lines:
            heading = bool(_MD_HEADING.match(para))
            known = plains.get(para)
            plain = _plain(para) if known is None else known
            if not plain or ((para not in single or len(para) >= 160) and _classify(plain, meta, in_header)):
                continue
            if _CAPTION.match(plain) or (_PHOTO_CREDIT.search(plain) and len(plain) < 400):
                captions.append(plain)
                continue
            if meta.title is None and in_header and (heading or len(plain) < 200):
                meta.title = plain
                continue
            if _RELATED.match(plain) and paras:
                tail_at = len(paras) if tail_at is None else tail_at
                continue
            if in_header and (_BYLINE.match(plain) and len(_WORD.findall(plain)) <= 8):
                continue
            paras.append(plain)
            emphasised.append(len(para) > 2 and para[0] in "*_" and para.rstrip()[-1] == para[0])
            if len(plain) > 80 and not heading:
                in_header = False
    if tail_at is not None and all(len(p) < 300 for p in paras[tail_at:][:12]):
        del paras[tail_at:], emphasised[tail_at:]
    end = _trailing_sidebar(paras)
    # Trailing italic one-liners are the outlet's credits ("*Distributed by ...*").
    while end and emphasised[end - 1] and len(paras[end - 1]) < 250:
        end -= 1
    # A "(VOA)"-style credit or a masthead is a source only when nothing labelled
    # one; the agency in a dateline ("HARBOUR CITY (Northwind Wire) - ") last.
    source = meta.source or meta.credit
    if source is None and paras:
        agency = _DATELINE_AGENCY.match(paras[0])
        source = agency.group("src").strip() if agency else None
    published = meta.label_date or meta.published
    return Page(
        title=meta.title,
        body="\n\n".join(paras[:end]),
        source=source,
        published=published,
        captions=captions,
    )


def _header_chrome(line: str, meta: _Meta, block_lines: int) -> bool:
    """Above the headline: the masthead ("EASTGATE HERALD") and, next to it, a
    section label ("Health"). A short line alone stays a headline candidate."""
    if meta.title is not None or block_lines < 2:
        return False
    words = _WORD.findall(line)
    if len(words) <= 4 and line.isupper() and not any(ch in line for ch in ".:!?"):
        meta.credit = meta.credit or line.title()
        return True
    return len(words) <= 2 and not _ends_sentence(line)


def _is_chrome(line: str, first: str) -> bool:
    """Does _CHROME match the line (whose first character, "" if empty, is ``first``)?"""
    if first and first.isascii():
        pattern = _CHROME_BY_FIRST.get(first)
        return pattern is not None and pattern.match(line) is not None
    return _CHROME.match(line) is not None


def _is_copyright(line: str) -> bool:
    low = line.lower()
    return low.startswith(("copyright", "©", "(c) ")) or "rights reserved" in low


def _classify(line: str, meta: _Meta, in_header: bool) -> bool:
    """Record metadata from a chrome line; True if the line is not body text."""
    if " | " in line and len(line) < 160:
        # "Published: ... | Source: ... | By ...": metadata only if every part is.
        parts = [p.strip() for p in line.split(" | ")]
        probe = _Meta(title=meta.title)
        unknown = [p for p in parts if not (_classify(p, probe, in_header) or _BYLINE.match(p))]
        if len(unknown) == 1 and len(unknown) < len(parts) and _OUTLET.match(unknown[0]):
            probe.source = probe.source or unknown[0]  # "By X | Valley Courier | 2025-03-03"
            unknown = []
        if not unknown:
            meta.source = meta.source or probe.source
            meta.label_date = meta.label_date or probe.label_date
            meta.published = meta.published or probe.published
            meta.credit = meta.credit or probe.credit
            return True
    # Most lines are body text that no pattern below matches. The labels start with one
    # letter (any case) or a parenthesis and are short: those tests go first, as a string
    # test costs a fraction of a regex call. An empty first character ("") passes them.
    first = line[:1]
    short = len(line) < 120
    m = _SOURCE_LABEL.match(line) if short and first in _SOURCE_FIRST else None
    if m:
        meta.source = meta.source or m.group("src").strip()
        rest = m.group("rest") or ""
        d = parse_date(rest)
        if d:
            meta.label_date = meta.label_date or d
        return True
    m = _PUBLISHED_LABEL.match(line) if short and first in _PUBLISHED_FIRST else None
    if m:
        d = parse_date(m.group("d"))
        if d:
            meta.label_date = meta.label_date or d
            return True
    if _is_chrome(line, first) or (len(line) < 300 and _is_copyright(line)):
        return True
    m = _STAFF_BYLINE.match(line) if len(line) < 80 and first in _STAFF_FIRST else None
    if m:
        meta.source = meta.source or m.group("src").strip()
        return True
    m = _CREDIT.match(line) if len(line) < 45 and first == "(" else None
    if m:
        meta.credit = meta.credit or m.group("src").strip()
        return True
    if _is_date_line(line):
        # Dates above the headline are the site's "today", not the story's.
        if meta.title is not None:
            meta.published = meta.published or parse_date(line)
        return True
    return False
