"""What the index keeps of a text, and how a stored text is read again.

The first pass of ``index add`` runs :func:`index_task` in worker processes: the scan's own
:func:`~dupefind.catalog.fingerprint_task`, plus a content hash and the compressed text of each
document, so the main process only writes. Verification re-reads texts through
:class:`IndexTexts`, a picklable loader that worker processes can run too: from the index's
``texts`` table, or, for an index that keeps only locations, from the original file (checked
against the content hash, so a moved or edited source is an error, never a wrong answer).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass, replace

from ..catalog import Fingerprints, fingerprint_task
from ..errors import SourceMovedError
from ..models import Location
from ..sources import STDIN, Unit, load_text
from ..views import View
from .store import Store, location_of

#: zlib level of stored texts: level 6 stores English text in ~38 % of its size (level 1: ~45 %)
#: at a third of the speed; the compression runs in the worker processes.
LEVEL = 6
#: The ``kind`` of a :class:`Location` that points into an index (``line`` is the document number).
INDEXED = "index"


@dataclass(frozen=True, slots=True)
class IndexBatch:
    """The first pass over one task of ``index add`` or ``index check``."""

    fingerprints: Fingerprints
    """What the scan's first pass keeps (without the texts)."""
    hashes: list[bytes]
    """The content hash of each document."""
    texts: list[bytes | None]
    """Each text compressed, or ``None`` where only its location is kept."""


def content_hash(text: str) -> bytes:
    """BLAKE2b-128 of the text's UTF-8 bytes."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def index_task(task: list[Unit], *, views: tuple[View, ...], seed: int, min_words: int, id_field: str,
               text_field: str, keep_texts: bool) -> IndexBatch:
    """:func:`~dupefind.catalog.fingerprint_task` with a content hash and, with ``keep_texts``
    (always for stdin, which has no file to re-read), the compressed text of each document."""
    found = fingerprint_task(task, views=views, seed=seed, min_words=min_words, id_field=id_field,
                             text_field=text_field, keep_texts=True)
    texts = [zlib.compress(text.encode("utf-8", "surrogatepass"), LEVEL) if keep_texts or doc.path == STDIN else None
             for doc, text in zip(found.documents, found.texts)]
    return IndexBatch(replace(found, texts=[]), [content_hash(text) for text in found.texts], texts)


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class IndexTexts:
    """Re-reads texts: an :data:`INDEXED` location from the index at ``path``, any other from
    its file (with ``text_field`` for JSONL). Picklable: worker processes open the index once."""

    path: str
    text_field: str = "text"

    def __call__(self, location: Location) -> str:
        if location.kind != INDEXED:
            return load_text(location, text_field=self.text_field)
        store = _opened(self.path)
        with store.errors():
            data, where, expected = store.text_of(location.line)
        if data is not None:
            return unpack(data)
        return _from_source(*location_of(where), expected)


def _from_source(location: Location, text_field: str, expected: bytes) -> str:
    try:
        text = load_text(location, text_field=text_field)
    except (OSError, ValueError, KeyError) as error:
        raise SourceMovedError(f"{location.path} cannot be read again ({error}): the index keeps only where its "
                               "texts are, and this source has moved or changed; add it again with "
                               "`dupefind index add --replace`") from None
    if content_hash(text) != expected:
        raise SourceMovedError(f"{location.path}{f':{location.line}' if location.line else ''} has changed since "
                               "it was added to the index (the index keeps only where its texts are); add it again "
                               "with `dupefind index add --replace`")
    return text


_OPEN: dict[tuple[int, str], Store] = {}


def _opened(path: str) -> Store:
    """The index at ``path``, opened once per process."""
    key = (os.getpid(), path)
    if key not in _OPEN:
        _OPEN[key] = Store(path, create=False)
    return _OPEN[key]


def share(store: Store) -> None:
    """Let this process's loaders use ``store`` (already open) instead of opening it again."""
    _OPEN[(os.getpid(), store.path)] = store


def unshare(store: Store) -> None:
    _OPEN.pop((os.getpid(), store.path), None)
