"""Tokens for the entity extractor: capitalised words kept, plain prose skipped.

Entity rules only ever look at capitalised words, acronyms, numbers, a few marks
and the connectors that can sit inside or just before a name ("of", "van",
"in").  The tokenizer matches whole runs of other lower-case words as one regex
chunk and keeps only a count of them per line, which is most of the speed of
extraction.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from tui.entity_lexicon import ABBREVIATIONS, COMMON_WORDS, NAME_PARTICLES

# A run of plain lower-case words (each followed by a space or tab) and commas.  The first
# item is spelt out as two alternatives that open on a character class: the regex engine
# then rules an alternative out on the first character without entering it, and the skip
# is tried at every token.  AL_EL_FIRST is the "al-" check of the first word, made after
# its first letter so that the alternative still opens on the class.
_ITEM = r"(?:AL_EL[a-z][a-z\w'’-]*+|,)[ \t]++"
_SKIP = r"[a-z]AL_EL_FIRST[a-z\w'’-]*+[ \t]++(?:ITEM)*+|,[ \t]++(?:ITEM)*+"
_AL_EL = r"(?!(?:al|el)-[A-ZÀ-ÖØ-Þ])"  # "al-Assad" is a name, not a lower-case word
_AL_EL_FIRST = r"(?!(?<=[ae])l-[A-ZÀ-ÖØ-Þ])"
_WEB = r"https?://[^\s<>\"]+|www\.[^\s<>\"]+"
_MAIL = r"[\w.+-]+@[\w-]+\.[\w.]+"
# Possessive quantifiers ("*+", "++"): each repeated class is disjoint from what follows
# it, so giving back characters could never help a match, and the engine keeps no
# backtracking state.  The acronym's first "X." is spelt out so a capitalised word fails
# it on the period without entering the general repeat.  "a-z" and "a-zA-Z" inside
# classes that hold \w already change nothing they match: the engine tests a class's
# listed characters before its categories, and a listed hit is much cheaper.
_REST = (
    r"|[A-Z](?:\.(?:[A-Z]\.)+(?:[A-Z]\b)?"  # acronym
    r"CAP_RUN)"
    r"|[^\W\d_][a-zA-Z\w]*+(?:[-'’&][^\W_]++)*+"  # word
    r"|\d[\d,.:/-]*+"  # number
    r"|[^\w\s]"  # punctuation
)


# Two or more plain capitalised words ("Security Council President") one space apart, as
# one match: each match costs the engine and findall far more than splitting the run in
# tokenize(), and most capitalised words stand in such runs.  Each word must end where the
# word alternative would end it (no letter, digit, "_", apostrophe, hyphen or "&" next),
# and, when the text holds an address, where no mail address could go on either.  The
# acronym and the run share their opening capital: the engine enters one alternative for
# both and rules either out on its second character (".", or a lower-case letter).
_CAP_RUN = r"|[a-z]++END(?: [A-Z][a-z]++END)++"
_RUN_END = r"(?![\w'’&-])"
_RUN_END_MAIL = r"(?![\w'’&.+@-])"

# For ASCII text (most articles; str.isascii() is a flag read) the same regex with its
# Unicode classes spelt out over ASCII, which matches the same there: classes of listed
# characters compile to bitmaps, where a class holding \w, \d or \s calls a Unicode
# category test on every character it does not list (each word's end, each space).
# Unicode \s holds \x1c-\x1f besides the usual ASCII white space; "’" cannot occur.
# The "|\d[" pair turns the number's opening \d into a class before \d inside classes.
_ASCII_CLASSES = (
    (r"[^\W\d_]", "[a-zA-Z]"),
    (r"[^\W_]", "[a-zA-Z0-9]"),
    (r"|\d[", "|[0-9]["),
    (r"\d", "0-9"),
    (r"\w", "a-zA-Z0-9_"),
    (r"\s", r" \t\n\r\f\v\x1c-\x1f"),
    ("’", ""),
)


@cache
def _token_re(al_el: bool, web: bool, mail: bool, ascii_only: bool) -> re.Pattern[str]:
    """The token regex, without the alternatives that cannot match in the text at hand.

    Most articles hold no address and no "al-" name; trying those alternatives at every
    word is a sixth of the scan.  The leading group takes the gap before a token
    (white space and "_", the only characters no alternative starts on), so matches
    tile the text: ``findall`` then hands back plain (gap, token) pairs, offsets follow
    from the lengths, and no match object is built per token.  There is one group for
    the token rather than one per kind: a group per alternative made every alternative
    open on a group mark, which the engine cannot rule out on the first character, and
    five more strings per token; ``_kind`` tells the kinds apart instead.
    """
    skip = _SKIP.replace("ITEM", _ITEM).replace("AL_EL_FIRST", _AL_EL_FIRST if al_el else "")
    skip = skip.replace("AL_EL", _AL_EL if al_el else "")
    url = "".join("|" + p for p, on in ((_WEB, web), (_MAIL, mail)) if on)
    rest = _REST.replace("CAP_RUN", _CAP_RUN.replace("END", _RUN_END_MAIL if mail else _RUN_END))
    pattern = r"([\s_]*+)(" + skip + url + rest + ")"
    if ascii_only:
        for a, b in _ASCII_CLASSES:
            pattern = pattern.replace(a, b)
    return re.compile(pattern)


SKIP: Final = 0
URL: Final = 1
ACR: Final = 2
WORD: Final = 3
NUM: Final = 4
PUNCT: Final = 5
RUN: Final = 6


def _kind(t: str, urls: bool) -> int:
    """Which alternative of the token regex matched ``t``, read off its characters.

    Only a skip holds white space (and it ends on it); only an address holds "@" or
    opens with a scheme; a number opens on a digit, which no word does; only an
    acronym has a period second; only a run of capitalised words holds a space
    without ending on one; a lone character is a word if it is alphanumeric.
    """
    last = ord(t[-1])
    if last == 32 or last == 9:
        return SKIP
    if urls and (t.startswith(("http://", "https://", "www.")) or len(t) > 1 and "@" in t):
        return URL
    first = ord(t[0])
    if 48 <= first <= 57 or first > 127 and t[0].isdecimal():
        return NUM
    if len(t) > 1:
        if ord(t[1]) == 46:
            return ACR
        return RUN if 65 <= first <= 90 and " " in t else WORD
    if 65 <= first <= 90 or 97 <= first <= 122 or first > 127 and t.isalnum():
        return WORD
    return PUNCT


_KEEP_PUNCT = frozenset(".&():-—–/")
_KEEP_LOWER = NAME_PARTICLES | frozenset(
    """of for on and the in near at from to into via across outside inside v vs beat against beating drew
    lost won defeated""".split()
)
# Runs of lower-case words are matched as one chunk and skipped; a connector or preposition
# ("of", "in", "van") is kept only where a capitalised word follows it.  The regex swallows
# such connectors too (a look-ahead for them at every word cost a third of the scan) and
# tokenize() hands the last one or two words of a chunk back when a capital follows.
def _is_cap_start(c: str) -> bool:
    """The character class [A-ZÀ-ÖØ-Þ] that starts a name after a connector."""
    o = ord(c)  # integer compares: compiled code has no fast path for comparing strings
    return 65 <= o <= 90 or 0xC0 <= o <= 0xD6 or 0xD8 <= o <= 0xDE


# ASCII by integer compares; str.islower() and isupper() are method calls in compiled code.
def _starts_lower(t: str) -> bool:
    o = ord(t[0])
    return 97 <= o <= 122 if o < 128 else t[0].islower()


def _starts_upper(t: str) -> bool:
    o = ord(t[0])
    return 65 <= o <= 90 if o < 128 else t[0].isupper()


POSSESSIVE = re.compile(r"['’]s?$")
_SENT_END = frozenset(".!?:;\"“”‘'(«»[-—–|•*")


class Tok:
    """One kept token.  An article makes hundreds and never changes them.

    A plain slotted class rather than a NamedTuple: compiled with mypyc
    (setup.py) it becomes a C struct whose fields are read directly, which is
    most of what the rules do with tokens.
    """

    __slots__ = ("text", "start", "end", "kind", "low", "cap", "sent_start", "line", "idx", "poss", "seq", "bol")

    def __init__(self, text: str, start: int, end: int, kind: str, low: str, cap: bool, sent_start: bool,
                 line: int, idx: int = 0, poss: bool = False, seq: int = 0, bol: bool = False) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind  # acr | word | num | punct
        self.low = low
        self.cap = cap
        self.sent_start = sent_start
        self.line = line
        self.idx = idx  # position among the kept tokens
        self.poss = poss  # "China’s", "Ohio-based": the run ends here
        self.seq = seq  # position among all tokens, skipped lower-case words included
        self.bol = bol  # first token of its line

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end}, {self.kind!r})"


# --------------------------------------------------------------------------- tokens
def tokenize(text: str, limit: int, lower_count: dict[int, int], lower_words: list[str]) -> list[Tok]:
    """Tokens of ``text[:limit]`` with line number and sentence-start flag.

    Plain lower-case words are not kept: they can never be part of a name, and
    skipping them halves the work.  They are counted per line (``lower_count``)
    and collected raw (``lower_words``) so the rules can still ask whether the
    article writes a word in lower case.
    """
    out: list[Tok] = []
    append = out.append
    keep_lower = _KEEP_LOWER
    keep_punct = _KEEP_PUNCT
    sent_end = _SENT_END
    line = 0
    nlow = 0  # lower-case words on the current line, flushed into lower_count
    prev_punct = True
    bol = True
    seq = -1
    web = "://" in text or "www." in text
    mail = "@" in text
    token_re = _token_re("al-" in text or "el-" in text, web, mail, text.isascii())
    urls = web or mail
    pos = 0  # where the next match starts: matches tile text[:limit]
    # Typed so that compiled (mypyc) code treats the pieces as str, not as unknown objects.
    matches: list[tuple[str, str]] = token_re.findall(text, 0, limit)
    for gap, t in matches:
        seq += 1
        if gap:
            if gap != " " and "\n" in gap:  # most gaps are one space
                if nlow:
                    lower_count[line] = lower_count.get(line, 0) + nlow
                    nlow = 0
                line += gap.count("\n")
                prev_punct = True
                bol = True
            s = pos + len(gap)
        else:
            s = pos
        kind = _kind(t, urls)
        if kind == WORD:
            pos = e = s + len(t)
            if _starts_lower(t) and t not in keep_lower and not (t.startswith("al-") or t.startswith("el-")):
                nlow += 1
                lower_words.append(t)
                prev_punct = bol = False
                continue
            poss = False
            if not t.isalnum():  # most words hold no apostrophe or hyphen: skip both tests
                if "'" in t or "’" in t:
                    # "Trump's": the name is the part before the possessive, where
                    # POSSESSIVE would match; read off the ending, without the regex engine.
                    if t.endswith(("'s", "’s")):
                        cut = len(t) - 2
                    elif t.endswith(("'", "’")):
                        cut = len(t) - 1
                    else:
                        cut = 0
                    if cut > 0:
                        e = s + cut
                        t = t[:cut]
                        poss = True
                if "-" in t:
                    # "Washington-based": the name is the part before the suffix.
                    h = t.find("-")
                    rest = t[h + 1 :]
                    if h > 0 and _starts_upper(t) and rest.isalpha() and rest.islower():
                        e = s + h
                        t = t[:h]
                        poss = True  # "Ohio-based KeyCorp": two names, not one
            cap = _starts_upper(t) or (t[:3] in ("al-", "el-") and t[3:4].isupper())
            append(Tok(t, s, e, "word", t.casefold(), cap, prev_punct, line, len(out), poss, seq, bol))
            prev_punct = bol = False
            continue
        if kind == RUN:
            # The words of the run, each as the word alternative would have matched it
            # (ASCII letters only: no possessive or suffix to cut), one space apart.
            # lower() is casefold() for ASCII, and compiled it is a native call.
            for w in t.split(" "):
                e = s + len(w)
                append(Tok(w, s, e, "word", w.lower(), True, prev_punct, line, len(out), False, seq, bol))
                prev_punct = bol = False
                seq += 1
                s = e + 1
            seq -= 1
            pos = e
            continue
        if kind == SKIP:
            pos = e = s + len(t)
            if e < limit and _is_cap_start(text[e]):
                last = t.rsplit(None, 1)[-1]
                if last in keep_lower:
                    # "... talks in Geneva", "... one of the Beatles": the connectors
                    # before the name are tokens of their own.
                    cut = len(t.rstrip()) - len(last)
                    blocked = [(cut, last)]
                    prev = t[:cut].rsplit(None, 1)
                    if prev and prev[-1] in keep_lower:
                        cut = len(t[:cut].rstrip()) - len(prev[-1])
                        blocked.insert(0, (cut, prev[-1]))
                    if cut:
                        head = t[:cut]
                        nlow += head.count(" ") + head.count("\t") - head.count(",")
                        lower_words.append(head)
                        prev_punct = bol = False
                        seq += 1
                    for off, w in blocked:
                        ws = s + off
                        append(Tok(w, ws, ws + len(w), "word", w, False, prev_punct, line, len(out), False, seq, bol))
                        prev_punct = bol = False
                        seq += 1
                    seq -= 1
                    continue
            nlow += t.count(" ")
            if "," in t:  # a comma item has a space but is no word; most chunks hold none
                nlow -= t.count(",")
            if "\t" in t:
                nlow += t.count("\t")
            lower_words.append(t)
            prev_punct = bol = False
            continue
        if kind == PUNCT:
            pos = s + 1
            if t not in keep_punct:
                # Only these marks matter to the rules; the rest just separate names.
                prev_punct = t in sent_end
                bol = False
                continue
            append(Tok(t, s, pos, "punct", t, False, prev_punct, line, len(out), False, seq, bol))
            bol = False
            # The period of "Mr." or of an initial ("C. Lewis") does not end a sentence.
            prev_punct = t in sent_end and not (
                t == "." and len(out) >= 2 and out[-2].end == s and _is_abbreviation(out[-2].text)
            )
            continue
        pos = s + len(t)
        # Digits, ASCII marks and ASCII capitals: lower() folds them as casefold() would.
        if kind == NUM:
            append(Tok(t, s, pos, "num", t.lower(), False, prev_punct, line, len(out), False, seq, bol))
        elif kind == ACR:
            append(Tok(t, s, pos, "acr", t.lower(), True, prev_punct, line, len(out), False, seq, bol))
        # else an address: web and mail addresses hold no names worth listing
        prev_punct = bol = False
    if nlow:
        lower_count[line] = lower_count.get(line, 0) + nlow
    return out


def _is_abbreviation(word: str) -> bool:
    return word in ABBREVIATIONS or len(word) == 1 and word.isupper()


def tok_after(toks: list[Tok], t: Tok) -> Tok | None:
    """The token right after ``t``, or None when a skipped word (or nothing) follows."""
    i = t.idx + 1
    return toks[i] if i < len(toks) and toks[i].seq == t.seq + 1 else None


def tok_before(toks: list[Tok], t: Tok) -> Tok | None:
    """The token right before ``t``, or None when a skipped word (or nothing) precedes."""
    i = t.idx - 1
    return toks[i] if i >= 0 and toks[i].seq == t.seq - 1 else None


def line_is_caps(toks: list[Tok], nlower: int) -> bool:
    """All-caps lines (headlines, datelines) and Title Case headlines: every word is capitalised."""
    words = [t for t in toks if t.kind in ("word", "acr")]
    if not words:
        return False
    nwords = len(words) + nlower
    if len(words) / nwords < 0.6:
        return False  # both tests below need at least 60% of the words capitalised
    upper = sum(1 for t in words if t.kind == "acr" or (t.text.isupper() and len(t.text) > 1))
    if upper / nwords >= 0.6 and (upper >= 1 and nwords <= 3 or upper >= 2):
        return True
    if nwords >= 5:
        capped = sum(1 for t in words if t.cap)
        lower_fn = sum(1 for t in words if t.low in ("the", "of", "and", "in", "to", "a", "for") and not t.cap)
        common = sum(1 for t in words if t.cap and t.low in COMMON_WORDS and not t.sent_start)
        return nwords >= 6 and capped / nwords >= 0.85 and lower_fn <= 1 and common >= 2
    return False


