"""Token streams to hashed shingle ids (sorted, unique ``uint32`` numpy arrays).

Schemes:

``stopwords``
    n-grams of the function words only (Stamatatos 2011, "Plagiarism detection using stopword
    n-grams"). Article spinners replace content words and keep the small words that hold a
    sentence together, so these shingles survive spinning; content words never enter them.
    A text whose words are mostly not English function words (another language, a list of
    names), or that holds too few of them for one n-gram, falls back to word n-grams, hashed
    apart so the two kinds never match each other.
``words``
    word n-grams.
``chars``
    character n-grams of the normalised words joined by single spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..arrays import unique
from ..config import DEFAULT_NGRAM, Scheme
from ..jit import kernel
from ..text import _BASE_U64, HashedWords, WordHashes, _mix64, mix64, word_hashes

ShingleIds = npt.NDArray[np.uint32]

#: The 50 most frequent English words of Stamatatos (2011), less the clitics 's and n't,
#: which this tokeniser keeps inside their word.
STOPWORDS: frozenset[str] = frozenset(
    "the of and a in to is was it for with he be on i that by at you are not his this from "
    "but had which she they or an were we their been has have will would her there can all "
    "as if who what said".split()
)


def _hash_table(hashes: WordHashes) -> WordHashes:
    """An open-addressing table of ``hashes`` (slot ``hash % size``, then the next free one;
    0 marks a free slot), a quarter full: membership in a few steps in compiled code."""
    table = np.zeros(1 << int(len(hashes) * 4).bit_length(), dtype=np.uint64)
    for value in hashes:
        slot = int(value) & (len(table) - 1)
        while table[slot]:
            slot = (slot + 1) & (len(table) - 1)
        table[slot] = value
    return table


_STOPWORD_TABLE = _hash_table(word_hashes(sorted(STOPWORDS)))

#: Below this share of function words a text is not treated as English prose.
MIN_STOPWORD_SHARE = 0.15

_SALT = {"stopwords": 0x9E3779B97F4A7C15, "words": 0xC2B2AE3D27D4EB4F, "chars": 0x165667B19E3779F9}


def shingle_ids(words: Sequence[str], *, scheme: Scheme, ngram: int) -> ShingleIds:
    """The set of shingle ids of one token stream, as a sorted unique ``uint32`` array."""
    if scheme == "chars":
        return _char_ngrams(" ".join(words), ngram)
    return hashed_shingle_ids(word_hashes(words), scheme=scheme, ngram=ngram)


def hashed_shingle_ids(hashes: WordHashes, *, scheme: Scheme, ngram: int) -> ShingleIds:
    """:func:`shingle_ids` of the words whose :func:`~dupefind.text.word_hashes` are given
    (word schemes only: character n-grams need the words themselves)."""
    one = HashedWords(hashes, np.zeros(min(1, len(hashes)), dtype=np.intp), np.zeros(1, dtype=np.intp))
    return shingle_sets(one, scheme=scheme, ngram=ngram)[0]


def shingle_sets(words: HashedWords, *, scheme: Scheme, ngram: int) -> tuple[ShingleIds, npt.NDArray[np.intp]]:
    """The shingle-id set of each text of ``words`` (word schemes only), all at once: the sets
    one after the other, each sorted and unique, and the index where each set begins."""
    # The salts go in as numpy scalars: a Python int above 2**63 sends numba's dispatcher down
    # its slow path (~90 µs a call, measured), which is most of the cost for one text.
    if scheme == "chars":
        raise ValueError("character shingles need the words, not their hashes")
    return _shingle_sets(words.hashes, words.text_starts, _STOPWORD_TABLE, stopwords=scheme == "stopwords",
                         ngram=ngram, fallback_ngram=DEFAULT_NGRAM["words"], min_share=MIN_STOPWORD_SHARE,
                         stopword_salt=np.uint64(_SALT["stopwords"]), word_salt=np.uint64(_SALT["words"]))


@kernel(nogil=True, always=True)
def _shingle_sets(hashes: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                  stopwords: bool, ngram: int, fallback_ngram: int, min_share: float, stopword_salt: np.uint64,
                  word_salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`shingle_sets`, text by text: the function words of an English text (or every word,
    for the ``words`` scheme or a text that is not English prose), their n-gram ids
    (:func:`_ngram_ids`), sorted and unique."""
    ids = np.empty(len(hashes), dtype=np.uint32)
    set_starts = np.empty(len(text_starts), dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    found = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        set_starts[text] = found
        every_word, n, salt = True, ngram, word_salt
        if stopwords:
            count = 0
            for k in range(begin, end):
                if _in_table(stopword_table, hashes[k]):
                    chosen[count] = hashes[k]
                    count += 1
            if count >= min_share * (end - begin) and count >= ngram:
                every_word, salt = False, stopword_salt
            else:  # not English prose, or too few function words for one n-gram: word n-grams
                n = fallback_ngram
        if every_word:
            count = end - begin
            chosen[:count] = hashes[begin:end]
        grams = count - n + 1
        if grams <= 0:
            continue
        text_ids = np.empty(grams, dtype=np.uint32)
        for k in range(grams):
            acc = salt
            for offset in range(n):
                acc = acc * _BASE_U64 + chosen[k + offset]
            acc = _mix64(acc)
            text_ids[k] = np.uint32(acc ^ (acc >> np.uint64(32)))
        text_ids.sort()
        ids[found] = text_ids[0]
        found += 1
        for k in range(1, grams):
            if text_ids[k] != text_ids[k - 1]:
                ids[found] = text_ids[k]
                found += 1
    return ids[:found].copy(), set_starts


@kernel(nogil=True, inline="always")
def _in_table(table: WordHashes, value: np.uint64) -> bool:  # pragma: no cover - compiled
    """Whether ``value`` is in a table made by :func:`_hash_table`."""
    mask = np.uint64(len(table) - 1)
    slot = value & mask
    while table[slot] != 0:
        if table[slot] == value:
            return True
        slot = (slot + np.uint64(1)) & mask
    return False


def _char_ngrams(text: str, n: int) -> ShingleIds:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        return _combine(codes * np.uint64(0x9E3779B97F4A7C15), n, _SALT["chars"])


def _combine(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """The sorted unique ids of every run of ``n`` consecutive values."""
    return unique(_ngram_ids(hashes, n, salt))


def _ngram_ids(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """Hash every run of ``n`` consecutive values into one id (a polynomial, then a mixer)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    acc = np.full(count, salt, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            acc = acc * np.uint64(0x100000001B3) + hashes[offset : offset + count]
        acc = mix64(acc)
    folded: ShingleIds = (acc ^ (acc >> np.uint64(32))).astype(np.uint32)
    return folded


#: The salt of each family's windowed shingles (apart from the whole-text schemes' salts).
_WINDOW_SALT = {"content": 0x27D4EB2F165667C5, "words": 0x94D049BB133111EB}


def window_sets(words: HashedWords, *, family: str, ngram: int, window: int,
                stride: int) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The shingle-id sets of each text's windows: ``content`` (n-grams of the words that are
    not function words) or ``words`` (n-grams of every word), over windows of ``window`` such
    words starting every ``stride`` (the last window ends with the text; a text of at most
    ``window`` such words, or ``window`` 0, is one set). Returns the sets one after the other
    (each in text order, a shingle repeated inside a window kept each time: a MinHash does not
    see repeats, and sorting every window cost more than the rest of its first pass), the index
    where each set begins, and the text each belongs to; every text has at least one set
    (empty when it has fewer than ``ngram`` such words)."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no windowed shingles for family {family!r}")
    return _window_sets(words.hashes, words.text_starts, _STOPWORD_TABLE, content=family == "content",
                        ngram=ngram, window=window, stride=max(1, stride), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True, inline="always")
def _text_grams(hashes: WordHashes, begin: int, end: int, stopword_table: WordHashes, content: bool, ngram: int,
                salt: np.uint64, chosen: WordHashes,
                grams_of: npt.NDArray[np.uint32]) -> int:  # pragma: no cover - compiled
    """The ids of a text's ``ngram``-grams (of its content words only when ``content``) into
    ``grams_of``, in text order; returns how many words were kept (``chosen`` holds them)."""
    count = 0
    for k in range(begin, end):
        if not content or not _in_table(stopword_table, hashes[k]):
            chosen[count] = hashes[k]
            count += 1
    for k in range(max(count - ngram + 1, 0)):
        acc = salt
        for offset in range(ngram):
            acc = acc * _BASE_U64 + chosen[k + offset]
        acc = _mix64(acc)
        grams_of[k] = np.uint32(acc ^ (acc >> np.uint64(32)))
    return count


@kernel(nogil=True)
def _window_sets(hashes: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                 content: bool, ngram: int, window: int, stride: int,
                 salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`window_sets`, text by text."""
    copies = 1 if window <= 0 else (window + stride - 1) // stride + 1
    ids = np.empty(len(hashes) * copies + 1, dtype=np.uint32)
    set_starts = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    owners = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    window_starts = np.empty(len(hashes) + 1, dtype=np.intp)
    window_stops = np.empty(len(hashes) + 1, dtype=np.intp)
    found = 0
    sets = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        for w in range(_text_windows(count, ngram, window, stride, window_starts, window_stops)):
            start, stop = window_starts[w], window_stops[w]
            set_starts[sets] = found
            owners[sets] = text
            sets += 1
            # in text order, repeats kept: a MinHash ignores them, a sort costs
            ids[found : found + stop - start] = grams_of[start:stop]
            found += stop - start
    return ids[:found].copy(), set_starts[:sets].copy(), owners[:sets].copy()


@kernel(nogil=True, inline="always")
def _text_windows(count: int, ngram: int, window: int, stride: int, starts: npt.NDArray[np.intp],
                  stops: npt.NDArray[np.intp]) -> int:  # pragma: no cover - compiled
    """The windows of a text of ``count`` chosen words: each one's first and one past its last
    ``ngram``-gram into ``starts`` and ``stops`` (both ascending; empty, ``stop == start``, for
    a text of fewer than ``ngram`` words); returns how many. A window starts every ``stride``
    words, the last ends with the text (``window`` 0: the whole text is one)."""
    grams = max(count - ngram + 1, 0)
    windows = 0
    start = 0
    while True:
        last = window <= 0 or start + window >= count
        starts[windows] = start
        stops[windows] = max(grams if last else start + window - ngram + 1, start)
        windows += 1
        if last:
            return windows
        start = min(start + stride, count - window)


def window_pieces(words: HashedWords, *, family: str, ngram: int, window: int,
                  stride: int) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp],
                                        npt.NDArray[np.intp]]:
    """The windows of :func:`window_sets` with each shingle given once: overlapping windows are
    cut where any window begins or ends, into *pieces* that lie one after the other, and a window
    is a run of consecutive pieces (so its MinHash is the least of theirs, and each shingle is
    hashed once, not once per window holding it). Returns the pieces' shingle ids one after the
    other (each text's, in text order), the index where each piece begins, and for each window
    (in :func:`window_sets`' order) its first piece, the piece after its last, and its text."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no windowed shingles for family {family!r}")
    return _window_pieces(words.hashes, words.text_starts, _STOPWORD_TABLE, content=family == "content",
                          ngram=ngram, window=window, stride=max(1, stride), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True)
def _window_pieces(hashes: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                   content: bool, ngram: int, window: int, stride: int,
                   salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp],
                                             npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`window_pieces`, text by text: each text's windows (:func:`_text_windows`), then
    the text's shingles cut at every window's start and end."""
    ids = np.empty(len(hashes) + 1, dtype=np.uint32)
    piece_starts = np.empty(2 * (len(hashes) + len(text_starts)) + 1, dtype=np.intp)
    firsts = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    ends = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    owners = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    window_starts = np.empty(len(hashes) + 1, dtype=np.intp)
    window_stops = np.empty(len(hashes) + 1, dtype=np.intp)
    cuts = np.empty(2 * len(hashes) + 2, dtype=np.intp)
    found = 0
    pieces = 0
    sets = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        windows = _text_windows(count, ngram, window, stride, window_starts, window_stops)
        # Cut at every start and stop (both ascending): merge them, each cut once.
        n_cuts = 0
        i = j = 0
        while i < windows or j < windows:
            if j >= windows or (i < windows and window_starts[i] <= window_stops[j]):
                value = window_starts[i]
                i += 1
            else:
                value = window_stops[j]
                j += 1
            if n_cuts == 0 or cuts[n_cuts - 1] != value:
                cuts[n_cuts] = value
                n_cuts += 1
        first_piece = pieces
        for c in range(n_cuts - 1):
            piece_starts[pieces] = found
            pieces += 1
            length = cuts[c + 1] - cuts[c]
            ids[found : found + length] = grams_of[cuts[c] : cuts[c + 1]]
            found += length
        c = 0
        for w in range(windows):
            while cuts[c] != window_starts[w]:
                c += 1
            k = c
            while cuts[k] != window_stops[w]:
                k += 1
            firsts[sets] = first_piece + c
            ends[sets] = first_piece + k
            owners[sets] = text
            sets += 1
    return (ids[:found].copy(), piece_starts[:pieces].copy(), firsts[:sets].copy(), ends[:sets].copy(),
            owners[:sets].copy())


def sampled_shingles(words: HashedWords, *, family: str, ngram: int,
                     sample: int) -> tuple[ShingleIds, npt.NDArray[np.uint32], npt.NDArray[np.intp]]:
    """The shingles of each text (as :func:`window_sets` makes them, over the whole text) whose
    id is a multiple of ``sample``, each once, with where it first occurs (its index among the
    text's shingles) and the text it belongs to, text by text in order of position."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no sampled shingles for family {family!r}")
    return _sampled(words.hashes, words.text_starts, _STOPWORD_TABLE, content=family == "content",
                    ngram=ngram, sample=np.uint32(sample), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True)
def _sampled(hashes: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
             content: bool, ngram: int, sample: np.uint32,
             salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.uint32], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`sampled_shingles`, text by text."""
    ids = np.empty(len(hashes) + 1, dtype=np.uint32)
    positions = np.empty(len(hashes) + 1, dtype=np.uint32)
    owners = np.empty(len(hashes) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    found = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        first = found
        for k in range(max(count - ngram + 1, 0)):
            gram = grams_of[k]
            if gram % sample != 0:
                continue
            seen = False
            for other in range(first, found):
                if ids[other] == gram:
                    seen = True
                    break
            if not seen:
                ids[found] = gram
                positions[found] = k
                owners[found] = text
                found += 1
    return ids[:found].copy(), positions[:found].copy(), owners[:found].copy()
