"""People, organisations and places in an article, with aliases folded.

No model and no download: capitalised runs are found by a regex tokenizer
(tui/entity_tokens.py) and typed by shipped gazetteers (tui/gazetteer.py),
hand-written cue lists (tui/entity_lexicon.py) and the article's own context
(tui/entity_rules.py: titles, "in"/"near", organisation suffixes, results
tables on sports pages).  An article-wide pass (tui/entity_fold.py) folds
surnames, short forms and acronyms into the fullest name and types lone words;
all-caps headlines and datelines are read last, against what the body showed.
Everything is a few regex scans and dict look-ups per token, so it is fast and
linear in the text length.
"""

from __future__ import annotations


from tui.entity_fold import group_entities, type_spans
from tui.entity_lexicon import SOLO_SPORTS, SPORTS
from tui.entity_rules import TYPES, Doc, find_runs, line_facts, read_caps_line, resolve_run
from tui.entity_tokens import Tok, line_is_caps, tokenize
from tui.gazetteer import load
from tui.records import Entity

# Text past this is not looked at: no real article is longer, and it bounds the time.
MAX_CHARS = 300_000


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
    lower_words: list[str] = []
    all_toks = tokenize(text, limit, lower_count, lower_words)
    # A plain loop rather than itertools.groupby: compiled, it reads the line number
    # natively instead of through attrgetter and a boxed int per token.
    lines: list[list[Tok]] = []
    cur_line = -1
    for t in all_toks:
        if t.line != cur_line:
            cur_line = t.line
            lines.append([])
        lines[-1].append(t)
    if not lines:
        return []
    # A sports page opens "SOCCER - ..." (or "Baseball-Results of ...").
    first_words = [t.low.split("-")[0] for t in lines[0][:3] if t.kind == "word"]
    sports = bool(first_words) and first_words[0] in SPORTS and (
        any(t.text == "-" for t in lines[0][:4]) or "-" in lines[0][0].text
    )
    # Only spaces, tabs and commas separate the words collected (see tokenize).
    lower_text = " " + " ".join(lower_words).replace(",", " ").replace("\t", " ") + " "
    solo = sports and first_words[0] in SOLO_SPORTS
    line_first, dated_lines = line_facts(lines)
    doc = Doc(text, load(), sports, solo, lower_text, line_first, dated_lines)
    caps_lines = []
    for toks in lines:
        if line_is_caps(toks, lower_count.get(toks[0].line, 0)):
            caps_lines.append(toks)
            continue
        for run in find_runs(toks, doc.gaz.first_names):
            resolve_run(doc, run, all_toks)
    spans = type_spans(doc)
    # Headlines and datelines are read last, against what the body established.
    surfaces: dict[str, tuple[str, str]] = {}
    for s in spans:
        if s.type in TYPES:
            surfaces.setdefault(s.text.casefold(), (s.type, s.canon))
    for s in spans:
        if s.type == "person" and s.ntok >= 2:
            surfaces.setdefault(s.canon.split()[-1].casefold(), ("person", s.canon))
    doc.spans = []
    for toks in caps_lines:
        read_caps_line(doc, toks, surfaces, all_toks)
    return group_entities(spans + doc.spans)
