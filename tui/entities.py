"""People, organisations and places in an article, with aliases folded.

No model and no download: capitalised runs are found with a regex tokenizer and
typed by shipped gazetteers (tui/gazetteer.py), hand-written cue lists
(tui/entity_lexicon.py) and the article's own context (titles, "in"/"near",
organisation suffixes, results tables on sports pages).  A second pass over the
whole article folds surnames, short forms and acronyms into the fullest name,
and types lone words and all-caps headlines from what the body already showed.
Everything is a few regex scans and dict look-ups per token, so it is fast and
linear in the text length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from tui.entity_lexicon import (
    KNOWN_PEOPLE,
    PLACE_PREFIXES,
    CORP_SUFFIXES,
    SOLO_SPORTS,
    PLACE_SUFFIXES,
    EVENT_SUFFIXES,
    ALIASES,
    CALENDAR,
    COMMON_WORDS,
    DEMONYMS,
    NAME_PARTICLES,
    NOT_ENTITY,
    ORG_HEADS,
    ORG_SUFFIXES,
    PERSON_VERBS,
    PLACE_PREPOSITIONS,
    SPORTS,
    TITLE_MODIFIERS,
    TITLES,
)
from tui.gazetteer import CITY_TRUSTED_POP, Gazetteer, load
from tui.records import Entity, EntityType, Mention

# Text past this is not looked at: no real article is longer, and it bounds the time.
MAX_CHARS = 300_000
MAX_ENTITIES = 300
MAX_RUN = 8

_TOKEN_TEMPLATE = (
    r"(?P<skip>(?:(?:(?!(?:KEEP)[ \t]+(?:(?:KEEP)[ \t]+)?[A-ZÀ-ÖØ-Þ]|(?:al|el)-[A-ZÀ-ÖØ-Þ])[a-z][\w'’-]*|,)[ \t]+)+)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+\.[\w.]+)"
    r"|(?P<acr>(?:[A-Z]\.){2,}(?:[A-Z]\b)?)"
    r"|(?P<word>[^\W\d_][\w]*(?:[-'’&][^\W_]+)*)"
    r"|(?P<num>\d[\d,.:/-]*)"
    r"|(?P<punct>[^\w\s])"
)
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_KEEP_PUNCT = frozenset(".&():-—–/")
_ABBREV_PREFIX = frozenset({"St", "Mt", "Ft"})
_ABBREV_SUFFIX = frozenset({"inc", "corp", "co", "ltd", "bros", "jr", "sr"})
_KEEP_LOWER = NAME_PARTICLES | frozenset(
    """of for on and the in near at from to into via across outside inside v vs beat against beating drew
    lost won defeated""".split()
)
# Runs of lower-case words are matched as one chunk and skipped; a connector or preposition
# ("of", "in", "van") is kept only where a capitalised word follows it.
def _trie_pattern(words: frozenset[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie, which ``re`` matches far faster."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        end = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        return body + "?" if end and len(alts) == 1 else ("(?:" + "|".join(alts) + ")?" if end else body)

    return emit(trie)


_TOKEN = re.compile(_TOKEN_TEMPLATE.replace("KEEP", _trie_pattern(_KEEP_LOWER)))
_POSSESSIVE = re.compile(r"['’]s?$")
_SENT_END = frozenset(".!?:;\"“”‘'(«»[-—–|•*")
_ALIAS_FOLD = {k.casefold(): v for k, v in ALIASES.items()}
_CONNECT = frozenset({"of", "for", "on"})
_TYPES: dict[str, EntityType] = {"person": "person", "organization": "organization", "place": "place"}


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str  # acr | word | num | punct
    low: str
    cap: bool
    sent_start: bool
    line: int
    idx: int = 0  # position among the kept tokens
    poss: bool = False  # "China’s": the run ends here
    seq: int = 0  # position among all tokens, skipped lower-case words included
    bol: bool = False  # first token of its line


@dataclass(slots=True)
class _Span:
    """A typed (or not yet typed) mention candidate before folding."""

    start: int
    end: int
    text: str
    type: str | None  # None: a lone word decided in the second pass
    canon: str
    ntok: int
    caps: bool = False
    confident: bool = True
    tokens: tuple[str, ...] = ()


@dataclass(slots=True)
class _Doc:
    text: str
    gaz: Gazetteer
    sports: bool
    solo_sport: bool = False  # cricket, tennis, golf...: results lines list people
    lower_seen: frozenset[str] = frozenset()  # words the article also writes in lower case
    spans: list[_Span] = field(default_factory=list)


# --------------------------------------------------------------------------- tokens
def _tokenize(text: str, limit: int, lower_count: dict[int, int]) -> list[_Tok]:
    """Tokens of ``text[:limit]`` with line number and sentence-start flag.

    Plain lower-case words are only counted (per line, in ``lower_count``), not
    kept: they can never be part of a name, and skipping them halves the work.
    """
    out: list[_Tok] = []
    line = 0
    next_nl = text.find("\n", 0, limit)
    prev_punct = True
    bol = True
    seq = -1
    for m in _TOKEN.finditer(text, 0, limit):
        seq += 1
        s = m.start()
        if 0 <= next_nl < s:
            line += text.count("\n", next_nl, s)
            next_nl = text.find("\n", s, limit)
            prev_punct = True
            bol = True
        kind = m.lastgroup or "punct"
        t = m.group()
        if kind == "skip":
            lower_count[line] = lower_count.get(line, 0) + t.count(" ") + t.count("\t") - t.count(",")
            prev_punct = bol = False
            continue
        if kind == "url":
            prev_punct = bol = False  # web and mail addresses hold no names worth listing
            continue
        if kind == "punct" and t not in _KEEP_PUNCT:
            # Only these marks matter to the rules; the rest just separate names.
            prev_punct = t in _SENT_END
            bol = False
            continue
        if kind == "word" and t[0].islower() and t not in _KEEP_LOWER and t[:3] not in ("al-", "el-"):
            lower_count[line] = lower_count.get(line, 0) + 1
            prev_punct = bol = False
            continue
        e = m.end()
        poss = False
        cap = kind == "acr"
        if kind == "word":
            if "'" in t or "’" in t:
                # "Trump's": the name is the part before the possessive.
                pm = _POSSESSIVE.search(t)
                if pm and pm.start() > 0:
                    e = s + pm.start()
                    t = t[: pm.start()]
                    poss = True
            if "-" in t:
                # "Washington-based": the name is the part before the suffix.
                h = t.find("-")
                rest = t[h + 1 :]
                if h > 0 and t[0].isupper() and rest.isalpha() and rest.islower():
                    e = s + h
                    t = t[:h]
            cap = t[0].isupper() or (t[:3] in ("al-", "el-") and t[3:4].isupper())
        out.append(_Tok(t, s, e, kind, t.casefold(), cap, prev_punct, line, len(out), poss, seq, bol))
        bol = False
        prev_punct = kind == "punct" and t in _SENT_END
    return out


def _after(toks: list[_Tok], t: _Tok) -> _Tok | None:
    """The token right after ``t``, or None when a skipped word (or nothing) follows."""
    i = t.idx + 1
    return toks[i] if i < len(toks) and toks[i].seq == t.seq + 1 else None


def _before(toks: list[_Tok], t: _Tok) -> _Tok | None:
    """The token right before ``t``, or None when a skipped word (or nothing) precedes."""
    i = t.idx - 1
    return toks[i] if i >= 0 and toks[i].seq == t.seq - 1 else None


def _line_is_caps(toks: list[_Tok], nlower: int) -> bool:
    """All-caps lines (headlines, datelines) and Title Case headlines: every word is capitalised."""
    words = [t for t in toks if t.kind in ("word", "acr")]
    if not words:
        return False
    nwords = len(words) + nlower
    upper = sum(1 for t in words if t.kind == "acr" or (t.text.isupper() and len(t.text) > 1))
    if upper / nwords >= 0.6 and (upper >= 1 and nwords <= 3 or upper >= 2):
        return True
    if nwords >= 5:
        capped = sum(1 for t in words if t.cap)
        lower_fn = sum(1 for t in words if t.low in ("the", "of", "and", "in", "to", "a", "for") and not t.cap)
        common = sum(1 for t in words if t.cap and t.low in COMMON_WORDS and not t.sent_start)
        return nwords >= 6 and capped / nwords >= 0.85 and lower_fn <= 1 and common >= 2
    return False


# --------------------------------------------------------------------------- lookups
def _place(doc: _Doc, s: str, ntok: int, strict: bool) -> tuple[str, str] | None:
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


def _known(doc: _Doc, toks: list[_Tok], strict: bool = False) -> tuple[str, str, str] | None:
    """(type, canonical, kind) for an alias or gazetteer place spanning ``toks``."""
    s = doc.text[toks[0].start : toks[-1].end]
    if "\n" in s:
        return None
    a = ALIASES.get(s) or (_ALIAS_FOLD.get(s.casefold()) if len(s) > 3 or "." in s else None)
    if a is not None:
        if toks[0].text.isupper() and a[0] == "United States" and s == "US" and strict:
            return None
        return a[1], a[0], "alias"
    p = _place(doc, s, len(toks), strict)
    if p is not None:
        # The article's own spelling wins over the gazetteer's capitalisation ("Rio de Janeiro").
        name = s if not s.isupper() and not s.islower() else p[0]
        return "place", name, p[1]
    return None


def _clean_name(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return _POSSESSIVE.sub("", s) if s.endswith(("'s", "’s")) else s


# --------------------------------------------------------------------------- runs
def _runs(toks: list[_Tok], first_names: frozenset[str] = frozenset()) -> list[list[_Tok]]:
    """Maximal runs of capitalised words, with name particles and "X of Y" organisations kept whole."""
    runs: list[list[_Tok]] = []
    cur: list[_Tok] = []
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
                or toks[i + 1].low in ("the", *NAME_PARTICLES)
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
            if t.low in _CONNECT and head or t.low == "and" and any(c.low in _CONNECT for c in cur):
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
            and (len(toks[i - 1].text) == 1 or toks[i - 1].text in _ABBREV_PREFIX)
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
        if cur and t.kind == "punct" and t.text == "&" and i + 1 < n and toks[i + 1].cap and toks[i + 1].seq == t.seq + 1:
            cur.append(t)
            i += 1
            continue
        if cur:
            runs.append(cur)
            cur = []
        i += 1
    if cur:
        runs.append(cur)
    out: list[list[_Tok]] = []
    for r in runs:
        while r and r[-1].kind == "word" and not r[-1].cap:
            r = r[:-1]
        if r:
            # "Banc One Corp.": the abbreviation's period belongs to the name.
            last = r[-1]
            if len(r) >= 2 and last.low in _ABBREV_SUFFIX:
                nxt = toks[last.idx - toks[0].idx + 1] if last.idx - toks[0].idx + 1 < n else None
                if nxt is not None and nxt.text == "." and nxt.start == last.end:
                    r = r + [nxt]
            out.append(r)
    return out


def _emit(doc: _Doc, toks: list[_Tok], typ: str | None, canon: str | None = None, *, confident: bool = True) -> None:
    s, e = toks[0].start, toks[-1].end
    text = doc.text[s:e]
    doc.spans.append(
        _Span(s, e, text, typ, canon or _clean_name(text), len(toks), False, confident, tuple(t.low for t in toks))
    )


def _is_demonym(doc: _Doc, low: str) -> bool:
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


def _is_title(t: _Tok) -> bool:
    low = t.low.rstrip(".")
    if low in TITLES:
        return True
    # "Major-General", "Lieutenant-Colonel"
    return "-" in low and all(p in TITLES or p in TITLE_MODIFIERS for p in low.split("-"))


def _resolve(doc: _Doc, seq: list[_Tok], toks: list[_Tok]) -> None:
    """Type one run of capitalised words, splitting it where titles and known names say so."""
    while seq and seq[0].kind == "punct":
        seq = seq[1:]
    while seq and (seq[-1].kind == "punct" or seq[-1].low in ("of", "for", "on", "and", "the")):
        seq = seq[:-1]
    if not seq:
        return
    if len(seq) == 1 and (seq[0].low in COMMON_WORDS or _is_demonym(doc, seq[0].low)) and seq[0].text not in ALIASES:
        return
    if seq[-1].low in EVENT_SUFFIXES or seq[0].low in NOT_ENTITY:
        return  # "World Cup", "Hong Kong Open": events are not listed
    k = _known(doc, seq)
    if k is not None:
        typ = k[0]
        if doc.sports and typ == "place" and k[2] in ("city", "state"):
            typ = _sports_place_type(seq, toks)
        _emit(doc, seq, typ, k[1])
        return
    if len(seq) >= 3 and seq[1].text == "." and len(seq[0].text) == 1 and seq[2].cap:
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
    last = seq[-1].low.replace(".", "")
    if len(seq) >= 2 and (last in ORG_SUFFIXES or any(t.text == "&" for t in seq)) and (
        not all(t.low in COMMON_WORDS or t.low in ORG_SUFFIXES for t in seq) or not seq[0].sent_start
    ):
        body = seq
        while len(body) > 2 and (body[0].low == "the" or body[0].sent_start and body[0].low in COMMON_WORDS):
            body = body[1:]
        _emit(doc, body, "organization")
        return
    for i in range(len(seq) - 2):
        if seq[i + 1].low in _CONNECT and (seq[i].low in ORG_HEADS or seq[i].low in ORG_SUFFIXES):
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
        or (first.low in COMMON_WORDS and not _is_title(first) and (first.sent_start or len(seq) > 1))
    )
    if drop:
        _resolve(doc, seq[1:], toks)
        return
    # Titles: what follows is a person, what comes before is looked at on its own.
    for i in range(len(seq) - 1, -1, -1):
        trailing = i == len(seq) - 1 and i > 0
        if trailing and (
            seq[i - 1].low in doc.gaz.first_names
            or not (seq[i - 1].low in COMMON_WORDS or seq[i - 1].low in ORG_SUFFIXES or _is_title(seq[i - 1]))
            and seq[i - 1].low not in DEMONYMS
        ):
            continue
        if _is_title(seq[i]):
            j = i
            while j > 0 and (seq[j - 1].low in TITLE_MODIFIERS or _is_title(seq[j - 1])):
                j -= 1
            if j > 0:
                _resolve(doc, seq[:j], toks)
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
            return
    # Leading known place or organisation glued to a name: "US Ambassador", "Bayern Munich" stays whole.
    if len(seq) >= 2:
        for cut in range(len(seq) - 1, 0, -1):
            head = _known(doc, seq[:cut])
            if head is not None and head[0] != "person" and seq[cut].low not in ORG_SUFFIXES:
                tail = seq[cut:]
                if any(t.low in DEMONYMS for t in tail) or doc.sports:
                    break
                if tail[0].low in doc.gaz.first_names or len(tail) >= 2:
                    _resolve(doc, seq[:cut], toks)
                    _resolve(doc, tail, toks)
                    return
                break
        for cut in range(1, 2):
            tail_k = _known(doc, seq[cut:], strict=True)
            if tail_k is not None and tail_k[0] == "place" and seq[0].low not in doc.gaz.first_names:
                if not doc.sports and seq[cut - 1].low not in ORG_SUFFIXES:
                    _resolve(doc, seq[:cut], toks)
                    _resolve(doc, seq[cut:], toks)
                    return
        if any(t.text == "." for t in seq[1:2]):
            _emit(doc, seq, "person")  # "C. Lewis"
            return
        if doc.sports and not doc.solo_sport and _team_line(seq, toks) and seq[0].low not in doc.gaz.first_names:
            _emit(doc, seq, "organization")
            return
        if doc.sports and seq[0].low not in doc.gaz.first_names and any(
            (p := doc.gaz.place(t.low)) is not None and p.kind != "country" for t in seq
        ):
            _emit(doc, seq, "organization")  # "Dynamo Moscow", "Standard Liege"
            return
        if any(t.low in DEMONYMS or t.low in COMMON_WORDS and t.low not in NAME_PARTICLES for t in seq[1:]):
            # "Grace Road", "American League": not a person; keep only what is known.
            if seq[-1].low in ("road", "street", "avenue", "square", "stadium", "park", "bridge", "river", "island", "islands", "mountains", "valley", "lake", "sea", "ocean", "bay", "coast", "peninsula", "strait"):
                _emit(doc, seq, "place")
            return
        if len(seq) <= 5 and sum(1 for t in seq if t.kind == "acr" or t.text.isupper() and len(t.text) > 1) == 0:
            confident = seq[0].low in doc.gaz.first_names
            prv = _before(toks, seq[0])
            if not confident and prv is not None and prv.low == "the" and not prv.cap:
                _emit(doc, seq, "organization", confident=False)  # "the Hong Kong Standard said"
            elif not confident and any(t.low in doc.lower_seen for t in seq[1:]):
                return  # "Human Rights", "Democracy Wall": the article writes these words in lower case
            else:
                _emit(doc, seq, "person", confident=confident)
        return
    # A lone word.
    t = seq[0]
    if "-" in t.text and t.kind == "word":
        # "Russia-DPRK", "U.S.-China": two names joined.
        parts = list(re.finditer(r"[^-]+", t.text))
        known = [_known(doc, [_Tok(p.group(), t.start + p.start(), t.start + p.end(), "word", p.group().casefold(), True, False, t.line)]) for p in parts]
        if len(parts) > 1 and all(k is not None for k in known):
            for p, k in zip(parts, known):
                assert k is not None
                doc.spans.append(_Span(t.start + p.start(), t.start + p.end(), p.group(), k[0], k[1], 1, False, True, (p.group().casefold(),)))
            return
    if t.low in COMMON_WORDS or t.low in NOT_ENTITY or len(t.text) < 2 or _is_demonym(doc, t.low):
        return
    nxt = _after(toks, t)
    if t.bol and t.text.isupper() and len(t.text) > 2 and _dateline(seq, toks):
        _emit(doc, seq, "place", t.text.title() if t.kind == "word" else t.text)  # "DUNMORE —"
        return
    if nxt is not None and nxt.text == ":" and nxt.line == t.line:
        return  # a label ("Scorers :"), not a name
    if t.bol and not doc.sports and nxt is not None and nxt.kind == "num" and _known(doc, seq) is None:
        return  # a row label in a table of figures ("Sales 12.50 13.00")
    if t.sent_start and t.kind == "word" and t.low in doc.lower_seen:
        return
    gaz = doc.gaz
    listed = t.low in gaz.first_names or t.low in gaz.surname_rank or t.low in gaz.raw_places or t.text in ALIASES
    if t.sent_start and not listed and t.low.endswith(("ly", "ing", "ed")):
        return  # "Ironically", "Trailing", "Watched"
    # A capital at the start of a sentence proves nothing: such a word needs other evidence.
    _emit(doc, seq, None, confident=not (t.sent_start and not listed and not t.text.isupper()))


def _team_line(seq: list[_Tok], toks: list[_Tok]) -> bool:
    """A results or standings line: the name is followed (or preceded) by a score."""
    nxt = _after(toks, seq[-1])
    if nxt is not None and nxt.kind == "num":
        return True
    if nxt is not None and nxt.low in ("v", "vs", "v."):
        return True
    prv = _before(toks, seq[0])
    return prv is not None and (prv.kind == "num" or prv.low in ("v", "vs", "v.", "beat", "against", "at"))


def _dateline(seq: list[_Tok], toks: list[_Tok]) -> bool:
    """A dateline ("LONDON 1996-08-30", "TAVILDARA , Tajikistan 1996-08-30", "KATHMANDU:")."""
    line = seq[0].line
    j = seq[0].idx
    while j > 0 and toks[j - 1].line == line:
        j -= 1
    k = j
    while k < len(toks) and toks[k].line == line and k - j < 8:
        if toks[k].kind == "num" and _DATE.match(toks[k].text):
            return True
        k += 1
    nxt = _after(toks, seq[-1])
    return seq[0].idx == j and seq[0].bol and nxt is not None and nxt.text in (":", "—", "–") and seq[0].text.isupper()


def _sports_place_type(seq: list[_Tok], toks: list[_Tok]) -> str:
    """On a sports page a town or state is the team that plays for it, unless placed with "in"."""
    prv = _before(toks, seq[0])
    if prv is not None and prv.line != seq[0].line:
        prv = None
    if prv is not None and (prv.low in ("in", "near", "from") or prv.low in ("at", "of") and not prv.cap):
        return "place"
    if _dateline(seq, toks):
        return "place"
    if prv is not None and prv.text == "(":
        return "place"
    return "organization"


# --------------------------------------------------------------------------- caps lines
def _caps_line(doc: _Doc, toks: list[_Tok], surfaces: dict[str, tuple[str, str]], all_toks: list[_Tok]) -> None:
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
            dateline = _dateline(seq, all_toks)
            if key in surfaces and not (dateline and _known(doc, seq) is not None):
                typ, canon = surfaces[key]
                hit = (L, typ, canon)
                break
            if L == 1 and (seq[0].low in COMMON_WORDS or seq[0].low in DEMONYMS or len(seq[0].text) < 3 and seq[0].kind != "acr"):
                continue
            k = _known(doc, seq, strict=not (table or dateline))
            if k is not None:
                typ = k[0]
                if doc.sports and typ == "place" and k[2] in ("city", "state"):
                    typ = _sports_place_type(seq, all_toks)
                hit = (L, typ, k[1])
                break
        if hit is None:
            i += 1
            continue
        L, typ, canon = hit
        seq = words[i : i + L]
        s, e = seq[0].start, seq[-1].end
        doc.spans.append(_Span(s, e, doc.text[s:e], typ, canon, L, True, True, tuple(t.low for t in seq)))
        i += L


# --------------------------------------------------------------------------- folding
def _acronym(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in ("of", "the", "and", "for", "on", "&") and w).upper()


def _type_spans(doc: _Doc) -> list[_Span]:
    """Fold short forms into full names and type the lone words; returns the spans in order."""
    spans = sorted(doc.spans, key=lambda s: s.start)
    gaz = doc.gaz
    # Short forms of organisations: "Corvane" for "Corvane Batteries", "Bellhaven Primary" for
    # "Bellhaven Primary School"; a prefix two organisations share means neither.
    org_prefix: dict[str, str] = {}
    for s in spans:
        if s.type == "organization" and s.ntok >= 2 and s.confident and not s.caps:
            words = s.canon.split()
            for k in range(1, len(words)):
                pre = " ".join(words[:k]).casefold()
                if pre in COMMON_WORDS or pre in DEMONYMS or words[k - 1].casefold() in _CONNECT:
                    break
                if org_prefix.get(pre, s.canon) != s.canon:
                    org_prefix[pre] = ""
                else:
                    org_prefix[pre] = s.canon
    for s in spans:
        if s.type == "person" and s.ntok >= 2 and not s.confident and org_prefix.get(s.text.casefold()):
            s.type, s.canon, s.confident = "organization", org_prefix[s.text.casefold()], True
    # Full person names, in order, for surname and short-form folding.
    persons: list[_Span] = [s for s in spans if s.type == "person" and s.ntok >= 2]
    # Merge near-identical full names ("Luis"/"Luiz ... Lula da Silva") and sub-names into the fullest.
    canon_of: dict[str, str] = {}
    full_names = sorted({p.canon for p in persons}, key=lambda c: (-len(c.split()), -len(c), c))
    split = {n: n.split() for n in full_names}
    by_edge: dict[str, list[str]] = {}
    for n in full_names:
        for w in {split[n][0], split[n][-1]}:
            by_edge.setdefault(w, []).append(n)
    for name in full_names:
        toks = split[name]
        target = name
        cands = by_edge.get(toks[-1], []) + by_edge.get(toks[0], [])
        for bigger in cands:
            bt = split[bigger]
            if bigger == name or len(bt) < len(toks):
                continue
            if bigger in canon_of and canon_of[bigger] != bigger:
                continue
            if len(bt) > len(toks) and any(bt[k : k + len(toks)] == toks for k in range(len(bt) - len(toks) + 1)):
                target = bigger
                break
            preferred = bigger in _KNOWN_FULL or (name not in _KNOWN_FULL and bigger < name)
            if len(bt) == len(toks) and bt[-1] == toks[-1] and preferred and _close(bigger, name):
                target = bigger
                break
        known = _KNOWN_BY_LAST.get(toks[-1])
        if target == name and known and known != name and _close(known, name):
            target = known  # "Luis Inacio Lula da Silva" is filed as "Luiz Inacio Lula da Silva"
        canon_of[name] = target
    for p in persons:
        p.canon = canon_of.get(p.canon, p.canon)
    # token -> list of (position, canonical) of full names holding it
    by_token: dict[str, list[tuple[int, str]]] = {}
    last_tokens: set[str] = set()
    for p in persons:
        words = p.canon.split()
        if p.confident:
            last_tokens.add(words[-1].casefold())
        for w in words:
            lw = w.casefold()
            if lw in NAME_PARTICLES or len(lw) < 2:
                continue
            lst = by_token.setdefault(lw, [])
            if not lst or lst[-1][1] != p.canon:
                lst.append((p.start, p.canon))
    # Surface -> type from confident typed spans, for lone words and consistency.
    surface_type: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type is not None and s.confident and not s.caps:
            surface_type.setdefault(s.text.casefold(), (s.type, s.canon))
    # "Pirelli SpA" makes a lone "Pirelli" the same company, whatever else the word could be.
    company_heads: dict[str, str] = {}
    for s in spans:
        if s.type == "organization" and s.ntok >= 2 and s.tokens[-1].replace(".", "") in CORP_SUFFIXES:
            head = s.text[: s.text.rfind(" ")].strip().casefold() if " " in s.text else ""
            if head:
                company_heads.setdefault(head, s.canon)
    acronyms: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type in ("organization", "place") and s.ntok >= 2:
            acronyms.setdefault(_acronym(s.tokens), (s.type, s.canon))

    # "Callow Irrigation Cooperative (CIC)": a name with an acronym is an organisation, not a person.
    person_acronyms: dict[str, list[_Span]] = {}
    for s in spans:
        if s.type == "person" and not s.confident and s.ntok >= 3:
            person_acronyms.setdefault(_acronym(s.tokens), []).append(s)

    pending: dict[str, list[_Span]] = {}
    teams: set[str] = set()
    if doc.sports and not doc.solo_sport:
        for s in spans:
            if s.type is None and _team_context(doc, s):
                teams.add(s.text.casefold())
    for s in spans:
        if s.type == "person" and s.ntok >= 2:
            continue
        if s.ntok > 2 and s.type is not None:
            continue
        if s.type is None and s.text.casefold() in teams and s.text.casefold() not in by_token:
            s.type = "organization"
            continue
        key = s.text.casefold()
        if key in company_heads and s.type in (None, "person", "organization"):
            s.type, s.canon = "organization", company_heads[key]
            continue
        cands = by_token.get(key)
        if not cands and s.ntok == 1 and s.type in (None, "person") and s.text in KNOWN_PEOPLE:
            s.type, s.canon = "person", KNOWN_PEOPLE[s.text]  # "Putin" alone is still Vladimir Putin
            continue
        if cands and (s.type is None or s.type == "person" or not s.confident or s.caps or key in last_tokens):
            s.type, s.canon = "person", _nearest(cands, s.start)
            if s.canon == "":
                s.type = "drop"
            continue
        if s.type is not None and s.confident:
            continue
        if s.type == "person" and not s.confident:
            # Two unknown capitalised words: keep as a person unless the article typed them otherwise.
            st = surface_type.get(key)
            if st is not None and st[0] != "person":
                s.type, s.canon = st
            continue
        letters = s.text.replace(".", "")
        if letters.isupper() and 2 <= len(letters) <= 6 and letters in acronyms:
            s.type, s.canon = acronyms[letters]
            continue
        if letters.isupper() and 2 <= len(letters) <= 6 and letters in person_acronyms:
            for p in person_acronyms[letters]:
                p.type = "organization"
            s.type, s.canon = "organization", person_acronyms[letters][0].canon
            continue
        st = surface_type.get(key)
        if st is not None:
            s.type, s.canon = st
            continue
        pending.setdefault(key, []).append(s)
    # A lone word listed with a typed name takes its type: "Ashford Springs and Callow".
    coord: dict[int, str] = {}
    for i, s in enumerate(spans):
        if s.type is None:
            for j in (i - 1, i + 1):
                if 0 <= j < len(spans) and spans[j].type in _TYPES:
                    a, b = (spans[j], s) if j < i else (s, spans[j])
                    m = _COORD.match(doc.text, a.end, b.start)
                    appositive = doc.text.startswith(("'s", "’s"), s.end)  # "Jane Doe, Acme's chief"
                    if m and m.end() == b.start and not appositive:
                        coord[id(s)] = spans[j].type or ""
    for key, group in pending.items():
        pre = org_prefix.get(key) if key not in by_token else None
        typ = _guess_lone(doc, group, coord, 1 if pre else 0)
        for s in group:
            s.type = typ
            if typ == "organization" and pre:
                s.canon = pre

    return spans


def _group(spans: list[_Span]) -> list[Entity]:
    """One entity per (type, canonical name), mentions in text order."""
    out: dict[tuple[str, str], Entity] = {}
    for s in spans:
        typ = _TYPES.get(s.type or "")
        if typ is None:
            continue
        canon = s.canon
        if s.caps and canon.isupper() and len(canon) > 4:
            canon = canon.title()
        ent = out.get((typ, canon.casefold()))
        if ent is None:
            if len(out) >= MAX_ENTITIES:
                continue
            ent = out[(typ, canon.casefold())] = Entity(canon, typ)
        ent.mentions.append(Mention(s.text, s.start, s.end))
    return _dedupe(list(out.values()))


def _close(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b) <= max(1, len(a) // 12)


def _nearest(cands: list[tuple[int, str]], pos: int) -> str:
    """The one full name a short form can mean: the only one, or the nearest before it."""
    if len(cands) == 1:
        return cands[0][1]
    k = bisect.bisect_right(cands, (pos, "\uffff"))
    return cands[k - 1][1] if k else ""


def _cues(doc: _Doc, s: _Span) -> dict[str, int]:
    """Votes the words around one mention of a lone capitalised word give each type."""
    gaz = doc.gaz
    low = s.text.casefold()
    text = doc.text
    after = text[s.end : s.end + 24]
    before = text[max(0, s.start - 24) : s.start]
    nxt = _NEXT_WORD.match(after)
    nw = nxt.group(1).casefold() if nxt else ""
    pws = _PREV_WORDS.findall(before)
    pword = pws[-1] if pws else ""
    pw = pword.casefold()
    pw2 = pws[-2].casefold() if len(pws) >= 2 else ""
    v = {"person": 0, "organization": 0, "place": 0}
    if nw in PERSON_VERBS:
        v["person"] += 1
    if _AGE.match(after):
        v["person"] += 2  # "Khaled Hijazi , 37"
    if not pword[:1].isupper():
        if pw in ("in", "near") or (pw == "of" and pw2 in _PLACE_NOUNS):
            v["place"] += 2
        elif pw in PLACE_PREPOSITIONS and low in gaz.raw_places:
            v["place"] += 1
        if pw in _ORG_NOUNS or nw in _ORG_AFTER:
            v["organization"] += 2
        if pw == "the" and (doc.sports or not after.lstrip()[:1].islower()):
            # People rarely take "the" ("the Phillies"); "the Bellhaven clinic" is a modifier.
            v["organization"] += 2 if doc.sports else 1
    if nw in _PLACE_AFTER:
        v["place"] += 2  # "Stansted airport", "Guangdong province"
    if doc.sports:
        if nw == "(" or after.lstrip().startswith("("):
            v["person"] += 2
        if pw == "at":
            v["place"] += 1
        if _team_context(doc, s):
            v["organization"] += 2
        if low.endswith(("shire", "sex")):
            v["organization"] += 2
    return v


def _guess_lone(doc: _Doc, group: list[_Span], coord: dict[int, str], org_vote: int = 0) -> str | None:
    """Type a lone capitalised word from the cues around all its mentions in the article."""
    gaz = doc.gaz
    s = group[0]
    low = s.text.casefold()
    votes = {"person": 0, "organization": org_vote, "place": 0}
    for m in group:
        for k, n in _cues(doc, m).items():
            votes[k] += n
        if id(m) in coord:
            votes[coord[id(m)]] += 2
    best = max(votes, key=lambda k: votes[k])
    if not any(m.confident for m in group) and votes[best] < 2:
        return None  # only ever seen capitalised at the start of a sentence
    if votes[best] >= 2 or (votes[best] == 1 and list(votes.values()).count(1) == 1 and best != "person"):
        return best
    p = gaz.place(low)
    if doc.sports:
        if p is not None:
            return "organization"
        return "person"
    if votes["person"] and (low in gaz.first_names or low in gaz.surname_rank):
        return "person"
    if low in gaz.first_names or low in gaz.surname_rank:
        return "person"
    return "organization" if s.text.isupper() else None


_KNOWN_BY_LAST = {full.split()[-1]: full for full in KNOWN_PEOPLE.values()}
_KNOWN_FULL = frozenset(KNOWN_PEOPLE.values())
_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")
_COORD = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*")
_NEXT_WORD = re.compile(r"[\s,]*([\w']+|\()")
_PREV_WORDS = re.compile(r"[\w']+")
_AGE = re.compile(r"\s*,\s*\d{1,2}\s*[,.]")
_PLACE_NOUNS = frozenset(
    "town towns village villages city cities region province district capital suburb outskirts port island parts".split()
)
_ORG_NOUNS = frozenset(
    """company firm group bank carmaker airline club side team newspaper daily agency insurer broker
    brokerage retailer maker producer conglomerate subsidiary unit operator lender""".split()
)
_PLACE_AFTER = frozenset(
    "airport province village town region district county river valley island mountains border".split()
)
_ORG_AFTER = frozenset("shares stock inc corp ltd plc group bank said.".split())


def _team_context(doc: _Doc, s: _Span) -> bool:
    """A name in a results line or set against another side ("beat", "v", "against")."""
    text = doc.text
    after = text[s.end : s.end + 12].lstrip(" ")
    before = text[max(0, s.start - 12) : s.start].rstrip(" ")
    pw = re.search(r"[\w']+$", before)
    nw = re.match(r"[\w']+", after)
    words = ("v", "vs", "beat", "against", "beating", "drew", "lost", "and")
    return (
        _score_next(after)
        or _score_prev(before)
        or (pw is not None and pw.group() in words[:5])
        or (nw is not None and nw.group() in ("v", "vs", "beat", "drew", "lost", "won", "defeated", "beating"))
    )


_SCORE_AFTER = re.compile(r"\d")
_SCORE_BEFORE = re.compile(r"\d$")


def _score_next(after: str) -> bool:
    return bool(_SCORE_AFTER.match(after))


def _score_prev(before: str) -> bool:
    return bool(_SCORE_BEFORE.search(before))


def _dedupe(ents: list[Entity]) -> list[Entity]:
    """One mention per span: the first type given wins."""
    seen: set[tuple[int, int]] = set()
    out: list[Entity] = []
    for e in ents:
        keep = []
        for m in sorted(e.mentions, key=lambda m: m.start):
            if (m.start, m.end) in seen:
                continue
            seen.add((m.start, m.end))
            keep.append(m)
        if keep:
            e.mentions = keep
            out.append(e)
    out.sort(key=lambda e: e.mentions[0].start)
    return out


# --------------------------------------------------------------------------- entry point
def extract_entities(text: str) -> list[Entity]:
    """Return entities of ``text``, aliases folded, offsets into ``text``."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _extract(text)
    except RecursionError:
        return []


def _extract(text: str) -> list[Entity]:
    limit = min(len(text), MAX_CHARS)
    lower_count: dict[int, int] = {}
    all_toks = _tokenize(text, limit, lower_count)
    lines: list[list[_Tok]] = []
    for t in all_toks:
        if lines and lines[-1][0].line == t.line:
            lines[-1].append(t)
        else:
            lines.append([t])
    if not lines:
        return []
    first_words = [t.low for t in lines[0][:3] if t.kind == "word"]
    sports = bool(first_words) and first_words[0] in SPORTS and any(t.text == "-" for t in lines[0][:4])
    lower_seen = frozenset(_LOWER_WORD.findall(text, 0, limit))
    solo = sports and first_words[0] in SOLO_SPORTS
    doc = _Doc(text, load(), sports, solo, lower_seen)
    caps_lines = []
    for toks in lines:
        if _line_is_caps(toks, lower_count.get(toks[0].line, 0)):
            caps_lines.append(toks)
            continue
        for run in _runs(toks, doc.gaz.first_names):
            _resolve(doc, run, all_toks)
    spans = _type_spans(doc)
    # Headlines and datelines are read last, against what the body established.
    surfaces: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type in _TYPES:
            surfaces.setdefault(s.text.casefold(), (s.type, s.canon))
    for s in spans:
        if s.type == "person" and s.ntok >= 2:
            surfaces.setdefault(s.canon.split()[-1].casefold(), ("person", s.canon))
    doc.spans = []
    for toks in caps_lines:
        _caps_line(doc, toks, surfaces, all_toks)
    return _group(spans + doc.spans)
