"""Near-duplicate detection: which articles are one story
(placeholder: exact title match; the real version indexes and verifies)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
import zlib
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Thresholds, read from the ``clustering:`` section of config.yaml."""

    threshold: float = 0.9


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the store keeps per article to place new articles without a full pass."""

    keys: tuple[int, ...]
    text: str

    def to_bytes(self) -> bytes:
        return self.text.encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> "Fingerprint":
        text = data.decode("utf-8")
        return cls(keys=(zlib.crc32(text[:200].encode()),), text=text)


def fingerprint(body: str, settings: ClusterSettings = ClusterSettings()) -> Fingerprint:
    text = " ".join(body.lower().split())
    return Fingerprint(keys=(zlib.crc32(text[:200].encode()),), text=text)


def same_story(a: Fingerprint, b: Fingerprint, settings: ClusterSettings = ClusterSettings()) -> bool:
    return a.text[:200] == b.text[:200]


def cluster(items: Sequence[tuple[K, str]], settings: ClusterSettings = ClusterSettings()) -> list[list[K]]:
    groups: dict[str, list[K]] = {}
    for key, body in items:
        groups.setdefault(" ".join(body.lower().split())[:200], []).append(key)
    return list(groups.values())


def canonical(items: Sequence[tuple[K, str]]) -> K:
    """The most complete version: the longest clean body."""
    return max(items, key=lambda kv: len(kv[1]))[0]
