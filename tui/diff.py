"""Paragraph-level comparison of one version of a story against another.

Readers want to know what a reprint cut and what it added ("the reprint ends
after the Patricia Kim quotes"), not which characters differ, so paragraphs are
compared after folding typography, and near-equal paragraphs count as the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rapidfuzz import fuzz

Op = Literal["same", "cut", "added"]

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


@dataclass(frozen=True, slots=True)
class DiffLine:
    """A paragraph of either version and what happened to it."""

    op: Op  # same: in both; cut: only in the reference; added: only in this version
    text: str


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def _norm(p: str) -> str:
    p = unicodedata.normalize("NFKC", p).translate(_QUOTES).casefold()
    return " ".join(p.split())


def diff_versions(reference: str, version: str, *, same_ratio: float = 90.0) -> list[DiffLine]:
    """What ``version`` keeps, cuts and adds relative to ``reference``, in reading order."""
    ref, ver = paragraphs(reference), paragraphs(version)
    ref_n, ver_n = [_norm(p) for p in ref], [_norm(p) for p in ver]
    # Map near-equal paragraphs onto one token so typography and small edits do not split them.
    tokens: list[str] = []
    ver_tok: list[int] = []
    ref_tok: list[int] = []
    for p in ref_n:
        ref_tok.append(len(tokens))
        tokens.append(p)
    for p in ver_n:
        match = next((i for i, q in enumerate(ref_n) if q == p), None)
        if match is None:
            best = max(range(len(ref_n)), key=lambda i: fuzz.ratio(p, ref_n[i]), default=None)
            if best is not None and fuzz.ratio(p, ref_n[best]) >= same_ratio:
                match = best
        ver_tok.append(ref_tok[match] if match is not None else -1 - len(ver_tok))
    out: list[DiffLine] = []
    sm = SequenceMatcher(a=ref_tok, b=ver_tok, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend(DiffLine("same", ver[j]) for j in range(j1, j2))
        else:
            out.extend(DiffLine("cut", ref[i]) for i in range(i1, i2))
            out.extend(DiffLine("added", ver[j]) for j in range(j1, j2))
    return out


def summary(lines: list[DiffLine]) -> str:
    same = sum(1 for d in lines if d.op == "same")
    cut = sum(1 for d in lines if d.op == "cut")
    added = sum(1 for d in lines if d.op == "added")
    return f"{same} paragraphs shared, {cut} cut, {added} added"
