"""What a long-running process (`sabaq serve`) keeps between builds, bounded in size."""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class RecentlyUsed(Generic[K, V]):
    """Values by key, the most recently used kept while their total `weight` (1 each unless
    given) is at most `limit`: what a long-running process (`sabaq serve`) keeps between builds."""

    def __init__(self, limit: int, weight: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self.weight = weight
        self.total = 0
        self.entries: collections.OrderedDict[K, V] = collections.OrderedDict()

    def get(self, key: K) -> V | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> V:
        if key in self.entries:
            self.total -= self.weight(self.entries.pop(key))
        self.entries[key] = value
        self.total += self.weight(value)
        while self.total > self.limit:
            _, dropped = self.entries.popitem(last=False)
            self.total -= self.weight(dropped)
        return value
