"""The frozen records that flow between the stages and out of the library."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, overload


def _by_fields(record: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a slotted record: rebuilt by its constructor from its fields, which
    unpickles several times faster than the default for slotted dataclasses (the records sent
    between processes, tens of edits in each pair, go this way)."""
    kind = type(record)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = attrgetter(*kind.__slots__)  # every record has two fields or more
    return kind, fields(record)


_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


@dataclass(frozen=True, slots=True)
class Location:
    """Where to re-read a document's text: the pipeline keeps this, not the text."""

    __reduce__ = _by_fields

    path: str
    """File the text comes from (for stdin, the temporary spool file)."""
    kind: str
    """``text``, ``html`` or ``jsonl``."""
    line: int = 0
    """For ``jsonl``: 1-based line number of the record."""
    offset: int = 0
    """For ``jsonl``: byte offset of that line, so it is re-read without scanning the file."""
    encoding: str = "utf-8"
    """Encoding the bytes were decoded with."""
    checksum: int | None = None
    """CRC-32 of the text as first read (UTF-8), if known: a text read again for verification
    must match it (and its length), else the file changed during the scan."""


@dataclass(frozen=True, slots=True)
class Document:
    """One article as the report lists it."""

    __reduce__ = _by_fields

    id: str
    """Unique id: the file path as scanned, or the JSONL record's id."""
    path: str
    """The input path it was read from (``-`` for stdin)."""
    chars: int
    """Length of its text in characters (the offsets of passages index this text)."""
    words: int
    """Number of word tokens."""
    short: bool
    """Fewer words than ``Config.min_words``: a copy when identical, or by a passage holding half
    its words (containment is not asked of it)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not scanned, and why: one that could not be read, or (``ignored``) a
    file a folder walk passed over for its type."""

    __reduce__ = _by_fields

    path: str
    """The file (with ``:LINE`` for a JSONL record), written as :func:`dupefind.walk.shown_name` does."""
    reason: str
    """A sentence saying what was wrong."""
    ignored: bool = False
    """A file found in a folder whose type dupefind does not read (``.py``, ``.pdf``): listed and
    counted, but not an input that failed (it does not change the exit code)."""


def skip_order(skipped: Skipped) -> tuple[str, int, str, str]:
    """The order skipped inputs are listed in, the same in every runner: by file, the lines of
    a JSONL file by number (``:2`` before ``:15``), then by reason."""
    path, _, line = skipped.path.rpartition(":")
    if path and line.isdigit() and len(line) < 19:
        return (path, int(line), skipped.reason, skipped.path)
    return (skipped.path, -1, skipped.reason, skipped.path)


BY_START = attrgetter("a_start", "b_start")
"""The order of passages, and of the steps in a passage: by where they start in A, then in B."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One step of a passage's word alignment: equal words, or words that differ."""

    __reduce__ = _by_fields

    op: str
    """``equal``, ``replace``, ``delete`` (words only in A) or ``insert`` (words only in B)."""
    a_start: int
    """Character offset in text A where this step starts."""
    a_end: int
    """Character offset in text A where it ends (equal to ``a_start`` for ``insert``)."""
    b_start: int
    """Character offset in text B where this step starts."""
    b_end: int
    """Character offset in text B where it ends (equal to ``b_start`` for ``delete``)."""

    def swapped(self) -> Edit:
        """The same step seen from B: ``delete`` and ``insert`` change places."""
        return Edit(_SWAPPED_OPS[self.op], self.b_start, self.b_end, self.a_start, self.a_end)


_SWAPPED_OPS = {"equal": "equal", "replace": "replace", "delete": "insert", "insert": "delete"}


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of text A that matches a stretch of text B: the evidence of a pair."""

    __reduce__ = _by_fields

    a_start: int
    """Start offset of the passage in text A (characters, inclusive)."""
    a_end: int
    """End offset in text A (exclusive): ``text_a[a_start:a_end]`` is the passage."""
    b_start: int
    """Start offset in text B."""
    b_end: int
    """End offset in text B (exclusive)."""
    similarity: float
    """Share of the passage's words that are aligned as identical (0..1)."""
    words_a: int
    """Number of words of the passage in A."""
    words_b: int
    """Number of words of the passage in B."""
    a_text: str = ""
    """The passage's text in A: ``text_a[a_start:a_end]``."""
    b_text: str = ""
    """The passage's text in B: ``text_b[b_start:b_end]``."""
    edits: tuple[Edit, ...] = ()
    """The word-level alignment inside the passage, in order (offsets into the whole texts)."""

    @property
    def identical_words(self) -> int:
        """Number of identical words (on one side), as ``similarity`` counts them."""
        return round(self.similarity * (self.words_a + self.words_b) / 2)

    def swapped(self) -> Passage:
        """The same passage seen from B (B's text as A), its steps in B's order."""
        edits = sorted((e.swapped() for e in self.edits), key=BY_START)
        return Passage(self.b_start, self.b_end, self.a_start, self.a_end, self.similarity, self.words_b,
                       self.words_a, self.b_text, self.a_text, tuple(edits))


@dataclass(frozen=True, slots=True)
class Substitution:
    """Words of A replaced by other words in B (a spinner's synonym, most often)."""

    __reduce__ = _by_fields

    a: str
    """The words in A, normalised."""
    b: str
    """The words that stand in their place in B, normalised."""
    count: int
    """How many times this substitution occurs in the pair's passages."""


@dataclass(frozen=True, slots=True)
class Relation:
    """What kind of copy a pair is, and the figures the label rests on (see :mod:`dupefind.explain`)."""

    __reduce__ = _by_fields

    kinds: tuple[str, ...]
    """Some of ``verbatim`` or ``edited``, ``spun``, ``partial``, ``reordered``; or ``passage`` or
    ``similar`` alone."""
    identical: float
    """Share of the aligned words of A that are identical in B."""
    substituted: float
    """Share of the aligned words of A replaced by other words in B."""
    coverage_a: float
    """Share of A's words inside the passages."""
    coverage_b: float
    """Share of B's words inside the passages."""
    moved: float
    """Share of the aligned words in passages that stand in a different order in B."""
    substitutions: tuple[Substitution, ...] = ()
    """The substitutions found, most frequent first, ties by where they first stand in the two texts (at most 50)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """The verdict on two documents, with the figures and passages behind it."""

    __reduce__ = _by_fields

    a: str
    """Id of the first document (the smaller id in a scan)."""
    b: str
    """Id of the second document."""
    similarity: float
    """Jaccard similarity of the two shingle sets (boilerplate set aside)."""
    containment: float
    """The larger of ``containment_a`` and ``containment_b``: the figure the threshold tests."""
    containment_a: float
    """Share of A's shingles found in B."""
    containment_b: float
    """Share of B's shingles found in A."""
    duplicate: bool
    """Whether the pair passes the threshold (a scan reports only these)."""
    passages: tuple[Passage, ...]
    """Matching passages, in order of their position in A."""
    relation: Relation | None = None
    """What kind of copy this is, with the figures behind the label."""


@dataclass(frozen=True, slots=True)
class PackedPair:
    """A pair as a compressed pickle, with what ranks and clusters it: a scan of a million
    documents holds tens of thousands of pairs, ~27 KB each as objects (passage texts, edits),
    ~3 KB packed."""

    a: str
    b: str
    similarity: float
    containment: float
    data: bytes
    """The :class:`Pair`, pickled and compressed."""

    @classmethod
    def of(cls, pair: Pair) -> PackedPair:
        data = zlib.compress(pickle.dumps(pair, protocol=pickle.HIGHEST_PROTOCOL), 1)
        return cls(pair.a, pair.b, pair.similarity, pair.containment, data)

    def unpack(self) -> Pair:
        pair: Pair = pickle.loads(zlib.decompress(self.data))
        return pair


class Pairs(Sequence[Pair]):
    """A report's pairs, held packed (:class:`PackedPair`) and unpacked one at a time as they are
    read: a read-only sequence of :class:`Pair`, equal to any sequence of the same pairs."""

    __slots__ = ("_packed",)

    def __init__(self, pairs: Iterable[Pair | PackedPair] = ()) -> None:
        self._packed = tuple(p if isinstance(p, PackedPair) else PackedPair.of(p) for p in pairs)

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> Pair: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Pair]: ...
    def __getitem__(self, index: int | slice) -> Pair | Sequence[Pair]:
        if isinstance(index, slice):
            return Pairs(self._packed[index])
        return self._packed[index].unpack()

    def __iter__(self) -> Iterator[Pair]:
        return (packed.unpack() for packed in self._packed)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pairs):
            return self._packed == other._packed
        return isinstance(other, Sequence) and len(other) == len(self) and all(x == y for x, y in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, which hash differently

    def __repr__(self) -> str:
        return f"Pairs({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Report:
    """What a scan found."""

    config: dict[str, object]
    """The configuration used, as :meth:`Config.as_dict` gives it."""
    documents: tuple[Document, ...]
    """Every document scanned, sorted by id."""
    pairs: Sequence[Pair]
    """Reported pairs, most similar first (a scan gives them as :class:`Pairs`)."""
    clusters: tuple[tuple[str, ...], ...]
    """Groups of ids connected by reported pairs, each sorted, largest first."""
    skipped: tuple[Skipped, ...]
    """Inputs that could not be read, sorted by path."""
    seconds: float = field(default=0.0, compare=False)
    """Wall time of the scan (not part of the JSON report, which is deterministic, nor of the
    report's equality: two scans of the same inputs give equal reports)."""
    ignored: tuple[Skipped, ...] = ()
    """Files a folder walk passed over for their type, sorted by path (they are not failures)."""
