"""A set of candidate-index keys that may answer "maybe" but never a wrong "no".

Placing an article asks the candidate index about ~50 keys: its own sentences'
keys, nearly all of them new, and its candidates' keys, nearly all of them held by
that one candidate. On a store of 100,000 articles each such question read the
index (~10 us a key, a quarter of the importer's time). ``tui.stories.PlacementCache``
keeps two of these filters, "keys the index holds" and "keys it holds under two
stories or more", so that only keys that may have an answer are read.

A Bloom filter with two probes: 16 bits per key expected gives ~1.4% false
"maybe" answers, which cost one index read each and change no result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

try:
    from mypy_extensions import i64
except ImportError:  # only the compiler needs it: run as Python, i64 is int
    i64 = int  # type: ignore[misc,assignment]

BITS_PER_KEY = 16
_MIN_BITS = 1 << 16
_MAX_BITS = 1 << 28  # 32 MB: past ~16M keys the "maybe" answers grow instead of the memory
# (and below 2**32 bits, the first probe is in the key's low 32 bits: see add_all)
# The first probe is the key's low bits: its CRC-32. Adler-32 of a short sentence has
# poorly spread low bits, so the second probe mixes both halves (multiplicative hashing,
# the middle bits of the products). Products stay under 2**63, so compiled as 64-bit
# machine integers (i64) they never overflow and equal Python's.
_MUL_HI: Final = 0x5BD1E995
_MUL_LO: Final = 0x1B873593


def _second(key: i64) -> i64:
    """The second probe's position, before masking."""
    return (((key >> 32) & 0x7FFFFFFF) * _MUL_HI ^ (key & 0xFFFFFFFF) * _MUL_LO) >> 16


class KeyFilter:
    """Membership with false positives only, over cluster keys as SQLite holds them
    (signed 64-bit integers; ``tui.store._i64s``).

    A cluster key is an Adler-32 (high half) and a CRC-32 (low half) of one sentence
    (``tui.cluster._keys_of``): already a hash, so probes are taken from its bits.
    Compiled (mypyc), each key is read once into a machine integer (``i64``): on
    Python's integers, half the keys (those past 2**62) took the slow big-integer path
    at every operation.
    """

    __slots__ = ("_bits", "_mask")

    def __init__(self, expected_keys: int) -> None:
        n = min(_MAX_BITS, max(_MIN_BITS, BITS_PER_KEY * max(0, expected_keys)))
        size = 1 << (n - 1).bit_length()  # a power of two: positions are masked, not divided
        self._bits = bytearray(size >> 3)
        self._mask: i64 = size - 1

    def add_all(self, keys: Iterable[int]) -> None:
        bits, mask = self._bits, self._mask
        for k in keys:
            key: i64 = k
            a = key & mask
            b = _second(key) & mask
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)

    def __contains__(self, key: int) -> bool:
        """False: the key was never added. True: it may have been."""
        return bool(self.maybe((key,)))

    def maybe(self, keys: Iterable[int]) -> list[int]:
        """The keys that may have been added, in their order."""
        bits, mask = self._bits, self._mask
        out = []
        for k in keys:
            key: i64 = k
            a = key & mask
            if bits[a >> 3] & (1 << (a & 7)):
                b = _second(key) & mask
                if bits[b >> 3] & (1 << (b & 7)):
                    out.append(k)
        return out
