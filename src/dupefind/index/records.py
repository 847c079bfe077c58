"""The records the index passes between its modules and returns to callers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..candidates.sketches import SignatureRows
from ..models import Document, Location, Skipped

Keys = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class Sketch:
    """A document's rows of one view's :class:`~dupefind.candidates.Sketches`."""

    sizes: npt.NDArray[np.uint32]
    """The size of the shingle set of each row."""
    signatures: SignatureRows
    """One signature per row (of the view's :attr:`~dupefind.views.View.dtype`)."""
    held: npt.NDArray[np.bool_] | None = None
    """Which rows are held rows (:attr:`~dupefind.candidates.Sketches.held`; ``None``: none)."""


@dataclass(frozen=True, slots=True)
class Bands:
    """A document's LSH band keys: view, band and key of each."""

    views: npt.NDArray[np.int64]
    bands: npt.NDArray[np.int64]
    keys: npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class Entry:
    """One document as the index stores it."""

    document: Document
    """The document as reports list it."""
    location: Location
    """Where it was read from (the path made absolute)."""
    text_field: str
    """The JSONL field its text was read from."""
    content_hash: bytes
    """BLAKE2b-128 of its text (UTF-8): tells an unchanged document, or a moved source."""
    sketches: tuple[Sketch, ...]
    """Its signatures in each candidate view."""
    exact_key: bytes | None
    """For a short text with words, the hash of its words (identical short texts pair)."""
    segments: Keys
    """Its unique boilerplate segment keys."""
    text: bytes | None
    """Its text, zlib-compressed, or ``None`` when the index keeps only locations."""
    band_keys: Bands
    """Its LSH band keys."""


@dataclass(frozen=True, slots=True)
class Stored:
    """One document as read back from the index."""

    doc: int
    """Its number in the index."""
    document: Document
    sketches: tuple[Sketch, ...]
    """Its signatures in each candidate view."""
    exact_key: bytes | None
    segments: bytes
    """Its segment keys (``uint64``, as bytes)."""


@dataclass(frozen=True, slots=True)
class Added:
    """What ``Index.add`` did."""

    added: int
    """Documents added."""
    replaced: int
    """Documents whose id was indexed with another text, replaced (``replace=True``)."""
    unchanged: int
    """Documents already indexed with the same text (left as they are)."""
    skipped: tuple[Skipped, ...]
    """Inputs not added, and why (sorted by path)."""
    ignored: tuple[Skipped, ...]
    """Files a folder walk passed over for their type (not failures), sorted by path."""
    documents: int
    """Documents in the index afterwards."""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Removed:
    """What ``Index.remove`` did."""

    removed: tuple[str, ...]
    """The ids removed."""
    missing: tuple[str, ...]
    """The ids given that were not in the index."""


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """What ``Index.info`` tells."""

    path: str
    documents: int
    short_documents: int
    batches: int
    segment_keys: int
    """Distinct boilerplate segment keys counted."""
    bytes: int
    """Size of the index file (with its write-ahead log)."""
    schema_version: int
    config: dict[str, object]
    """The fingerprint options the index was built with."""
    texts: bool
    """Whether texts are stored (otherwise only where they were read)."""
    created_by: str
    """The dupefind version that made the index."""
