"""The article-wide pass of the entity extractor: folding and typing by context.

Surnames and short forms fold into the nearest full name, acronyms into the
name they abbreviate, company short names into the registered name; lone
capitalised words are typed by the cues around all their mentions; then one
Entity is built per (type, canonical name).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from tui.entity_lexicon import (
    COMMON_WORDS,
    CORP_SUFFIXES,
    DEMONYMS,
    KNOWN_PEOPLE,
    NAME_PARTICLES,
    PERSON_VERBS,
    PLACE_PREPOSITIONS,
)
from tui.entity_rules import CONNECT, TYPES, Doc, Span
from tui.records import Entity, Mention

MAX_ENTITIES = 300
_MAX_CANDIDATES = 40

# --------------------------------------------------------------------------- folding
@lru_cache(maxsize=8192)
def _acronym(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in ("of", "the", "and", "for", "on", "&") and w).upper()


def type_spans(doc: Doc) -> list[Span]:
    """Fold short forms into full names and type the lone words; returns the spans in order."""
    spans = sorted(doc.spans, key=lambda s: s.start)
    org_prefix = _org_short_forms(spans)
    persons = [s for s in spans if s.type == "person" and s.ntok >= 2]
    _merge_full_names(persons)
    by_token, last_tokens = _person_index(persons)
    # Surface -> type from confident typed spans, for lone words and consistency.
    surface_type: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type is not None and s.confident and not s.caps:
            surface_type.setdefault(s.text.casefold(), (s.type, s.canon))
    company_heads = _company_heads(spans)
    acronyms: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type in ("organization", "place") and s.ntok >= 2:
            acronyms.setdefault(_acronym(s.tokens), (s.type, s.canon))
    # "Callow Irrigation Cooperative (CIC)": a name with an acronym is an organisation, not a person.
    person_acronyms: dict[str, list[Span]] = {}
    for s in spans:
        if s.type == "person" and not s.confident and s.ntok >= 3:
            person_acronyms.setdefault(_acronym(s.tokens), []).append(s)
    teams: set[str] = set()
    if doc.sports and not doc.solo_sport:
        teams = {s.text.casefold() for s in spans if s.type is None and _team_context(doc, s)}

    pending: dict[str, list[Span]] = {}
    for s in spans:
        if s.type == "person" and s.ntok >= 2:
            continue
        if s.ntok > 2 and s.type is not None:
            continue
        key = s.text.casefold()
        if s.type is None and key in teams and key not in by_token:
            s.type = "organization"
            continue
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
            named = person_acronyms[letters]
            for p in named:
                p.type = "organization"
            s.type, s.canon = "organization", named[0].canon
            person_acronyms[letters] = named[:1]  # retyped once; later mentions only read the name
            continue
        st = surface_type.get(key)
        if st is not None:
            s.type, s.canon = st
            continue
        pending.setdefault(key, []).append(s)

    coord = _coordinated(doc, spans)
    for key, group in pending.items():
        pre = org_prefix.get(key) if key not in by_token else None
        typ = _guess_lone(doc, group, coord, 1 if pre else 0)
        for s in group:
            s.type = typ
            if typ == "organization" and pre:
                s.canon = pre
    return spans


def _org_short_forms(spans: list[Span]) -> dict[str, str]:
    """Leading words of organisation names -> the name ("Corvane" -> "Corvane Batteries").

    A prefix two organisations share maps to "" (neither).  Unknown two-word "persons"
    that are such a prefix ("Bellhaven Primary") are retyped here.
    """
    org_prefix: dict[str, str] = {}
    for s in spans:
        if s.type == "organization" and s.ntok >= 2 and s.confident and not s.caps:
            words = s.canon.split()
            for k in range(1, len(words)):
                pre = " ".join(words[:k]).casefold()
                if pre in COMMON_WORDS or pre in DEMONYMS or words[k - 1].casefold() in CONNECT:
                    break
                org_prefix[pre] = s.canon if org_prefix.get(pre, s.canon) == s.canon else ""
    for s in spans:
        if s.type == "person" and s.ntok >= 2 and not s.confident and org_prefix.get(s.text.casefold()):
            s.type, s.canon, s.confident = "organization", org_prefix[s.text.casefold()], True
    return org_prefix


def _merge_full_names(persons: list[Span]) -> None:
    """Give near-identical full names and sub-names the fullest name as canonical.

    "Lula da Silva" -> "Luiz Inacio Lula da Silva"; "Luis ..." / "Luiz ..." -> one of
    them (the shipped table's spelling if it has one).
    """
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
        # Longest names come first; a bounded look keeps pathological lists of namesakes linear.
        cands = by_edge.get(toks[-1], [])[:_MAX_CANDIDATES] + by_edge.get(toks[0], [])[:_MAX_CANDIDATES]
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


def _person_index(persons: list[Span]) -> tuple[dict[str, list[tuple[int, str]]], set[str]]:
    """Each word of a full name -> where full names holding it start (changes only), and the
    last words of names with a known first name (these may claim a word that is also a place)."""
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
    return by_token, last_tokens


def _company_heads(spans: list[Span]) -> dict[str, str]:
    """Short names of companies: "Pirelli SpA" makes a lone "Pirelli" the same company."""
    heads: dict[str, str] = {}
    for s in spans:
        words = [w for w in s.tokens if w != "."]
        if s.type == "organization" and len(words) >= 2 and words[-1].replace(".", "") in CORP_SUFFIXES:
            head = s.text[: s.text.rfind(" ")].strip().casefold() if " " in s.text else ""
            if head:
                heads.setdefault(head, s.canon)
    return heads


def _coordinated(doc: Doc, spans: list[Span]) -> dict[int, str]:
    """A lone word listed with a typed name takes its type: "Ashford Springs and Callow"."""
    coord: dict[int, str] = {}
    for i, s in enumerate(spans):
        if s.type is not None or not s.confident:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(spans) and spans[j].type in TYPES:
                a, b = (spans[j], s) if j < i else (s, spans[j])
                m = _COORD.match(doc.text, a.end, b.start)
                appositive = doc.text.startswith(("'s", "’s"), s.end)  # "Jane Doe, Acme's chief"
                if m and m.end() == b.start and not appositive:
                    coord[id(s)] = spans[j].type or ""
    return coord


def group_entities(spans: list[Span]) -> list[Entity]:
    """One entity per (type, canonical name), mentions in text order."""
    out: dict[tuple[str, str], Entity] = {}
    for s in spans:
        typ = TYPES.get(s.type or "")
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
    return Levenshtein.distance(a, b) <= max(1, len(a) // 12)


def _nearest(cands: list[tuple[int, str]], pos: int) -> str:
    """The one full name a short form can mean: the only one, or the nearest before it."""
    if len(cands) == 1:
        return cands[0][1]
    k = bisect.bisect_right(cands, (pos, "\uffff"))
    return cands[k - 1][1] if k else ""


def _cues(doc: Doc, s: Span) -> dict[str, int]:
    """Votes the words around one mention of a lone capitalised word give each type."""
    gaz = doc.gaz
    low = s.text.casefold()
    text = doc.text
    after = text[s.end : s.end + 24]
    before = text[max(0, s.start - 24) : s.start]
    nxt = _NEXT_WORD.match(after)
    nw: str = nxt.group(1).casefold() if nxt else ""
    pws: list[str] = _PREV_WORDS.findall(before)  # typed: compiled code then uses str operations
    pword = pws[-1] if pws else ""
    pw = pword.casefold()
    pw2 = pws[-2].casefold() if len(pws) >= 2 else ""
    # What follows the mention from its first non-space character: _AGE and _ORG_POSSESSION
    # open on white space and a comma or apostrophe, so most mentions need neither regex.
    lead = after.lstrip()[:1]
    v = {"person": 0, "organization": 0, "place": 0}
    if nw in PERSON_VERBS and (low in gaz.surname_rank or low in gaz.first_names):
        # Companies say things too: "said" only speaks for a word that is a known name.
        v["person"] += 1
    if lead == "," and _AGE.match(after):
        v["person"] += 2  # "Khaled Hijazi , 37"
    if not pword[:1].isupper():
        if pw in ("in", "near") or (pw == "of" and pw2 in _PLACE_NOUNS):
            v["place"] += 2
        elif pw in PLACE_PREPOSITIONS and gaz.has_place(low):
            v["place"] += 1
        if pw in _ORG_NOUNS or nw in _ORG_AFTER:
            v["organization"] += 2
        if pw == "of" and pw2 in _ORG_OF or lead in ("'", "’") and _ORG_POSSESSION.match(after):
            v["organization"] += 2  # "shares of Magna", "Petofi 's board"
        if pw == "the" and (doc.sports or not lead.islower()):
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


def _guess_lone(doc: Doc, group: list[Span], coord: dict[int, str], org_vote: int = 0) -> str | None:
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
    if doc.sports:
        # Undecided words on a sports page: a town is its club, anything else a player.
        return "organization" if gaz.place(low) is not None else "person"
    if low in gaz.first_names or low in gaz.surname_rank:
        return "person"
    # An unknown acronym is far more often a body than a person or a place.
    return "organization" if s.text.isupper() else None


_KNOWN_BY_LAST = {full.split()[-1]: full for full in KNOWN_PEOPLE.values()}
_KNOWN_FULL = frozenset(KNOWN_PEOPLE.values())
_COORD = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*")
_NEXT_WORD = re.compile(r"[\s,]*([\w']+|\()")
_PREV_WORDS = re.compile(r"[\w']+")
_AGE = re.compile(r"\s*,\s*\d{1,2}\s*[,.]")
_PLACE_NOUNS = frozenset(
    """town towns village villages city cities region province district capital suburb outskirts port
    island parts""".split()
)
_ORG_NOUNS = frozenset(
    """company firm group bank carmaker airline club side team newspaper daily agency insurer broker
    brokerage retailer maker producer conglomerate subsidiary unit operator lender""".split()
)
_PLACE_AFTER = frozenset(
    "airport province village town region district county river valley island mountains border".split()
)
_ORG_AFTER = frozenset("shares stock inc corp ltd plc group bank said.".split())
_ORG_OF = frozenset(
    """shares stake unit subsidiary division chairman president director directors board shareholders
    owner owners acquisition takeover merger stock""".split()
)
_ORG_POSSESSION = re.compile(
    r"\s*['’]\s*s\s+(?:shares|stock|board|chairman|chief executive|subsidiary|unit|profit|profits|"
    r"revenue|revenues|earnings|sales|headquarters|shareholders|directors|management|stake)\b"
)


def _team_context(doc: Doc, s: Span) -> bool:
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


