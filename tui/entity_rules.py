"""Typing one run of capitalised words: the rules the entity extractor reasons with.

A run ("Security Council President Tono Eitel") is split at titles, checked
against the alias table and the gazetteer, organisation and place suffixes,
results-table context on sports pages, and otherwise left for the article-wide
pass in tui/entity_fold.py.  All-caps headlines and datelines are read here too,
against what the body established.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tui.entity_lexicon import (
    ABBREVIATIONS,
    ALIASES,
    CALENDAR,
    COMMON_WORDS,
    CORP_SUFFIXES,
    DEMONYMS,
    EVENT_SUFFIXES,
    NAME_PARTICLES,
    NOT_ENTITY,
    ORG_HEADS,
    ORG_SUFFIXES,
    PLACE_PREFIXES,
    PLACE_SUFFIXES,
    TITLE_MODIFIERS,
    TITLES,
)
from tui.entity_tokens import POSSESSIVE, Tok, tok_after, tok_before
from tui.gazetteer import CITY_TRUSTED_POP, Gazetteer
from tui.records import EntityType

MAX_RUN = 8
# No name runs longer ("London International Financial Futures and Options Exchange" is 7).
MAX_NAME_TOKENS = 14
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}")
_ABBREV_SUFFIX = frozenset({"inc", "corp", "co", "ltd", "bros", "jr", "sr"})
_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")
_ALIAS_FOLD = {k.casefold(): v for k, v in ALIASES.items()}
CONNECT = frozenset({"of", "for", "on"})
_THE_OR_PARTICLE = NAME_PARTICLES | {"the"}
TYPES: dict[str, EntityType] = {"person": "person", "organization": "organization", "place": "place"}


class Span:
    """A typed (or not yet typed) mention candidate before folding.

    A plain slotted class rather than a dataclass: compiled with mypyc, a dataclass's
    generated __init__ runs as interpreted Python (some 3,000 instructions a span, and an
    article makes dozens); this one is native.  Nothing compares spans by value.
    """

    __slots__ = ("start", "end", "text", "type", "canon", "ntok", "caps", "confident", "tokens")

    def __init__(self, start: int, end: int, text: str, type: str | None, canon: str, ntok: int,
                 caps: bool = False, confident: bool = True, tokens: tuple[str, ...] = ()) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.type = type  # None: a lone word decided in the second pass
        self.canon = canon
        self.ntok = ntok
        self.caps = caps
        self.confident = confident
        self.tokens = tokens

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {self.text!r}, {self.type!r}, {self.canon!r})"


@dataclass(slots=True)
class Doc:
    """One article being analysed: its text, what kind of page it is, and the spans found so far."""

    text: str
    gaz: Gazetteer
    sports: bool
    solo_sport: bool = False  # cricket, tennis, golf...: results lines list people
    # The words the article also writes in lower case, each between single spaces (see
    # writes_lower): a handful of look-ups per article, so no set of every word is built.
    lower_text: str = " "
    line_first: dict[int, int] = field(default_factory=dict)  # line -> index of its first token
    dated_lines: frozenset[int] = frozenset()  # lines opening with a date: datelines
    spans: list[Span] = field(default_factory=list)
    # (surface, tokens, strict) -> _known's answer: names recur, and the answer depends on nothing else
    known_memo: dict[tuple[str, int, bool], tuple[str, str, str] | None] = field(default_factory=dict)


# --------------------------------------------------------------------------- lookups
def writes_lower(doc: Doc, low: str) -> bool:
    """Whether the article also writes the word ``low`` in lower case ("human rights")."""
    return " " + low + " " in doc.lower_text


def _place(doc: Doc, s: str, ntok: int, strict: bool) -> tuple[str, str] | None:
    """Canonical name and kind of a place, or None; ``strict`` asks for a well-known one."""
    key = s.casefold()
    p = doc.gaz.place(key)
    if p is None and key.startswith(("st ", "st. ")):
        rest = key.split(" ", 1)[1]
        p = doc.gaz.place("st. " + rest) or doc.gaz.place("saint " + rest)
    if p is None:
        return None
    if p.kind == "city":
        low = s.casefold()
        name_like = low in doc.gaz.first_names or doc.gaz.surname_rank.get(low, 99_999) < 3000 or low in COMMON_WORDS
        need = 0 if ntok > 1 else (1_000_000 if name_like else CITY_TRUSTED_POP)
        if strict:
            need = max(need, 300_000 if ntok > 1 else 500_000)
        if p.population < need:
            return None
    return p.name, p.kind


def _known(doc: Doc, toks: list[Tok], strict: bool = False) -> tuple[str, str, str] | None:
    """(type, canonical, kind) for an alias or gazetteer place spanning ``toks``."""
    s = doc.text[toks[0].start : toks[-1].end]
    key = (s, len(toks), strict)
    try:
        return doc.known_memo[key]
    except KeyError:
        pass
    k = doc.known_memo[key] = _known_surface(doc, s, len(toks), strict)
    return k


def _known_surface(doc: Doc, s: str, ntok: int, strict: bool) -> tuple[str, str, str] | None:
    """_known for the text ``s`` of ``ntok`` tokens (the first token's case is read off ``s``)."""
    if "\n" in s:
        return None
    a = ALIASES.get(s) or (_ALIAS_FOLD.get(s.casefold()) if len(s) > 3 or "." in s else None)
    if a is not None:
        if a[0] == "United States" and s == "US" and strict:
            return None  # the one-token "US" of an all-caps headline
        return a[1], a[0], "alias"
    p = _place(doc, s, ntok, strict)
    if p is not None:
        # The article's own spelling wins over the gazetteer's capitalisation ("Rio de Janeiro").
        name = s if not s.isupper() and not s.islower() else p[0]
        return "place", name, p[1]
    return None


# Pure, and most surfaces recur (within an article and across articles).
@lru_cache(maxsize=8192)
def _clean_name(s: str) -> str:
    """Canonical form of a surface: one space between words, no possessive, no "Corp." period."""
    s = " ".join(s.split())
    if s.endswith(".") and len(s) > 2 and s[-2].islower():
        s = s[:-1]
    return POSSESSIVE.sub("", s) if s.endswith(("'s", "’s")) else s


# --------------------------------------------------------------------------- runs
def find_runs(toks: list[Tok], first_names: frozenset[str] = frozenset()) -> list[list[Tok]]:
    """Maximal runs of capitalised words, with name particles and "X of Y" organisations kept whole."""
    runs: list[list[Tok]] = []
    cur: list[Tok] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if cur and t.seq != cur[-1].seq + 1:
            runs.append(cur)
            cur = []
        if t.cap and (t.low not in CALENDAR or cur and cur[-1].low in first_names and t.seq == cur[-1].seq + 1):
            cur.append(t)
            i += 1
            if t.poss and not (
                i < n and toks[i].seq == t.seq + 1 and toks[i].cap and toks[i].low in ORG_SUFFIXES
            ):
                runs.append(cur)
                cur = []
            continue
        nxt_cap = (
            i + 1 < n
            and toks[i + 1].seq == t.seq + 1
            and (
                toks[i + 1].cap
                or toks[i + 1].low in _THE_OR_PARTICLE
                and i + 2 < n
                and toks[i + 2].cap
                and toks[i + 2].seq == t.seq + 2
            )
        )
        if cur and t.kind == "word" and nxt_cap:
            if t.low in NAME_PARTICLES and len(cur) < MAX_RUN and (
                toks[i + 1].cap or toks[i + 1].low in NAME_PARTICLES and i + 2 < n and toks[i + 2].cap
            ):
                cur.append(t)
                i += 1
                continue
            head = cur[-1].low in ORG_HEADS or cur[-1].low in ORG_SUFFIXES and cur[-1].low not in CORP_SUFFIXES
            if t.low in CONNECT and head or t.low == "and" and any(c.low in CONNECT for c in cur):
                cur.append(t)
                j = i + 1
                if toks[j].low == "the" and j + 1 < n and toks[j + 1].cap:
                    cur.append(toks[j])
                    j += 1
                i = j
                continue
        if (
            t.kind == "punct"
            and t.text == "."
            and i > 0
            and toks[i - 1].seq == t.seq - 1
            and (len(toks[i - 1].text) == 1 or toks[i - 1].text in ABBREVIATIONS)
            and toks[i - 1].cap
            and i + 1 < n
            and toks[i + 1].cap
            and toks[i + 1].start == t.end + 1
        ):
            # "C. Lewis": an initial and its period belong to the name.
            if not cur:
                cur.append(toks[i - 1])
            cur.append(t)
            i += 1
            continue
        joins = i + 1 < n and toks[i + 1].cap and toks[i + 1].seq == t.seq + 1
        if cur and t.kind == "punct" and t.text == "&" and joins:
            cur.append(t)
            i += 1
            continue
        if cur:
            runs.append(cur)
            cur = []
        i += 1
    if cur:
        runs.append(cur)
    out: list[list[Tok]] = []
    for r in runs:
        while r and r[-1].kind == "word" and not r[-1].cap:
            r = r[:-1]
        if len(r) > MAX_NAME_TOKENS:
            continue  # a Title Case sentence, not a name; also keeps the rules linear
        if r:
            # "Banc One Corp.": the abbreviation's period belongs to the name.
            last = r[-1]
            if len(r) >= 2 and last.low in _ABBREV_SUFFIX:
                nxt = toks[last.idx - toks[0].idx + 1] if last.idx - toks[0].idx + 1 < n else None
                if nxt is not None and nxt.text == "." and nxt.start == last.end:
                    r = r + [nxt]
            out.append(r)
    return out


def _emit(doc: Doc, toks: list[Tok], typ: str | None, canon: str | None = None, *, confident: bool = True) -> None:
    s, e = toks[0].start, toks[-1].end
    text = doc.text[s:e]
    doc.spans.append(
        Span(s, e, text, typ, canon or _clean_name(text), len(toks), False, confident, tuple([t.low for t in toks]))
    )


def _is_demonym(doc: Doc, low: str) -> bool:
    """Nationality words, listed or made from a place name: "Zairean", "Texan", "Chechens"."""
    if low in DEMONYMS:
        return True
    w = low[:-1] if low.endswith("s") and len(low) > 4 else low
    if w in DEMONYMS:
        return True
    if not w.endswith("n") or len(w) < 5 or low in doc.gaz.first_names:
        return False
    for c in (w[:-1], w[:-2], w[:-1] + "s", w[:-3] + "a"):
        p = doc.gaz.place(c) if len(c) >= 4 else None
        if c in _ALIAS_FOLD or p is not None and (p.kind != "city" or p.population >= 1_000_000):
            return True
    return False


@lru_cache(maxsize=4096)
def _is_title_low(low: str) -> bool:
    """_is_title for a token's case-folded text (pure, asked many times per word)."""
    low = low.rstrip(".")
    if low in TITLES or low.startswith("ex-") and len(low) > 3:
        return True  # "Ex-Yankee Randy Velarde" too
    # "Major-General", "Lieutenant-Colonel"
    return "-" in low and all(p in TITLES or p in TITLE_MODIFIERS for p in low.split("-"))


def resolve_run(doc: Doc, seq: list[Tok], toks: list[Tok]) -> None:
    """Type one run of capitalised words, splitting it where titles and known names say so."""
    while seq and seq[0].kind == "punct":
        seq = seq[1:]
    while seq and (seq[-1].kind == "punct" or seq[-1].low in ("of", "for", "on", "and", "the")):
        if seq[-1].text == "." and len(seq) >= 2 and seq[-2].low in _ABBREV_SUFFIX and seq[-2].end == seq[-1].start:
            break  # "Norwest Corp.": the period is part of the name
        seq = seq[:-1]
    if not seq:
        return
    if len(seq) == 1 and (seq[0].low in COMMON_WORDS or _is_demonym(doc, seq[0].low)) and seq[0].text not in ALIASES:
        return
    if seq[-1].low in EVENT_SUFFIXES or seq[0].low in NOT_ENTITY:
        return  # "World Cup", "Hong Kong Open": events are not listed
    if len(seq) >= 2 and len(seq[0].text) == 1 and all(len(t.text) == 1 for t in seq):
        return  # table headers ("W D L G"), not initials of anyone
    k = _known(doc, seq)
    if k is not None:
        typ = k[0]
        if doc.sports and typ == "place" and k[2] in ("city", "state"):
            typ = _sports_place_type(doc, seq, toks)
        _emit(doc, seq, typ, k[1])
        return
    if (
        len(seq) >= 3
        and seq[1].text == "."
        and len(seq[0].text) == 1
        and seq[2].cap
        and not _is_demonym(doc, seq[2].low)
        and _known(doc, seq[2:]) is None
    ):
        _emit(doc, seq, "person")  # "I. Healy", "C. Lewis"
        return
    if (
        doc.sports
        and not doc.solo_sport
        and len(seq) >= 2
        and seq[0].low not in doc.gaz.first_names
        and _team_line(seq, toks)
    ):
        _emit(doc, seq, "organization")  # "St Mirren 2 East Fife 1"
        return
    last = (seq[-2] if seq[-1].text == "." and len(seq) >= 2 else seq[-1]).low.replace(".", "")
    amp = "&" in doc.text[seq[0].start : seq[-1].end] and any(t.text == "&" for t in seq)
    if len(seq) >= 2 and (last in ORG_SUFFIXES or amp) and (
        not all(t.low in COMMON_WORDS or t.low in ORG_SUFFIXES for t in seq) or not seq[0].sent_start
    ):
        body = seq
        while len(body) > 2 and (body[0].low == "the" or body[0].sent_start and body[0].low in COMMON_WORDS):
            body = body[1:]
        _emit(doc, body, "organization")
        return
    for i in range(len(seq) - 2):
        if seq[i + 1].low in CONNECT and (seq[i].low in ORG_HEADS or seq[i].low in ORG_SUFFIXES):
            body = seq
            while len(body) > 3 and (body[0].low == "the" or body[0].sent_start and body[0].low in COMMON_WORDS):
                body = body[1:]
            _emit(doc, body, "organization")  # "Bank of Japan", "German Marshall Fund of the United States"
            return
    if len(seq) >= 2 and seq[0].low in PLACE_PREFIXES and seq[1].kind == "word" and not doc.sports:
        _emit(doc, seq, "place", confident=False)  # "Port Averill", "Lake Victoria"
        return
    if len(seq) >= 2 and last in PLACE_SUFFIXES:
        head = seq[:-1]
        kh = _known(doc, head)
        if last in ("province", "region", "state", "county", "district", "prefecture", "oblast"):
            if kh is not None and kh[0] == "place":
                _emit(doc, head, "place", kh[1])  # "Xinjiang Province" is Xinjiang
                return
        if not (head[0].sent_start and head[0].low in COMMON_WORDS):
            _emit(doc, seq, "place")
            return
    first = seq[0]
    if len(seq) >= 2 and _ROMAN.match(seq[-1].text) and first.low in doc.gaz.first_names:
        _emit(doc, seq, "person")  # "Henry VIII", "Elizabeth I"
        return
    if (
        len(seq) == 2
        and first.low in DEMONYMS
        and first.low in doc.gaz.first_names
        and seq[1].kind == "word"
        and not (seq[1].low in COMMON_WORDS or seq[1].low in ORG_SUFFIXES or seq[1].low in DEMONYMS)
    ):
        _emit(doc, seq, "person")  # "Christian Cullen"
        return
    drop = (
        first.low == "the"
        or first.low in CALENDAR
        or first.low in NOT_ENTITY
        or first.low in DEMONYMS
        or (first.low in COMMON_WORDS and not _is_title_low(first.low) and (first.sent_start or len(seq) > 1))
    )
    if drop and not any(_is_title_low(t.low) for t in seq[1:]):
        resolve_run(doc, seq[1:], toks)
        return
    if _split_at_title(doc, seq, toks):
        return
    if drop:
        resolve_run(doc, seq[1:], toks)
        return
    if len(seq) >= 2:
        _resolve_unknown_name(doc, seq, toks)
    else:
        _resolve_lone_word(doc, seq, toks)


def _split_at_title(doc: Doc, seq: list[Tok], toks: list[Tok]) -> bool:
    """Titles: what follows is a person, what comes before is looked at on its own."""
    for i in range(len(seq) - 1, -1, -1):
        trailing = i == len(seq) - 1 and i > 0
        if trailing and (
            seq[i - 1].low in doc.gaz.first_names
            or not (seq[i - 1].low in COMMON_WORDS or seq[i - 1].low in ORG_SUFFIXES or _is_title_low(seq[i - 1].low))
            and seq[i - 1].low not in DEMONYMS
        ):
            continue
        if _is_title_low(seq[i].low):
            j = i
            while j > 0 and (seq[j - 1].low in TITLE_MODIFIERS or _is_title_low(seq[j - 1].low)):
                j -= 1
            if j > 0:
                resolve_run(doc, seq[:j], toks)
            rest = seq[i + 1 :]
            while rest and rest[0].kind == "punct":
                rest = rest[1:]
            if rest:
                kr = _known(doc, rest)
                if kr is not None and len(rest) == len(seq) - i - 1 and kr[0] != "person" and kr[2] != "city":
                    _emit(doc, rest, kr[0], kr[1])
                elif not (
                    rest[0].low in COMMON_WORDS
                    or rest[-1].low in EVENT_SUFFIXES
                    or rest[0].low not in doc.gaz.first_names and any(r.low in COMMON_WORDS for r in rest)
                ):
                    _emit(doc, rest, "person")  # "Theresa May" survives; "Major League Baseball" does not
            return True
    return False


def _resolve_unknown_name(doc: Doc, seq: list[Tok], toks: list[Tok]) -> None:
    """Two or more capitalised words no list knows: split off known parts, else guess."""
    # Leading known place or organisation glued to a name: "US Ambassador"; "Bayern Munich" stays whole.
    for cut in range(len(seq) - 1, 0, -1):
        # Only a well-known head is split off: "Aung San Suu Kyi" must stay one name.
        head = _known(doc, seq[:cut], strict=True)
        if head is not None and head[0] != "person" and seq[cut].low not in ORG_SUFFIXES:
            tail = seq[cut:]
            if any(t.low in DEMONYMS for t in tail) or doc.sports:
                break
            if tail[0].low in doc.gaz.first_names or len(tail) >= 2:
                resolve_run(doc, seq[:cut], toks)
                resolve_run(doc, tail, toks)
                return
            break
    # One unknown word before a well-known place ("Lebed Chechnya" in a headline): two names.
    tail_k = _known(doc, seq[1:], strict=True)
    if tail_k is not None and tail_k[0] == "place" and seq[0].low not in doc.gaz.first_names:
        if not doc.sports and seq[0].low not in ORG_SUFFIXES:
            resolve_run(doc, seq[:1], toks)
            resolve_run(doc, seq[1:], toks)
            return
    if doc.sports and seq[0].low not in doc.gaz.first_names and any(
        (p := doc.gaz.place(t.low)) is not None and p.kind != "country" for t in seq
    ):
        _emit(doc, seq, "organization")  # "Dynamo Moscow", "Standard Liege"
        return
    if any(t.low in DEMONYMS or t.low in COMMON_WORDS and t.low not in NAME_PARTICLES for t in seq[1:]):
        # "Grace Road", "American League": not a person; keep only what is known.
        if seq[-1].low in PLACE_SUFFIXES:
            _emit(doc, seq, "place")
        return
    if len(seq) <= 5 and not any(t.kind == "acr" or t.text.isupper() and len(t.text) > 1 for t in seq):
        confident = seq[0].low in doc.gaz.first_names
        prv = tok_before(toks, seq[0])
        if not confident and prv is not None and prv.low == "the" and not prv.cap:
            _emit(doc, seq, "organization", confident=False)  # "the Hong Kong Standard said"
        elif not confident and any(writes_lower(doc, t.low) for t in seq[1:]):
            return  # "Human Rights", "Democracy Wall": the article writes these words in lower case
        else:
            _emit(doc, seq, "person", confident=confident)


def _resolve_lone_word(doc: Doc, seq: list[Tok], toks: list[Tok]) -> None:
    """One capitalised word: emitted untyped (the article-wide pass decides) unless ruled out."""
    t = seq[0]
    if "-" in t.text and t.kind == "word":
        # "Russia-DPRK", "U.S.-China": two names joined.
        parts = list(re.finditer(r"[^-]+", t.text))
        pieces = [
            Tok(p.group(), t.start + p.start(), t.start + p.end(), "word", p.group().casefold(), True, False, t.line)
            for p in parts
        ]
        known = [_known(doc, [piece]) for piece in pieces]
        if len(parts) > 1 and all(k is not None for k in known):
            for piece, k in zip(pieces, known):
                assert k is not None
                doc.spans.append(Span(piece.start, piece.end, piece.text, k[0], k[1], 1, False, True, (piece.low,)))
            return
    if t.low in COMMON_WORDS or t.low in NOT_ENTITY or len(t.text) < 2 or _is_demonym(doc, t.low):
        return
    nxt = tok_after(toks, t)
    if t.bol and t.text.isupper() and len(t.text) > 2 and _dateline(doc, seq, toks):
        _emit(doc, seq, "place", t.text.title() if t.kind == "word" else t.text)  # "DUNMORE —"
        return
    if nxt is not None and nxt.text == ":" and nxt.line == t.line:
        return  # a label ("Scorers :"), not a name
    if t.bol and not doc.sports and nxt is not None and nxt.kind == "num" and _known(doc, seq) is None:
        return  # a row label in a table of figures ("Sales 12.50 13.00")
    if t.sent_start and t.kind == "word" and writes_lower(doc, t.low):
        return
    gaz = doc.gaz
    listed = t.low in gaz.first_names or t.low in gaz.surname_rank or gaz.has_place(t.low) or t.text in ALIASES
    if t.sent_start and not listed and t.low.endswith(("ly", "ing", "ed")):
        return  # "Ironically", "Trailing", "Watched"
    # A capital at the start of a sentence proves nothing: such a word needs other evidence.
    _emit(doc, seq, None, confident=not (t.sent_start and not listed and not t.text.isupper()))


def _team_line(seq: list[Tok], toks: list[Tok]) -> bool:
    """A results or standings line: the name is followed (or preceded) by a score."""
    nxt = tok_after(toks, seq[-1])
    if nxt is not None and nxt.kind == "num":
        return True
    if nxt is not None and nxt.low in ("v", "vs", "v."):
        return True
    prv = tok_before(toks, seq[0])
    return prv is not None and (prv.kind == "num" or prv.low in ("v", "vs", "v.", "beat", "against", "at"))


def line_facts(lines: list[list[Tok]]) -> tuple[dict[int, int], frozenset[int]]:
    """Index of each line's first token, and the lines that open with a date (datelines)."""
    first = {toks[0].line: toks[0].idx for toks in lines}
    dated = frozenset(
        toks[0].line for toks in lines if any(t.kind == "num" and _DATE.match(t.text) for t in toks[:8])
    )
    return first, dated


def _dateline(doc: Doc, seq: list[Tok], toks: list[Tok]) -> bool:
    """A dateline ("LONDON 1996-08-30", "TAVILDARA , Tajikistan 1996-08-30", "KATHMANDU:")."""
    line = seq[0].line
    if line in doc.dated_lines:
        return True
    if not (seq[0].bol and seq[0].text.isupper() and doc.line_first.get(line) == seq[0].idx):
        return False
    nxt = tok_after(toks, seq[-1])
    return nxt is not None and nxt.text in (":", "—", "–")


def _sports_place_type(doc: Doc, seq: list[Tok], toks: list[Tok]) -> str:
    """On a sports page a town or state is the team that plays for it, unless placed with "in"."""
    prv = tok_before(toks, seq[0])
    if prv is not None and prv.line != seq[0].line:
        prv = None
    if prv is not None and (prv.low in ("in", "near", "from") or prv.low in ("at", "of") and not prv.cap):
        return "place"
    if _dateline(doc, seq, toks):
        return "place"
    if prv is not None and prv.text == "(":
        return "place"
    return "organization"


# --------------------------------------------------------------------------- caps lines
def read_caps_line(doc: Doc, toks: list[Tok], surfaces: dict[str, tuple[str, str]], all_toks: list[Tok]) -> None:
    """Headlines and datelines: only names the body or the gazetteer vouch for."""
    words = [t for t in toks if t.kind in ("word", "acr")]
    table = doc.sports and sum(1 for t in toks if t.kind == "num") >= 2
    i = 0
    n = len(words)
    while i < n:
        hit = None
        for L in range(min(4, n - i), 0, -1):
            seq = words[i : i + L]
            if any(seq[k + 1].seq != seq[k].seq + 1 for k in range(L - 1)):
                continue
            s = doc.text[seq[0].start : seq[-1].end]
            key = s.casefold()
            if L == 1 and (seq[0].low in COMMON_WORDS or seq[0].low in DEMONYMS):
                continue
            dateline = _dateline(doc, seq, all_toks)
            if key in surfaces and not (dateline and _known(doc, seq) is not None):
                typ, canon = surfaces[key]
                hit = (L, typ, canon)
                break
            short = len(seq[0].text) < 3 and seq[0].kind != "acr"
            if L == 1 and (seq[0].low in COMMON_WORDS or seq[0].low in DEMONYMS or short):
                continue
            k = _known(doc, seq, strict=not (table or dateline))
            if k is not None:
                typ = k[0]
                if doc.sports and typ == "place" and k[2] in ("city", "state"):
                    typ = _sports_place_type(doc, seq, all_toks)
                hit = (L, typ, k[1])
                break
        if hit is None:
            i += 1
            continue
        L, typ, canon = hit
        seq = words[i : i + L]
        start, end = seq[0].start, seq[-1].end
        doc.spans.append(Span(start, end, doc.text[start:end], typ, canon, L, True, True, tuple(t.low for t in seq)))
        i += L


