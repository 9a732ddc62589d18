"""Who said a quotation: attribution rules for news prose, no model.

Kept apart from ``tui.quotes`` (which finds the quoted spans) because naming
the speaker is a different problem: it reads the words around the marks
("said Patricia Kim, a fellow at ...", "she told VOA", "according to ..."),
finds the subject of the speech verb for partial quotes inside a sentence,
carries a speaker over a split or multi-paragraph quotation, and resolves
pronouns and surnames to the fullest name the story uses.  Entities from
``tui.entities``, when given, only help that last step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from tui.records import Entity

_VERBS = (
    "say|says|said|saying|tell|tells|told|telling|add|adds|added|adding|ask|asks|asked|asking|"
    "write|writes|wrote|writing|written|note|notes|noted|noting|explain|explains|explained|explaining|"
    "continue|continues|continued|declare|declares|declared|declaring|argue|argues|argued|arguing|"
    "insist|insists|insisted|insisting|reply|replies|replied|answer|answers|answered|respond|responds|"
    "responded|quip|quips|quipped|warn|warns|warned|warning|state|states|stated|tweet|tweets|tweeted|"
    "tweeting|remark|remarks|remarked|acknowledge|acknowledges|acknowledged|conclude|concludes|concluded|"
    "recall|recalls|recalled|recalling|observe|observes|observed|concede|concedes|conceded|joke|jokes|"
    "joked|joking|claim|claims|claimed|claiming|contend|contends|contended|suggest|suggests|suggested|"
    "suggesting|call|calls|called|calling|urge|urges|urged|urging|describe|describes|described|"
    "describing|predict|predicts|predicted|promise|promises|promised|promising|vow|vows|vowed|vowing|"
    "admit|admits|admitted|agree|agrees|agreed|complain|complains|complained|complaining|announce|"
    "announces|announced|assert|asserts|asserted|asserting|boast|boasts|boasted|boasting|charge|"
    "charges|charged|counter|counters|countered|demand|demands|demanded|emphasize|emphasizes|"
    "emphasized|emphasizing|lament|laments|lamented|maintain|maintains|maintained|mention|mentions|"
    "mentioned|proclaim|proclaims|proclaimed|recount|recounts|recounted|reiterate|reiterates|"
    "reiterated|report|reports|reported|scoff|scoffed|shout|shouts|shouted|shouting|stress|stresses|"
    "stressed|stressing|testify|testified|cry|cries|cried|read|reads|put|puts|chant|chants|chanted|"
    "chanting|post|posts|posted|pledge|pledges|pledged|accuse|accuses|accused|accusing|praise|"
    "praises|praised|blast|blasts|blasted|criticize|criticizes|criticized|slam|slams|slammed|"
    "deride|derided|dismiss|dismisses|dismissed|label|labels|labeled|labelled|labeling|brand|brands|branded|"
    "refer|refers|referred|promote|promoted|deny|denies|denied|believe|believes|believed|think|"
    "thinks|thought|feel|feels|felt|want|wants|wanted|hope|hopes|hoped|vowed|predicted|confirm|"
    "confirms|confirmed|speak|speaks|spoke|explains|cite|cites|cited|quote|quotes|quoted|insisted|"
    "recommend|recommends|recommended|advise|advises|advised|propose|proposes|proposed|"
    "sing|sings|sang|singing|fume|fumed|exclaim|exclaimed|exclaims|scream|screamed|yell|yelled|"
    "whisper|whispered|mutter|muttered|echo|echoed|echoing|interject|interjected|retort|retorted|"
    "snap|snapped|tout|touted|boast|pronounce|pronounced|envision|envisioned|rail|railed|mock|mocked|"
    "dub|dubs|dubbed|dubbing|speaking|yelling|screaming|thank|thanks|thanked|thanking|"
    "caution|cautions|cautioned|cautioning|plead|pleads|pleaded|pleading|beg|begged|confess|confessed|"
    "confide|confided|assure|assured|reassure|reassured|repeat|repeated|vent|vented|gush|gushed|"
    "grumble|grumbled|brag|bragged|wonder|wondered|wondering|marvel|marveled|marvelled|opine|opined|"
    "concur|concurred|estimate|estimated|inform|informed|lecture|lectured|lecturing|implore|implored|"
    "pointed out|points out|point out|went on|goes on|summed up|according to"
)
# plural nouns far more often than verbs next to a quotation ("the states suing")
_NOUNISH = frozenset("states remarks charges quotes posts notes answers counters demands promises hopes labels "
                     "brands cries puts reports".split())
_VERB_SET = frozenset(w for w in _VERBS.split("|") if " " not in w and w not in _NOUNISH)
_PHRASAL = {"pointed": "out", "points": "out", "point": "out", "went": "on", "goes": "on",
            "summed": "up", "according": "to", "shot": "back", "fired": "back", "hit": "back"}
_WORD_RE = re.compile(r"[A-Za-z]+")
_NON_WORD = re.compile(r"\W")
# A rule asking about at most this many characters of a line not scanned yet gets them
# scanned alone; a wider question scans (and keeps) the whole line.
_VERB_WINDOW = 400


class _Hit(NamedTuple):
    """A speech verb found in the text (a tuple: dozens per article, built cheaply)."""

    start: int
    end: int
    word: str


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a trie: much faster to scan than a flat list."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


_POSSESSIVE_BEFORE = re.compile(r"\w['’]s?\s$")
_CAPITALISED_VERBS = ("According", "Said", "Says", "Added", "Asked", "Stated", "Wrote", "Tweeted", "Adding", "Saying")
# "(?<!\w)" rather than "\b" in front: the same test before a letter, and it lets the regex
# engine skip ahead to candidate first letters instead of trying every position.
_VERB_RE = re.compile(
    r"(?<!\w)" + _trie_pattern(sorted(_VERB_SET | set(_PHRASAL) | set(_CAPITALISED_VERBS))) + r"\b"
)


def _verbs(text: str, lo: int, hi: int, line_end: int = -1) -> list[_Hit]:
    """Speech verbs in text[lo:hi].

    ``line_end`` (when past ``hi``): how far the second word of 'pointed out' may be looked
    for, so that a scan cut short at a word boundary finds what a scan to there finds.
    """
    bound = max(hi, line_end)
    out: list[_Hit] = []
    for m in _VERB_RE.finditer(text, lo, hi):
        w = m.group()
        if w[0].isupper():
            w = w.lower()  # only the listed sentence openers: 'Hope Hicks' stays a name
        if w in _VERB_SET:
            st = m.start()
            before = text[max(0, st - 4):st]
            if ("'" in before or "’" in before) and _POSSESSIVE_BEFORE.search(text, max(0, st - 4), st):
                continue  # 'Mrs. Clinton's remark': a noun after a possessive
            if w == "called" and text[max(0, st - 3):st] in ("so-", "so "):
                continue  # so-called: a scare quote, not speech
            out.append(_Hit(st, m.end(), w))
        elif w in _PHRASAL:
            nxt = _WORD_RE.match(text, m.end() + 1, bound)
            if nxt and nxt.group().lower() == _PHRASAL[w] and text[m.end()] == " ":
                out.append(_Hit(m.start(), nxt.end(), w + " " + _PHRASAL[w]))
    return out


# Verbs that may come before their subject right after a quotation: "X," said Y.
_INVERTING = re.compile(
    r"(?:said|says|added|adds|asked|asks|wrote|writes|continued|continues|explained|explains|noted|"
    r"notes|declared|argued|insisted|replied|answered|responded|quipped|warned|stated|tweeted|"
    r"remarked|acknowledged|concluded|recalled|observed|conceded|joked|countered|recounted|"
    r"according to|cried|shouted|added|read|reads|exclaimed|sang|sings|fumed|retorted|"
    r"echoed|interjected|snapped|wondered|wonders|recounted|tweets)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset("he she they we i it you who".split())
_TITLES = frozenset(
    """mr mrs ms miss dr sen senator rep representative gov governor president vice pres
    chancellor secretary minister premier king queen prince princess judge justice gen general
    lt col colonel maj major capt captain adm admiral sgt officer chief rev reverend father sister
    pope sheikh ambassador mayor commissioner director chairman chairwoman chair speaker leader
    spokesman spokeswoman spokesperson adviser advisor professor prof coach sir dame lord lady
    attorney lawyer candidate nominee deputy assistant acting former first lady congressman
    congresswoman councilman councilwoman sheriff detective inspector superintendent treasurer
    deputy economist analyst author host anchor correspondent founder ceo cfo coo pastor rabbi
    imam bishop cardinal archbishop dean provost chancellor ex presidential""".split()
)
# Capitalised words that open sentences or clauses and are not part of a name.
_NOT_NAME = frozenset(
    """a an the but and or so yet then now still also later earlier meanwhile however when while
    if as in on at for from after before during since last this that these those there here
    asked speaking according adding saying it its he she they we i you his her their our my your what why how
    who where which one some many most both each every no not yes well oh because although though
    despite with without by of to into over under about like unlike instead once even just only
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tomorrow tonight
    do does did is are was were has have had will would can could should must might""".split()
)
_CAP = r"(?:[A-Z][\w’'.-]*|[A-Z]\.)"
_PARTICLE = r"(?:de|da|del|della|di|van|von|der|den|bin|al|la|le|du|dos|das|ibn|y|el)"
# a run of capitalised words, particles allowed inside: 'Luiz Inacio Lula da Silva'
_NAME = r"%s(?:[ \u00a0]+(?:%s[ \u00a0]+)?%s)*" % (_CAP, _PARTICLE, _CAP)
_PAREN = r"(?:[ \u00a0]*\([^()]{1,40}\))?"
_NAME_RUN = re.compile(_NAME)
_MULTI_NAME_RUN = re.compile(_CAP + r"(?:[ \u00a0]+(?:" + _PARTICLE + r"[ \u00a0]+)?" + _CAP + ")+")
_NAME_AT_END = re.compile(
    r"(?P<np>" + _NAME + ")" + _PAREN + r"[\s,]*$"
)
_NAME_AT_START = re.compile(
    r"\s*(?P<np>" + _NAME + ")"
)
_DASH_NAME = re.compile(
    r"[\s.,]*(?:―|—|–|--|-)\s*(?P<np>" + _NAME + r")\s*[.,]?\s*$"
)
_DET = (
    r"(?:the|a|an|his|her|their|its|our|one|another|this|that|these|those|some|many|most|two|three|"
    r"several|[A-Z][\w.-]*['’]s?)"
)
_NP_AT_END = re.compile(r"\b(?P<np>%s(?:,?\s+[\w’'-]+){1,6})\s*,?\s*$" % _DET, re.IGNORECASE)
_NP_AT_START = re.compile(
    r"\s*(?P<np>(?:the|a|an|his|her|their|its|one|another|two|three|several|some|many)(?:\s+[\w’'.-]+){1,6}?)"
    r"(?=\s*(?:[,;:.!?(]|\s(?:who|which|that|in|at|on|to|with|during|after|before|while|when|as|for|of)\b|$))",
    re.IGNORECASE,
)
_PRONOUN_AT_END = re.compile(
    r"\b(?P<np>he|she|they|we|I|it|you|who)(?:['’](?:s|d|ve|re|ll))?\s*,?\s*$", re.IGNORECASE
)
_PRONOUN_AT_START = re.compile(r"\s*(?P<np>he|she|they|we|I)\b(?!['’])", re.IGNORECASE)
# Words that cannot end or fill a speaker noun phrase ("his list by", "a single").
_FUNCTION = frozenset(
    """by to of in on at for from with into onto over under about after before during than as
    and or but nor that which who whom whose what when where why how if because while though
    although so not no is was were are be been being has had have do does did will would can
    could should may might must very too also just only even it its single same such other more
    most less least all any each every both either neither own this these those there here through
    across against among around behind below beneath beside between beyond near toward towards upon
    within without via per outside inside throughout along amid""".split()
)
_LAST_WORD = re.compile(r"([\w’'-]+)\s*$")
_INNER_OK = frozenset("of for at from in on with and".split())
_ING = re.compile(r"(?:saying|adding|noting|arguing|asking|telling|writing|explaining|declaring|insisting|"
                  r"warning|asserting|claiming|suggesting|urging|describing|calling|recalling|tweeting|"
                  r"stressing|complaining|boasting|promising|joking|responding|replying|answering|"
                  r"continuing|concluding|acknowledging|admitting|posting|chanting|shouting|echoing|"
                  r"quoting|citing|reading)$", re.IGNORECASE)
_CLAUSE_OPENER = frozenset(
    """in on at after before when while as during despite since with without for from by if although
    though because once asked speaking according unlike like amid following""".split()
)
_NAME_COLON = re.compile(
    r"(?P<np>" + _NAME + ")" + _PAREN + r"\s*(?::|--|—)\s*$"
)
_NAME_COMMA_START = re.compile(
    r"\s*(?P<np>" + _NAME + ")" + _PAREN + r"\s*,\s+(?:a|an|the|who|[a-z]+['’]s|[A-Z][\w.]*['’]s)\b"
)
# 'said former Obama adviser David Axelrod': lowercase modifiers, then the name
_MODIFIED_NAME = re.compile(
    r"\s*(?:(?!(?:on|in|at|to|for|with|of|from|by|during|after|before|that|this|the|a|an|and|but|as|"
    r"he|she|they|it|we|i|who|which|when|while|if|because)\b)[^\s,;:.“”\"]+\s+){0,4}?"
    r"(?P<np>" + _NAME + r")(?=\s*(?:\([^()]{1,40}\))?\s*(?:[,.;:!?]|$))"
)
_SUBJECT_VERB = re.compile(r"(?:\s*\([^()]{1,40}\))?\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b")
_RELATIVE_AT_END = re.compile(r",\s+(?:who|which)\b[^,“”\"]{1,140},\s*$")
_NOT_MARK_OR_SPACE = re.compile(r"[^\s\"'“”‘’`]")
# lines longer than this are not prose paragraphs; rules look no further along them
_MAX_LINE = 8000
_THAT = re.compile(r"\bthat\b|:")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\s+$")
_BY_AGENT = re.compile(r"\s+by\b")
_PAST_VERB = re.compile(r"[a-z]+ed\b")
_NEXT_WORDS = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?([a-z]+)(?:\s+([a-z]+))?")
_AUX = frozenset("""is was has had will would did does told said says wrote sang spoke put
    began went took gave made came held left kept felt thought""".split())
_ADVERB_WORDS = frozenset("also then later once still never just again first previously recently".split())


def _verb_follows(text: str, pos: int, hi: int, present: bool = False) -> bool:
    """Does a verb come next ('Toomey fumed', 'Trump returned', 'she quickly added')?
    ``present`` also takes any word in -s ('she yells'), safe only right after a quotation."""
    m = _NEXT_WORDS.match(text, pos, hi)
    if not m:
        return False
    first, second = m.group(1), m.group(2)
    if first.endswith("ly") or first in _ADVERB_WORDS:
        if not second:
            return False
        first = second
    return first.endswith("ed") or first in _VERB_SET or first in _AUX or (present and first.endswith("s"))


_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|then|once|has|had|have|would|will|could|recently|previously|reportedly|"
    r"publicly|repeatedly|often|frequently|famously|simply|flatly|bluntly|quickly|initially|"
    r"first|further|again|himself|herself|themselves|privately|openly|separately|did|does|do|"
    r"not|never|even|just|only|already|still|has\s+long|long|since|been|is|was|were|are|"
    r"has\s+been|had\s+been|explicitly|specifically|famously|memorably|infamously|[a-z]+ed\s+and|"
    r"(?:on\s+|last\s+|this\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year)"
    r"(?:\s+(?:morning|afternoon|evening|night))?|yesterday|today|tonight))+\s*$",
    re.IGNORECASE,
)
# last words a run of _ADVERBS can end on (checked before running the regex)
_ADVERB_ENDINGS = frozenset(
    """also later then once has had have would will could recently previously reportedly publicly repeatedly
    often frequently famously simply flatly bluntly quickly initially first further again himself herself
    themselves privately openly separately did does do not never even just only already still long since
    been is was were are explicitly specifically memorably infamously and monday tuesday wednesday thursday
    friday saturday sunday week month year morning afternoon evening night yesterday today tonight""".split()
)
_APPOSITIVE = re.compile(
    r"(?P<np>" + _NAME + ")" + _PAREN + r",[^“”\"]{2,260}?,\s*$"
)
# What follows a sentence end: "[\"”'’]?\s+[\"“'‘`A-Z(]" as a regex.  Tested character by
# character (see _ends_sentence): a regex search per mark costs several times more.
_WORD_LEAD = "\"'“‘("  # marks _abbreviation_before strips from the front of a word
_QUOTE_AFTER_END = "\"”'’"
_SENTENCE_OPENERS = "\"“'‘`("
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st jr sr rep reps sen sens gov gen lt col sgt capt adm prof rev mt ft no vs
    jan feb mar apr jun jul aug sep sept oct nov dec inc corp co ltd gov atty supt cmdr pres
    ariz calif colo conn fla ga ill ind kan ky la mass md mich minn miss mo mont neb nev okla ore
    pa tenn tex va vt wash wis wyo""".split()
)
_POSSESSIVE = re.compile(r"['’]s?$")
# Patterns the rules apply to short stretches; compiled here, as re.match(str) looks
# each one up in re's cache on every call.
_FIRST_WORD = re.compile(r"\s*([\w’'-]+)")
_COMMA_SPACE = re.compile(r",\s")
_LEADING_PUNCT = re.compile(r"[\s,.;:!?—–-]*")
_INTRODUCING_END = re.compile(r"(?:[,:—]|--)\s*$")
_LETTER_NEXT = re.compile(r"\s*[A-Za-z]")
_CLAUSE_CLOSED = re.compile(r"[,:—–-]\s*$")
_ONLY_PUNCT = re.compile(r"[\s,:]*$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")


def bisect_ints(xs: list[int], x: int) -> int:
    """bisect.bisect_left for a list of ints: compiled, a few loop steps cost less than the
    call into the bisect module (made thousands of times per text)."""
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _sentence_ends_outside(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> list[int]:
    """Offsets just after each sentence-ending mark in text[lo:hi] that no quote holds.

    ``spans`` (opening mark, after closing mark) are in text order. A mark belongs to
    the quote opened last before it, so only the stretches from the end of one quote
    to the opening of the next are searched: the marks inside quotes (a good part of
    them) cost nothing.
    """
    found = _sentence_end_candidates(text, lo, hi)
    out: list[int] = []
    a = lo
    for k in range(len(spans) + 1):
        b = spans[k][0] if k < len(spans) else hi
        if a < b:
            for pos in found[bisect_ints(found, a):bisect_ints(found, b)]:
                if text[pos] == "." and _abbreviation_before(text, pos):
                    continue
                out.append(pos + 1)  # the candidate is one character
        if k < len(spans):
            a = max(lo, spans[k][0], spans[k][1])
    return out


def _sentence_end_candidates(text: str, lo: int, hi: int) -> list[int]:
    """Offsets of the '.', '!' and '?' in text[lo:hi] that a new sentence may follow, in order."""
    found: list[int] = []
    others = False
    for mark in ".!?":
        i = text.find(mark, lo, hi)
        if i >= 0 and mark != ".":
            others = True  # most texts have no '!' or '?' at all: no sort needed
        while i >= 0:
            if _ends_sentence(text, i + 1, hi):
                found.append(i)
            i = text.find(mark, i + 1, hi)
    if others:
        found.sort()
    return found


def _ends_sentence(text: str, q: int, hi: int) -> bool:
    """Does text[q:hi] open like the rest of a sentence end: an optional closing quote, white
    space, then a capital, an opening quote or a parenthesis?  Nothing past ``hi`` is read."""
    if q < hi and text[q] in _QUOTE_AFTER_END:
        q += 1
    if q >= hi or not text[q].isspace():
        return False
    q += 1
    while q < hi and text[q].isspace():
        q += 1
    if q >= hi:
        return False
    c = ord(text[q])
    return 65 <= c <= 90 or text[q] in _SENTENCE_OPENERS  # A-Z


def _abbreviation_before(text: str, pos: int) -> bool:
    """Is the full stop at text[pos] the end of an abbreviation or an initial ('Mr.', 'U.S.', 'J.')?"""
    start = max(0, pos - 20)
    if pos <= start or text[pos - 1].isspace():
        return False
    # the last word of text[start:pos] (what rsplit(None, 1)[-1] gives), found by a walk back
    # over its characters rather than a slice and a split of the whole stretch
    i = pos - 1
    while i >= start and not text[i].isspace():
        if text[i] == ".":
            return True  # a full stop inside the word: 'U.S.', 'p.m.'
        i -= 1
    if pos - i > 6 and text[i + 1] not in _WORD_LEAD:
        return False  # the common case: a word of six characters or more, longer than any abbreviation
    word = text[i + 1:pos].lstrip(_WORD_LEAD)
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


class Attribution:
    """Speaker of one quote: canonical name and the mention it rests on.  Never changed once made.

    A plain slotted class rather than a frozen dataclass: compiled with mypyc, the
    dataclass's generated __init__ runs as interpreted Python; this one is native.
    """

    __slots__ = ("name", "start", "end", "pronoun", "rule")

    def __init__(self, name: str | None = None, start: int | None = None, end: int | None = None,
                 pronoun: bool = False, rule: str = "verb") -> None:
        self.name = name
        self.start = start
        self.end = end
        self.pronoun = pronoun
        # how it was found: "verb" (a speech verb next to the quote), "colon", "subject"
        # (sentence subject of an introduced quote), "neighbour" (another quote's speaker)
        self.rule = rule

    def found_by(self, rule: str) -> Attribution:
        """The same attribution, found by another rule."""
        return Attribution(self.name, self.start, self.end, self.pronoun, rule)

    def __repr__(self) -> str:
        return f"Attribution({self.name!r}, {self.start}, {self.end}, {self.pronoun}, {self.rule!r})"


_NONE = Attribution()


def _tokens(name: str) -> list[str]:
    return name.split()


# Pure and called for every capitalised run of every text; the same names recur across articles.
@lru_cache(maxsize=8192)
def _strip_titles(name: str) -> str:
    """'Chinese President Xi Jinping' -> 'Xi Jinping'; 'Mr. Burman' -> 'Burman'."""
    toks = _tokens(name)
    while toks and toks[0].lower().strip(".,") in _NOT_NAME:
        toks.pop(0)
    last_title = -1
    for k, tok in enumerate(toks):
        if tok.lower().strip(".,’'") in _TITLES:
            last_title = k
    if 0 <= last_title < len(toks) - 1:
        toks = toks[last_title + 1:]
    return " ".join(toks)


# Pure, and the same few names come back for every quote of a story.
@lru_cache(maxsize=8192)
def _name_tokens(mention: str) -> tuple[str, ...] | None:
    """The words of a mention without titles or a possessive; None when it names nobody."""
    toks = _tokens(_strip_titles(mention.strip(" ,")))
    if toks:
        toks[-1] = _POSSESSIVE.sub("", toks[-1])
    toks = [t for t in toks if t]
    if not toks:
        return None
    if toks[0].lower() in _PRONOUNS and len(toks) == 1:
        return None
    return tuple(toks)


def _np_head(np: str) -> str:
    """'the band leader called Democratic bigwigs' -> 'the band leader'."""
    words = np.split(" ")
    for k, w in enumerate(words[1:], 1):
        lw = w.lower()
        if lw in _VERB_SET or lw in _FUNCTION or (k >= 2 and lw.endswith("ed") and w.islower()):
            return " ".join(words[:k])
    return np


def _plausible_np(np: str) -> bool:
    """'the president', 'a spokesman for the campaign' yes; 'his list by', 'that the' no."""
    words = np.split()
    if len(words) < 2 or words[0].lower() in ("that", "this", "these", "those"):
        return False
    last = words[-1].lower().strip(",.")
    if last in _FUNCTION or last in _PRONOUNS:
        return False
    return all(w.lower() not in _FUNCTION or w.lower() in _INNER_OK for w in words[1:-1])


class SpeakerResolver:
    """Attributes the quotes of one text; holds per-text state only."""

    def __init__(self, text: str, entities: Sequence[Entity] | None,
                 spans: list[tuple[int, int]], limit: int | None = None) -> None:
        self.text = text
        # whole-text scans (names, verbs, sentence ends) stop here; verbs and sentence
        # ends are never needed further than a few paragraphs before the first quote
        self.limit = len(text) if limit is None else min(limit, len(text))
        self.scan_lo = max(0, spans[0][0] - 3000) if spans else 0
        self.spans = spans  # (opening mark, after closing mark) per quote
        self.memo: dict[int, Attribution] = {}
        self.direct: dict[int, Attribution] = {}
        self.dropped: set[int] = set()
        self._resolving = False
        self._span_starts = [a for a, _ in spans]
        self._ends: list[int] | None = None
        # speech verbs per line (keyed by the line's start), scanned when a rule first asks:
        # the rules read the lines around quotes, often under half of the text
        self._verb_lines: dict[int, list[_Hit]] = {}
        # surnames of the people the entity extractor found: see _person_surnames
        self._persons: frozenset[str] | None = None
        # the line (paragraph) bounds around an offset, asked by several rules per quote
        self._paragraphs: dict[int, tuple[int, int]] = {}
        # the entity extractor's canonical name for the mention ending at an offset
        self.entity_at: dict[int, str] = {}
        at = self.entity_at  # a local: some forty mentions per story
        for e in entities or ():
            try:
                if e.type in ("person", "organization") and isinstance(e.name, str) and e.name.strip():
                    name = e.name
                    for m in e.mentions:
                        end = m.end
                        if isinstance(end, int) and end not in at:
                            at[end] = name  # the first entity naming this mention keeps it
            except AttributeError:
                continue
        self._entities = entities
        self._indexed = False

    # ------------------------------------------------------------------ names
    def _person_surnames(self) -> frozenset[str] | None:
        """Surnames of the people the entity extractor found; None when it was not asked.

        Built on first use: only the last resort of pronoun resolution asks.
        """
        if not self._entities:
            return None
        if self._persons is None:
            self._persons = frozenset(
                e.name.split()[-1].lower() for e in self._entities
                if getattr(e, "type", None) == "person" and isinstance(getattr(e, "name", None), str) and e.name.split()
            )
        return self._persons

    def _index_names(self, entities: Sequence[Entity] | None) -> None:
        """Fullest name per surname (and per first token for 'Xi' -> 'Xi Jinping')."""
        by_last: dict[str, tuple[int, str]] = {}
        by_first: dict[str, tuple[int, str]] = {}

        def add(name: str) -> None:
            toks = name.split()
            if len(toks) < 2:
                return
            if "'" in name or "’" in name:
                toks = [_POSSESSIVE.sub("", t) for t in toks]
                if not all(toks):
                    return
            n = len(toks)
            last, first = toks[-1].lower(), toks[0].lower()
            if by_last.get(last, (0, ""))[0] < n:
                by_last[last] = (n, " ".join(toks))
            if by_first.get(first, (0, ""))[0] < n:
                by_first[first] = (n, " ".join(toks))

        for ent in entities or ():
            try:
                if ent.type in ("person", "organization") and isinstance(ent.name, str):
                    add(ent.name)
            except AttributeError:
                continue
        # names inside quotations are not the story's people as often; still useful
        # A name the story repeats adds nothing the second time (add keeps the first of
        # equally long names), so each distinct run, then each distinct name, is added once.
        runs = dict.fromkeys(_MULTI_NAME_RUN.findall(self.text, 0, self.limit))
        for name in dict.fromkeys([_strip_titles(run) for run in runs]):
            add(name)
        self.by_last = {k: v for k, (_, v) in by_last.items()}
        self.by_first = {k: v for k, (_, v) in by_first.items()}

    def canonical(self, mention: str) -> str | None:
        """The fullest name the story uses for a mention: 'Mr. Burman' -> 'Leonard E. Burman'."""
        toks = _name_tokens(mention)
        return None if toks is None else self._fullest(mention, toks)

    def _fullest(self, mention: str, toks: tuple[str, ...]) -> str:
        """``canonical`` once the mention is known to name someone (``_name_tokens`` not None).

        Apart from ``canonical`` so that ``_make`` can skip it, and with it the name index
        (a scan of the whole text), when the entity extractor already named the mention.
        """
        if not toks[0][:1].isupper():
            return mention.strip(" ,")
        if not self._indexed:
            self._index_names(self._entities)
            self._indexed = True
        if len(toks) == 1:
            key = toks[0].lower()
            return self.by_last.get(key) or self.by_first.get(key) or toks[0]
        full = " ".join(toks)
        longer = self.by_last.get(toks[-1].lower())
        if longer and len(_tokens(longer)) > len(toks) and longer.endswith(full):
            return longer
        return full

    # ------------------------------------------------------------------ helpers
    def _paragraph(self, pos: int) -> tuple[int, int]:
        """The line holding ``pos``; a line longer than prose is cut to a window around it."""
        got = self._paragraphs.get(pos)
        if got is None:
            floor = max(0, pos - _MAX_LINE)
            lo = self.text.rfind("\n", floor, pos)
            lo = floor if lo < 0 else lo + 1
            hi = self.text.find("\n", pos, pos + _MAX_LINE)
            got = self._paragraphs[pos] = (lo, (min(len(self.text), pos + _MAX_LINE) if hi < 0 else hi))
        return got

    def _all_sentence_ends(self) -> list[int]:
        if self._ends is None:
            hi = min(len(self.text), self.limit + 3)
            self._ends = _sentence_ends_outside(self.text, self.scan_lo, hi, self.spans)
        return self._ends

    def _sentence_ends(self, lo: int, hi: int) -> list[int]:
        """Offsets just after each sentence-ending mark in text[lo:hi], outside quotes."""
        ends = self._all_sentence_ends()
        a = bisect_ints(ends, lo + 1)
        b = bisect_ints(ends, hi + 1)
        return ends[a:b]

    def _verbs_in(self, lo: int, hi: int) -> list[_Hit]:
        """Speech verbs in text[lo:hi] (only within text[scan_lo:limit]).

        No verb match spans a line break, so scanning line by line finds exactly what
        one pass over text[scan_lo:limit] finds. A short stretch of one line is scanned
        alone; a longer question scans each line it touches once and keeps the verbs.
        """
        text = self.text
        limit = self.limit
        end = min(hi, limit)
        a = max(lo, self.scan_lo)
        if a >= end:
            return []
        first = a
        a = text.rfind("\n", 0, a) + 1  # start of the line holding a
        lines = self._verb_lines
        b = text.find("\n", a, limit)
        if b < 0:
            b = limit
        if end <= b and end - first <= _VERB_WINDOW and a not in lines:
            # Most rules ask about a clause next to a quote, a small part of its line.
            # Cut at the first non-word character from ``end`` on, the scan finds what the
            # line's scan finds there: no verb spans that cut.
            m = _NON_WORD.search(text, end, b)
            return [v for v in _verbs(text, first, m.start() if m else b, b) if v.end <= hi]
        out: list[_Hit] = []
        while a < end:
            b = text.find("\n", a, limit)
            if b < 0:
                b = limit
            hits = lines.get(a)
            if hits is None:
                hits = lines[a] = _verbs(text, max(a, self.scan_lo), b)
            out.extend([v for v in hits if lo <= v.start < hi and v.end <= hi])
            a = b + 1
        return out

    def _sentence_start(self, lo: int, pos: int) -> int:
        """Start of the sentence holding ``pos``, not looking before ``lo``."""
        # the last of _sentence_ends(lo, pos), without building that list
        ends = self._all_sentence_ends()
        b = bisect_ints(ends, pos + 1)
        return ends[b - 1] if b and ends[b - 1] >= lo + 1 else lo

    def _inside_quote(self, pos: int) -> bool:
        k = bisect_ints(self._span_starts, pos + 1) - 1
        return k >= 0 and pos < self.spans[k][1]

    def _make(self, np: str, start: int, pronoun: bool = False) -> Attribution:
        raw = np.rstrip(" ,")
        last = raw.rsplit(None, 1)[-1] if raw.strip() else ""
        if raw.endswith(".") and len(last) > 2 and "." not in last[:-1] and last[:-1].lower() not in _ABBREVIATIONS:
            raw = raw[:-1]
        end = start + len(raw)
        lead = len(raw) - len(raw.lstrip())
        start += lead
        raw = raw.strip()
        if pronoun or raw.lower() in _PRONOUNS:
            return Attribution(self._resolve_pronoun(raw, start), start, end, True)
        toks = _name_tokens(raw)
        if toks is None:
            return _NONE
        # 'Mrs. Clinton' folded into 'Hillary Clinton' by the entity extractor; asked first
        # because it nearly always answers, and the story's own fullest name costs a text scan
        known = self.entity_at.get(end) if raw[:1].isupper() else None
        name = known if known is not None else self._fullest(raw, toks)
        if raw[:1].isupper():
            # point at the name itself, not at 'South Korean President' before it
            bare = _strip_titles(raw)
            if bare[:1].isupper() and raw.endswith(bare) and len(bare) < len(raw):
                start = end - len(bare)
        return Attribution(name, start, end)

    def _resolve_pronoun(self, pron: str, pos: int) -> str | None:
        """'he said' -> the nearest earlier named speaker (a quote's or a speech verb's subject)."""
        if pron.lower() not in ("he", "she", "i"):
            return None
        best_pos, best = -1, None
        for k in sorted(self.memo, reverse=True):
            a = self.memo[k]
            if k in self.dropped or a.start is None or a.start >= pos or not a.name:
                continue
            if a.name[:1].isupper() and a.name.split()[0].lower() not in _NOT_NAME:
                best_pos, best = a.start, a.name  # a proper name, not 'The minister'
                break
        lo = max(0, pos - 1500, best_pos)
        if self._resolving:
            return best
        self._resolving = True
        try:
            for v in reversed(self._verbs_in(lo, pos)[-8:]):
                if self._inside_quote(v.start):
                    continue
                got = self._subject_before(self._sentence_start(self._paragraph(v.start)[0], v.start), v.start)
                if (got and not got.pronoun and got.name and got.name[:1].isupper() and got.start is not None
                        and got.name.split()[0].lower() not in _NOT_NAME):
                    if got.start > best_pos:
                        return got.name
                    break
        finally:
            self._resolving = False
        # 'Sen. Claire McCaskill (D-Mo.) scolded him: "..." she said': a named subject
        found_subject = None
        for m in _NAME_RUN.finditer(self.text, max(0, pos - 1500, best_pos + 1), pos):
            stripped = _strip_titles(m.group())
            if len(_tokens(stripped)) >= 2 and not stripped.isupper() and not self._inside_quote(m.start()):
                if _SUBJECT_VERB.match(self.text, m.end(), pos):
                    found_subject = stripped
        if found_subject is not None:
            return self.canonical(found_subject)
        if best is not None:
            return best
        # the nearest multi-word name before the pronoun
        found = None
        for m in _NAME_RUN.finditer(self.text, max(0, pos - 1500), pos):
            stripped = _strip_titles(m.group())
            if len(_tokens(stripped)) >= 2 and not stripped.isupper() and not self._inside_quote(m.start()):
                persons = self._person_surnames()
                if persons is None or stripped.split()[-1].lower() in persons:
                    found = stripped
        return self.canonical(found) if found else None

    # ------------------------------------------------------------------ rules
    def _opens_clause(self, lo: int, pos: int) -> bool:
        """Does text[pos] start a clause ('," said Weitz', 'According to')? Then a verb may
        come before its subject; elsewhere 'asked the crowd' names the one spoken to."""
        before = self.text[max(lo, pos - 6):pos].rstrip()
        return not before or before[-1] in ",”\"'’—–-:;(" or pos <= lo

    def _after_verb(self, lo: int, pos: int) -> bool:
        """Is text[pos] the addressee of a speech verb ('telling Breitbart London:')?"""
        m = _LAST_WORD.search(self.text, max(lo, pos - 30), pos)
        return bool(m and m.group(1).lower() in _VERB_SET)

    def _after_preposition(self, lo: int, pos: int) -> bool:
        """Is text[pos] the object of a preposition ('to the Observer', 'on Iowa TV')?"""
        m = _LAST_WORD.search(self.text, max(lo, pos - 30), pos)
        if m and m.group(1).lower() in ("the", "a", "an"):
            m = _LAST_WORD.search(self.text, max(lo, m.start() - 30), m.start())
        return bool(m and m.group(1).lower() in _FUNCTION)

    def _subject_before(self, lo: int, verb_start: int) -> Attribution | None:
        """The speaker named right before a speech verb: 'Kim said', 'Liu, a spokesman, told'."""
        lo = max(lo, verb_start - 320)
        head = self.text[lo:verb_start]
        last_word = head.rsplit(None, 1)[-1].lower() if head.strip() else ""
        m = _ADVERBS.search(head, max(0, len(head) - 80)) if last_word in _ADVERB_ENDINGS else None
        if m:
            head = head[: m.start()]
        if not head.strip():
            return None
        m = _PRONOUN_AT_END.search(head, max(0, len(head) - 24))
        if m:
            return self._make(m.group("np"), lo + m.start("np"), pronoun=True)
        m = _RELATIVE_AT_END.search(head, max(0, len(head) - 160)) if head.rstrip().endswith(",") else None
        if m:
            # 'One Club for Growth ad, which is currently airing, argues': skip the relative clause
            head = head[:m.start()]
        name_at_end: tuple[str, int] | None = None
        m = _NAME_AT_END.search(head, max(0, len(head) - 140))
        if m and _tokens(m.group("np")):
            np = m.group("np")
            start = lo + m.start("np")
            # drop sentence openers glued to the name: "But Trump", "In Washington"
            toks = _tokens(np)
            while len(toks) > 1 and toks[0].lower().strip(".,") in _NOT_NAME:
                start += self.text.find(toks[1], start) - start
                toks.pop(0)
            np = " ".join(toks)
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                tail = head[m.end("np"):]
                if "," not in tail or not (head.rstrip().endswith(",") and _APPOSITIVE.search(head)):
                    return self._make(np, start)
                name_at_end = (np, start)
        m = _APPOSITIVE.search(head) if head.rstrip().endswith(",") else None
        if m and self._after_preposition(lo, lo + m.start("np")):
            m = None
        if m is None and name_at_end is not None:
            return self._make(*name_at_end)
        if m:
            np = m.group("np")
            toks = _tokens(np)
            start = lo + m.start("np")
            while len(toks) > 1 and toks[0].lower().strip(".,") in _NOT_NAME:
                start = self.text.find(toks[1], start)
                toks.pop(0)
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(" ".join(toks), start)
        m = _NP_AT_END.search(head, max(0, len(head) - 120))
        if m and _plausible_np(m.group("np")):
            prev = _LAST_WORD.search(head, 0, m.start("np"))
            if prev is None or prev.group(1).lower() not in _FUNCTION:
                return self._make(m.group("np"), lo + m.start("np"))
        return None

    def _sentence_subject(self, start: int, pos: int) -> Attribution | None:
        """Subject of the sentence text[start:pos], for 'X rallied supporters, saying: "..."'."""
        seg = self.text[start:pos]
        offs = [0]
        first = _FIRST_WORD.match(seg)
        if first and first.group(1).lower() in _CLAUSE_OPENER:
            # 'On July 6, 2015, Sanders made ...': the subject follows an opening phrase
            offs = [m.end() for m in _COMMA_SPACE.finditer(seg[:200])][:3]
        else:
            offs += [m.end() for m in _COMMA_SPACE.finditer(seg[:120])][:2]
        first_found = None
        for off in offs:
            got = self._subject_at(seg, start, off)
            if got is None or got.end is None:
                continue
            # 'Hours later, Trump returned the compliment': the NP a verb follows is the subject
            if _verb_follows(self.text, got.end, pos):
                return got
            if first_found is None:
                first_found = got
        return first_found

    def _subject_at(self, seg: str, start: int, off: int) -> Attribution | None:
        m = _PRONOUN_AT_START.match(seg, off)
        if m:
            return self._make(m.group("np"), start + m.start("np"), pronoun=True)
        m = _NAME_AT_START.match(seg, off)
        if m:
            toks = _tokens(m.group("np"))
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(m.group("np"), start + m.start("np"))
        m = _NP_AT_START.match(seg, off)
        if m and _plausible_np(_np_head(m.group("np"))):
            return self._make(_np_head(m.group("np")), start + m.start("np"))
        return None

    def _object_after(self, pos: int, hi: int) -> Attribution | None:
        """The speaker named after an inverted verb: 'said Patricia Kim, a fellow'."""
        m = _MODIFIED_NAME.match(self.text, pos, hi)
        if m:
            toks = _tokens(m.group("np"))
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(m.group("np"), m.start("np"))
        m = _NAME_AT_START.match(self.text, pos, hi)
        if m:
            toks = _tokens(m.group("np"))
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(m.group("np"), m.start("np"))
        m = _PRONOUN_AT_START.match(self.text, pos, hi)
        if m:
            return self._make(m.group("np"), m.start("np"), pronoun=True)
        m = _NP_AT_START.match(self.text, pos, hi)
        if m and _plausible_np(m.group("np")):
            return self._make(m.group("np"), m.start("np"))
        return None

    def _after(self, idx: int) -> Attribution | None:
        """'X," said Y' / 'X," Y said' / 'X," she told VOA'."""
        _, close_end = self.spans[idx]
        lo, hi = self._paragraph(close_end)
        nxt = self.spans[idx + 1][0] if idx + 1 < len(self.spans) else hi
        hi = min(hi, nxt, close_end + 300)
        seg = self.text[close_end:hi]
        dash = _DASH_NAME.match(seg)
        if dash:
            toks = _tokens(dash.group("np"))
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(dash.group("np"), close_end + dash.start("np"))
        m = _LEADING_PUNCT.match(seg)
        off = close_end + (m.end() if m else 0)
        # sentence end inside the segment bounds the clause
        ends = self._sentence_ends(off, hi)
        cl_hi = ends[0] - 1 if ends else hi
        inv = _INVERTING.match(self.text, off, cl_hi)
        if inv:
            got = self._object_after(inv.end(), cl_hi)
            if got:
                return got
        # a quotation closed on a full stop may be followed by a new sentence ('She noted a
        # planned rally'): a verb there counts only when little follows it ('Trump said.')
        new_sentence = self.text[max(0, close_end - 3):close_end].rstrip("\"'”’ ").endswith(".") and (
            self.text[off:off + 1].isupper())
        for vm in self._verbs_in(off, min(cl_hi, off + 200)):
            if vm.start - off > 160:
                break
            if new_sentence:
                rest = self.text[vm.end:cl_hi]
                if len(rest.split()) > 6 or _THAT.search(rest):
                    continue
            if vm.start > off and _INVERTING.fullmatch(vm.word) and self._opens_clause(off, vm.start):
                # '"drew well" in the 2008 primary, said professor Paul Beck.'
                got = self._object_after(vm.end, cl_hi)
                if got:
                    return got
            got = self._subject_before(off, vm.start)
            if got:
                return got
        # '"X," Toomey fumed.' / '"X," Murphy, the head of Y, tweeted': after a quotation
        # that ends on a comma, a name followed by a verb or an appositive is the speaker
        inner_end = self.text[max(0, close_end - 3):off]
        if "," in inner_end or "?" in inner_end or "!" in inner_end:
            m = _NAME_COMMA_START.match(self.text, off, cl_hi)
            if m:
                toks = _tokens(m.group("np"))
                if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                    return self._make(m.group("np"), m.start("np"))
            for pat in (_PRONOUN_AT_START, _NAME_AT_START, _NP_AT_START):
                m = pat.match(self.text, off, cl_hi)
                if not m:
                    continue
                np = m.group("np")
                toks = _tokens(np)
                if pat is _NAME_AT_START and (not toks or toks[0].lower().strip(".,") in _NOT_NAME):
                    continue
                if pat is _NP_AT_START:
                    # 'the Republican vice-presidential nominee riffed': the shortest NP a verb follows
                    words = np.split(" ")
                    for k in range(2, len(words) + 1):
                        head = " ".join(words[:k])
                        end = m.start("np") + len(head)
                        if _plausible_np(head) and _verb_follows(self.text, end, cl_hi, present=True):
                            return self._make(head, m.start("np"))
                    continue
                if _verb_follows(self.text, m.end("np"), cl_hi, present=True):
                    return self._make(np, m.start("np"), pronoun=pat is _PRONOUN_AT_START)
            # '"This is fantastic!" beamed Donald Hartley': an unlisted verb, then the name
            m = _PAST_VERB.match(self.text, off, cl_hi)
            if m:
                got = self._object_after(m.end(), cl_hi)
                if got is not None and not got.pronoun:
                    return got
        return None

    def _before(self, idx: int) -> Attribution | None:
        """'Y said: "X' / 'said Y, "X' / 'Y called for "X"'."""
        open_pos, _ = self.spans[idx]
        lo, _ = self._paragraph(open_pos)
        k = idx - 1
        while k >= 0 and k in self.dropped and self.spans[k][0] >= lo:
            k -= 1  # a dropped title ('a class called "Perception"') does not cut the clause
        floor = max(lo, self.spans[k][1]) if k >= 0 else lo
        start = self._sentence_start(floor, open_pos)
        got = self._clause_speaker(start, open_pos)
        if got is None and open_pos - start > 3 and _INTRODUCING_END.search(self.text[start:open_pos]):
            # 'Hillary shot back, "..."': an introduced quotation belongs to the sentence subject
            words = len(self.text[self.spans[idx][0]:self.spans[idx][1]].split())
            if words >= 3:
                got = self._sentence_subject(start, open_pos)
                if got is not None:
                    got = got.found_by("subject")
        return got

    def _clause_speaker(self, start: int, end: int) -> Attribution | None:
        """Speaker named in text[start:end], the words that lead into a quotation."""
        tail = self.text[max(start, end - 4):end].rstrip()
        m = _NAME_COLON.search(self.text, max(start, end - 120), end) if tail.endswith((":", "--", "—")) else None
        if m and not self._after_preposition(start, m.start("np")) and not self._after_verb(start, m.start("np")):
            toks = _tokens(m.group("np"))
            if toks and toks[0].lower().strip(".,") not in _NOT_NAME:
                return self._make(m.group("np"), m.start("np")).found_by("colon")
        verbs = self._verbs_in(start, end)
        for vm in reversed(verbs):
            word = vm.word
            if word in ("read", "reads", "put", "puts") and vm.end < end - 8:
                continue
            between = self.text[vm.end:end]
            if _INVERTING.fullmatch(word) and _LETTER_NEXT.match(between) and self._opens_clause(start, vm.start):
                got = self._object_after(vm.end, end)
                if got and got.end is not None:
                    tail = self.text[got.end:end]
                    closed = _CLAUSE_CLOSED.search(tail) or (word == "according to" and not tail.strip())
                    if len(tail) > 160 or _verbs(tail, 0, len(tail)) or not closed:
                        got = None
                if got:
                    return got
            if _PASSIVE.search(self.text, max(start, vm.start - 12), vm.start):
                # 'Sanders was asked by host Bill Maher, "..."': the agent speaks, else nobody named
                m = _BY_AGENT.match(self.text, vm.end, end)
                if m:
                    got = self._object_after(m.end(), end)
                    if got:
                        return got
                return None
            ing = _ING.match(word) is not None
            if ing and self.text[start:vm.start].rstrip().endswith(","):
                got = self._sentence_subject(start, vm.start)
                if got:
                    return got
            got = self._subject_before(start, vm.start)
            if got:
                return got
            if ing or _ONLY_PUNCT.match(between):
                # 'Protesters marching through the streets chanted "..."'
                got = self._sentence_subject(start, vm.start)
                if got:
                    return got
        return None

    def _direct(self, idx: int) -> Attribution:
        if idx in self.direct:
            return self.direct[idx]
        open_pos, close_end = self.spans[idx]
        before_text = self.text[self._sentence_start(self._paragraph(open_pos)[0], open_pos):open_pos]
        got: Attribution | None = None
        inner_end = self.text[max(open_pos, close_end - 3):close_end + 1]
        # a quote opening its sentence, or one closed on a comma ('"...," the senator
        # says'), is attributed after it
        if not before_text.strip() or (
                ("," in inner_end or "?" in inner_end or "!" in inner_end)
                and not before_text.rstrip().endswith(("—", "--", "–"))):
            got = self._after(idx) or self._before(idx)
        else:
            got = self._before(idx) or self._after(idx)
        self.direct[idx] = got or _NONE
        return self.direct[idx]

    def forget(self, idx: int) -> None:
        self.dropped.add(idx)

    def attribute(self, idx: int) -> Attribution:
        """Speaker of quote ``idx`` (quotes are attributed in text order)."""
        if idx in self.memo:
            return self.memo[idx]
        got = self._direct(idx)
        if got.start is None:
            got = self._neighbour(idx)
        self.memo[idx] = got
        return got

    def _neighbour(self, idx: int) -> Attribution:
        """A quote with no attribution of its own: a split or continued quotation."""
        got = self._neighbour_rules(idx)
        return got.found_by("neighbour") if got.start is not None else got

    def _neighbour_rules(self, idx: int) -> Attribution:
        open_pos, close_end = self.spans[idx]
        lo, hi = self._paragraph(open_pos)
        # the next quote in the paragraph, attributed after itself: '"A." "B," she said.'
        if idx + 1 < len(self.spans) and self.spans[idx + 1][0] < hi:
            between = self.text[close_end:self.spans[idx + 1][0]]
            if not between.strip(" ,.;:—–-") or (
                len(between) <= 60 and not _verbs(between, 0, len(between))
                and not _SENTENCE_BREAK.search(between)
            ):
                nxt = self._direct(idx + 1)
                if nxt.start is not None:
                    return nxt
        # an earlier quote of the same paragraph
        for k in range(idx - 1, -1, -1):
            if self.spans[k][0] < lo:
                break
            a = self.memo.get(k)
            if a and a.start is not None and k not in self.dropped:
                return a
        # 'The administration may be reluctant, Schiff said. "..."'
        sent_start = self._sentence_start(lo, open_pos)
        if sent_start > lo and not self.text[sent_start:open_pos].strip():
            prev_start = self._sentence_start(lo, max(lo, sent_start - 2))
            tail_verbs = [v for v in self._verbs_in(prev_start, sent_start) if sent_start - v.end < 80]
            if tail_verbs:
                v = tail_verbs[-1]
                got = None
                if _INVERTING.fullmatch(v.word) and self._opens_clause(prev_start, v.start):
                    got = self._object_after(v.end, sent_start)
                if got is None:
                    got = self._subject_before(prev_start, v.start)
                if got is not None:
                    return got
        # a paragraph that is only quotation continues the previous speaker
        if _NOT_MARK_OR_SPACE.search(self.text, lo, open_pos) is None:
            prev_hi = lo - 1
            prev_lo = self.text.rfind("\n", 0, max(prev_hi, 0)) + 1
            while prev_lo > 0 and not self.text[prev_lo:prev_hi].strip():
                prev_hi = prev_lo - 1
                prev_lo = self.text.rfind("\n", 0, max(prev_hi, 0)) + 1
            prev_quoted = False
            for k in range(idx - 1, -1, -1):
                if self.spans[k][0] < prev_lo:
                    break
                prev_quoted = True
                a = self.memo.get(k)
                if a and a.start is not None and k not in self.dropped:
                    return a
            if prev_quoted:
                return _NONE
            tail = self.text[prev_lo:prev_hi].rstrip()
            end = prev_lo + len(tail)
            start = self._sentence_start(prev_lo, max(prev_lo, end - 1))
            if tail.endswith(":"):
                got = self._clause_speaker(start, end)
                if got:
                    return got
            # "Valastro praised Christie's leadership."  then a paragraph of quotation:
            # the words belong to the subject of the paragraph before
            got = self._sentence_subject(start, end)
            if got is None and start > prev_lo:
                got = self._sentence_subject(prev_lo, end)
            if got is not None:
                return got
        return _NONE
