"""The documents a process keeps re-read and screened across the tasks it runs, with what the
checks made of each, so that a document in the pairs of many tasks is read once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from ..screen import Holdings, Probe, Screened


@dataclass(slots=True)
class Made:
    """What the checks made of a screened document, kept with it (:class:`KeptDocuments`)."""

    probe: Probe | None = None
    holdings: Holdings | None = None


class KeptDocuments:
    """Documents a process has re-read and screened, with their probes, kept across the tasks it
    runs (least recently used first out, at most :data:`KEPT_WORDS` words in all): dense
    candidates (a collection written from one small vocabulary) pair each document with dozens of
    others, in many tasks, and re-reading it for each cost more than the checks of its pairs. A
    document is known by its id, its location (with the checksum of the text first read) and the
    settings it was screened with, so what is kept is what the task would make again."""

    def __init__(self, words: int) -> None:
        self.most = words
        self.words = 0
        self._kept: OrderedDict[tuple[object, ...], tuple[Screened, Made]] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> tuple[Screened, Made] | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: tuple[object, ...], doc: Screened) -> Made:
        """Keep ``doc``; where what is made of it is kept."""
        made = Made()
        size = len(doc.words.hashes) + 1
        if size > self.most:
            return made
        self._kept[key] = (doc, made)
        self.words += size
        while self.words > self.most:
            _, (old, _) = self._kept.popitem(last=False)
            self.words -= len(old.words.hashes) + 1
        return made

    def clear(self) -> None:
        self._kept.clear()
        self.words = 0


#: Words of the documents a process keeps screened across tasks (:class:`KeptDocuments`; about
#: 40 bytes a word with their probes).
KEPT_WORDS = 1_000_000
#: The documents this process keeps.
KEPT = KeptDocuments(KEPT_WORDS)
