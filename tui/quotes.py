"""Direct quotations in news text and who said them, without any model.

News prose marks direct speech with quotation marks and names the speaker in a
handful of fixed shapes ("X," said Y / Y said: "X" / Y called for "X"), so a
careful pass over the marks plus the attribution rules in ``tui.speakers`` is
fast (a few milliseconds per article) and accurate enough for a reader.

This module finds the quoted spans: it decides for every mark whether it opens,
closes or is an apostrophe, pairs marks per paragraph, carries a quotation
across paragraphs (the opening mark repeated, the closing one only at the end),
survives unbalanced marks, and drops quoted stretches that are not speech
(titles of works, nicknames, markup attributes, short scare quotes with nobody
saying them).  Offsets always index the text it was given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.records import Entity, Quote
from tui.speakers import Attribution, SpeakerResolver, bisect_ints

MAX_QUOTES = 500
# Lines longer than this (a whole article on one line) are paired in pieces of
# about PIECE characters cut at sentence ends; a piece with more marks than
# MAX_MARKS_PER_PARAGRAPH is quote-mark soup, not prose, and is skipped.
MAX_PARAGRAPH = 8_000
PIECE = 4_000
MAX_MARKS_PER_PARAGRAPH = 400
# Candidate spans examined per text: enough for MAX_QUOTES after filtering,
# and a bound on the work a 50 MB input can cause.
MAX_SPANS = 4 * MAX_QUOTES

# Every character that can be (part of) a quotation mark; one plain class scans fastest
# with a regex, but str.find per character is several times faster still.
_MARK_CHARS = "\"“”„«»‘‚‹›`'’"
_MARK_CHAR = re.compile("[" + re.escape(_MARK_CHARS) + "]")
# Texts up to this long have every mark listed up front; longer ones are scanned line by
# line so that a huge input stops costing once MAX_SPANS spans are found.
_LIST_MARKS_UP_TO = 200_000
_DOUBLE_OPEN = frozenset("“„«")
_DOUBLE_CLOSE = frozenset("”»")
_SINGLE_OPEN = frozenset("‘‚‹")
_DOUBLE_GLYPHS = frozenset(("''", "``", '"')) | _DOUBLE_OPEN | _DOUBLE_CLOSE
# Characters after which a mark may open a quotation.
_OPEN_BEFORE = frozenset("([{—–-/:;,") | _DOUBLE_OPEN | _SINGLE_OPEN | frozenset("\"'`")
_APOSTROPHE_WORD = re.compile(r"['’](?:\d0s|n['’]|em\b|til\b|cause\b|tis\b|twas\b)", re.IGNORECASE)
_WORD = re.compile(r"\w")
_NONSPACE = re.compile(r"\S")
_CAPTION = re.compile(
    r"^\s*(?:FILE(?: PHOTO)?\s*[-–—:]|PHOTO:|IMAGE:)|\((?:AP|Reuters|AFP|Getty)[^()]{0,40}(?:Photo|Images)"
    r"|\b(?:AP|AFP|Reuters) Photo/|Getty Images\s*$",
    re.MULTILINE,
)
# Every branch of _CAPTION needs one of these; a text without any (nearly all) skips the
# per-paragraph search, which tries its alternatives at every character.
_CAPTION_HINTS = ("FILE", "PHOTO:", "IMAGE:", "Photo", "Images")
_EDGE = " \t\r\n\u00a0\"'“”‘’«»„‹›`"


class _Mark:
    """A quotation mark and the way it faces; never changed once made.

    A plain slotted class rather than a NamedTuple: compiled, a NamedTuple is built by a
    call into its Python-level __new__ (a few thousand instructions per mark), this natively.
    """

    __slots__ = ("pos", "length", "family", "direction", "glyph")

    def __init__(self, pos: int, length: int, family: str, direction: str, glyph: str) -> None:
        self.pos = pos
        self.length = length
        self.family = family  # "D" double, "S" single
        self.direction = direction  # "open", "close" or "either"
        self.glyph = glyph


class Span:
    """A quoted stretch of one paragraph, marks excluded.

    A plain slotted class rather than a dataclass, whose __init__ would run interpreted
    in the compiled module (see speakers.Attribution).
    """

    __slots__ = ("start", "end", "open_pos", "close_end", "opened", "closed", "single")

    def __init__(self, start: int, end: int, open_pos: int, close_end: int, opened: bool, closed: bool,
                 single: bool) -> None:
        self.start = start
        self.end = end
        self.open_pos = open_pos  # index of the opening mark, or the paragraph start when opened earlier
        self.close_end = close_end  # index after the closing mark, or the paragraph end when left open
        self.opened = opened
        self.closed = closed
        self.single = single

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {self.open_pos}, {self.close_end})"


def _classify(text: str, i: int, glyph: str) -> _Mark | None:
    """Which way the mark at text[i] faces, from its glyph and its neighbours; None for an apostrophe."""
    length = len(glyph)
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + length] if i + length < len(text) else " "
    space_before = prev.isspace()
    space_after = nxt.isspace()
    if glyph in _DOUBLE_GLYPHS:
        # the glyph alone decides most curly marks: test it before the neighbours
        if glyph == "``":
            return _Mark(i, length, "D", "open", glyph)
        if glyph in _DOUBLE_CLOSE and not space_before:
            return _Mark(i, length, "D", "close", glyph)  # 'paranoia,”Clinton said': trust the glyph
        if glyph in _DOUBLE_OPEN and not space_after:
            return _Mark(i, length, "D", "open", glyph)
        can_open = (space_before or prev in _OPEN_BEFORE) and not space_after
        can_close = not space_before and (space_after or not nxt.isalnum())
        if can_open and not can_close:
            return _Mark(i, length, "D", "open", glyph)
        if can_close and not can_open:
            return _Mark(i, length, "D", "close", glyph)
        # no help from the context: curly glyphs say which way they face
        if glyph in _DOUBLE_OPEN:
            return _Mark(i, length, "D", "open", glyph)
        if glyph in _DOUBLE_CLOSE:
            return _Mark(i, length, "D", "close", glyph)
        return _Mark(i, length, "D", "either", glyph)
    # single marks: most are apostrophes
    if prev.isalnum() and nxt.isalnum():
        return None  # don't, Russia's
    if _APOSTROPHE_WORD.match(text, i):
        return None  # '90s, rock 'n' roll, 'em
    can_open = (space_before or prev in _OPEN_BEFORE) and not space_after
    can_close = not space_before and (space_after or not nxt.isalnum())
    if glyph in _SINGLE_OPEN or (glyph == "'" and can_open and not can_close):
        return _Mark(i, length, "S", "open", glyph) if can_open else None
    if can_close and not can_open:
        return _Mark(i, length, "S", "close", glyph)
    return None


def _mark_offsets(text: str) -> list[int] | None:
    """Offsets of every mark character in ``text``, in order; None for a text too long to list."""
    if len(text) > _LIST_MARKS_UP_TO:
        return None
    out: list[int] = []
    for c in _MARK_CHARS:
        i = text.find(c)
        while i >= 0:
            out.append(i)
            i = text.find(c, i + 1)
    out.sort()
    return out


def _marks_between(text: str, offsets: list[int] | None, lo: int, hi: int) -> list[int]:
    """Offsets of the mark characters in text[lo:hi], from the list when there is one."""
    if offsets is None:
        return [m.start() for m in _MARK_CHAR.finditer(text, lo, hi)]
    return offsets[bisect_ints(offsets, lo):bisect_ints(offsets, hi)]


def _next_mark(text: str, offsets: list[int] | None, lo: int) -> int:
    """Offset of the first mark character at or after ``lo``; -1 when there is none."""
    if offsets is None:
        m = _MARK_CHAR.search(text, lo)
        return -1 if m is None else m.start()
    k = bisect_ints(offsets, lo)
    return offsets[k] if k < len(offsets) else -1


def _marks(text: str, at: list[int], hi: int) -> list[_Mark]:
    """The quotation marks among the mark characters at offsets ``at`` of a paragraph ending at ``hi``."""
    out: list[_Mark] = []
    skip = -1
    for i in at:
        if i <= skip:
            continue
        c = text[i]
        if c == '"':
            glyph = c  # the commonest mark, and none of the tests below applies to it
        elif c in "'`" and i + 1 < hi and text[i + 1] == c:
            glyph = c + c  # NYT-style ``...'' and ''...''
            skip = i + 1
        elif c == "`":
            continue
        elif c in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            continue  # don't, Russia's
        else:
            glyph = c
        mk = _classify(text, i, glyph)
        if mk is not None:
            out.append(mk)
            if len(out) > MAX_MARKS_PER_PARAGRAPH:
                return []
    return out


def _pair(text: str, lo: int, hi: int, carried: bool, at: list[int]) -> tuple[list[Span], bool]:
    """Quoted spans of the paragraph text[lo:hi] and whether a quotation stays open.

    ``carried``: the previous paragraph left a quotation open, so a paragraph
    that does not start with an opening mark still begins inside it only if the
    first mark closes.  ``at``: the offsets of the mark characters in text[lo:hi].
    """
    marks = _marks(text, at, hi)
    spans: list[Span] = []
    depth = 0
    outer: _Mark | None = None
    single_open: _Mark | None = None
    for k, mk in enumerate(marks):
        if mk.family == "S":
            if depth:
                continue  # a quotation inside a quotation belongs to the outer one
            if mk.direction == "open":
                single_open = mk
            elif single_open is not None and text[mk.pos - 1] in "sS" and _single_closes_later(marks, k):
                continue  # 'the voters’ choice': a plural possessive inside a single-quoted quote
            elif single_open is not None:
                a = single_open.pos + single_open.length
                if mk.pos > a:
                    spans.append(Span(a, mk.pos, single_open.pos, mk.pos + mk.length, True, True, True))
                single_open = None
            continue
        if depth == 0:
            single_open = None
            if mk.direction in ("open", "either"):
                depth, outer = 1, mk
            elif not spans and carried and not text[lo:mk.pos].lstrip().startswith(("“", '"')):
                # closes a quotation opened in an earlier paragraph
                spans.append(Span(lo, mk.pos, lo, mk.pos + mk.length, False, True, False))
            continue
        assert outer is not None
        nested_open = mk.direction == "open" and (mk.glyph != outer.glyph or mk.glyph in _DOUBLE_OPEN)
        if nested_open and _closes_later(marks, k):
            depth += 1
            continue
        if mk.direction == "open" and depth == 1:
            # an opening mark where a close was due: the close was left out; but a
            # straight mark followed by curly ones is a stray block-quote marker
            if _straight(outer.glyph) == _straight(mk.glyph):
                spans.append(Span(outer.pos + outer.length, mk.pos, outer.pos, mk.pos, True, False, False))
            outer = mk
            continue
        depth -= 1
        if depth == 0:
            a = outer.pos + outer.length
            spans.append(Span(a, mk.pos, outer.pos, mk.pos + mk.length, True, True, False))
            outer = None
    still_open = depth > 0 and outer is not None
    if still_open and outer is not None:
        spans.append(Span(outer.pos + outer.length, hi, outer.pos, hi, True, False, False))
    return spans, still_open


def _single_closes_later(marks: list[_Mark], k: int) -> bool:
    """Another single closing mark follows before any single opening one."""
    for mk in marks[k + 1:]:
        if mk.family == "S":
            return mk.direction == "close"
    return False


def _straight(glyph: str) -> bool:
    return glyph in ('"', "''")


def _closes_later(marks: list[_Mark], k: int) -> bool:
    """A nested opening mark counts only when two more double closes follow it."""
    closes = 0
    for mk in marks[k + 1:]:
        if mk.family == "D" and mk.direction in ("close", "either"):
            closes += 1
            if closes >= 2:
                return True
    return False


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return s, e


def _pieces(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """A paragraph, or an over-long line cut at sentence ends into prose-sized pieces."""
    if hi - lo <= MAX_PARAGRAPH:
        return [(lo, hi)]
    out = []
    while hi - lo > MAX_PARAGRAPH:
        cut = text.rfind(". ", lo, lo + PIECE)
        cut = lo + PIECE if cut <= lo else cut + 2
        out.append((lo, cut))
        lo = cut
    out.append((lo, hi))
    return out


def find_spans(text: str, max_spans: int = MAX_SPANS) -> list[tuple[Span, int, int]]:
    """Quoted spans with the bounds of the paragraph (or piece) holding them, in text order."""
    out: list[tuple[Span, int, int]] = []
    carried = False
    n = len(text)
    lo = 0
    offsets = _mark_offsets(text)
    while lo <= n and len(out) < max_spans:
        first = _next_mark(text, offsets, lo)
        if first < 0:
            break
        # jump to the line of the next mark; lines without marks pair nothing, and a
        # line of prose among them ends any quotation left open
        k = text.rfind("\n", lo, first)
        if k >= 0:
            if _NONSPACE.search(text, lo, k):
                carried = False
            lo = k + 1
        hi = text.find("\n", first)  # text[lo:first] holds no line break
        if hi < 0:
            hi = n
        if hi - lo <= MAX_PARAGRAPH:
            spans, carried = _pair(text, lo, hi, carried, _marks_between(text, offsets, first, hi))
            out.extend([(sp, lo, hi) for sp in spans])
        else:
            for plo, phi in _pieces(text, lo, hi):
                spans, carried = _pair(text, plo, phi, False, _marks_between(text, offsets, plo, phi))
                out.extend([(sp, plo, phi) for sp in spans])
        lo = hi + 1
    return out[:max_spans]


def extract_quotes(text: str, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Return the direct quotations in ``text`` with offsets into it."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _extract(text, entities)
    except Exception:  # noqa: BLE001 - quotes are best effort; a bad heuristic must not stop an import
        return []


def _extract(text: str, entities: Sequence[Entity] | None) -> list[Quote]:
    found = find_spans(text)
    # the speaker rules never look further than a few paragraphs past the last quote
    limit = min(len(text), found[-1][0].close_end + 3000) if found else 0
    resolver = SpeakerResolver(text, entities, [(sp.open_pos, sp.close_end) for sp, _, _ in found], limit)
    quotes: list[Quote] = []
    captions: dict[int, bool] = {}
    may_caption = any(h in text for h in _CAPTION_HINTS)
    for idx, (sp, plo, phi) in enumerate(found):
        s, e = _trimmed(text, sp.start, sp.end)
        if s >= e or not _WORD.search(text, s, e):
            continue
        if sp.opened and sp.open_pos > 0 and text[sp.open_pos - 1] == "=":
            continue  # a markup attribute value, tweet embeds and the like
        if plo not in captions:
            captions[plo] = may_caption and _CAPTION.search(text, plo, phi) is not None
        if captions[plo]:
            continue  # a photo caption describes a picture; words on a sign in it are not speech
        attr = resolver.attribute(idx)
        if not _keep(text, sp, s, e, plo, phi, attr):
            resolver.forget(idx)
            continue
        quotes.append(Quote(text[s:e], s, e, attr.name, attr.start, attr.end))
        if len(quotes) >= MAX_QUOTES:
            break
    return quotes


_TITLE_BEFORE = re.compile(
    r"(?:['’]s?|\b(?:on|titled|entitled|called|named|dubbed|nicknamed|nickname|known as|known as the|film|book|"
    r"show|program|programme|podcast|memoir|series|song|anthem|album|article|column|commentary|op-ed|slogan|"
    r"episode|headline|movie|novel|documentary|hashtag|so-called|so called|magazine|newsletter|essay|report|"
    r"speech|hit|sitcom|broadcast of|the|a|an|his|her|their|its|our|my|of|in|and|with|from|for|like|"
    r"wearing|read|reads|reading)|\b\d{4})[,:]?\s*$",
    re.IGNORECASE,
)
_TERM_BEFORE = re.compile(
    r"\b(?:so-called|so called|known as(?: the| a)?|dubbed(?: it)?|nicknamed|the (?:phrase|term|word|slogan|label|hashtag))"
    r"[,:]?\s*$",
    re.IGNORECASE,
)
_NICKNAME = re.compile(r"[A-Z][\w.]*\s*$")
_SMALL_WORDS = frozenset("a an the of and or in on to for at by with from is as".split())
_LEAD_END = re.compile(r"[.!?][\"”'’]?\s+(?=\S|$)")


def _title_case(words: list[str]) -> bool:
    """At most 8 words, every one but the small ones capitalised: 'Meet the Press'."""
    if not words or len(words) > 8:
        return False
    big = False  # a word with a letter that is not a small word
    for w in words:
        # w[0].isalpha() answers the letter test for nearly every word without a loop
        if (w[0].isalpha() or any(c.isalpha() for c in w)) and w.lower() not in _SMALL_WORDS:
            if not w[0].isupper():
                return False
            big = True
    return big


def _title_like(words: list[str], before: str) -> bool:
    """'Meet the Press', 'Good Morning America' after "on ABC's": a name of a work, not speech.

    ``words``: the quoted text split on white space.
    """
    return _title_case(words) and _TITLE_BEFORE.search(before[-40:]) is not None


def _mid_sentence(before: str) -> bool:
    """Does a quotation opening after ``before`` stand inside a sentence (not after ', ' or ': ')?

    Only two rules ask, for few quotes; so it is a function, not a value _keep computes.
    """
    cut = None
    for cut in _LEAD_END.finditer(before):
        pass
    lead = before[cut.end():] if cut else before
    return bool(lead.strip()) and not lead.rstrip().endswith((",", ":", "—", "--", "–", "-", "―"))


def _keep(text: str, sp: Span, s: int, e: int, plo: int, phi: int, attr: Attribution) -> bool:
    """Is this quoted stretch somebody's words rather than a title or scare quote?"""
    words = text[s:e].split()
    before = text[max(plo, sp.open_pos - 300):sp.open_pos]
    if _title_like(words, before):
        return False
    if len(words) <= 2 and text[e - 1] == ":":
        return False  # '"Related:"' - a label, not speech
    if len(words) <= 5 and _TERM_BEFORE.search(before[-40:]):
        return False  # 'what has become known as the "Buffett rule"': a name for something
    after = text[sp.close_end:sp.close_end + 3]
    if len(words) <= 2 and _NICKNAME.search(before) and after[:1] == " " and after[1:2].isupper():
        return False  # Marcia "Cia" Price
    if sp.single and not text[plo:sp.open_pos].strip() and not text[sp.close_end:phi].strip(" .\t"):
        return False  # a sub-heading set in single quotes
    if sp.single and _mid_sentence(before) and _title_case(words):
        return False  # "Brooks: Rubio Did Well In 'More Rubio-Style Debate'": a headline's catchphrase
    if attr.name is not None or attr.start is not None:
        if len(words) <= 4 and attr.rule not in ("verb", "colon") and _mid_sentence(before):
            return False
        return True
    if sp.single:
        return len(words) >= 3 and (s - plo < 200)
    if len(words) >= 6:
        return True
    # a whole paragraph in quotation marks is speech even with nobody named
    return text[plo:sp.open_pos].strip() == "" and len(words) >= 3
