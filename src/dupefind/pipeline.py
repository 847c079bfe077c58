"""The stages in order: the table of contents of a scan, and the one-pair comparison."""

from __future__ import annotations

import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from .align import LOOSE_COSINE, Side, align_sides, paired, side, summarised
from .boilerplate import Commons, Keys, boilerplate_mask, common_held, spared_beside
from .candidates import candidate_pairs, every_pair, exhaustive
from .catalog import Catalog, Progress, build_catalog
from .cluster import clusters
from .config import Config
from .errors import REREAD_FAILURES, InputError
from .explain import explain
from .jit import kernel
from .models import Document, Location, PackedPair, Pair, Pairs, Report, Skipped
from .parallel import Workers, ordered_map
from .screen import (
    Call,
    Holdings,
    Probe,
    Screened,
    call,
    figures,
    fragment_possible,
    holdings,
    kept_words,
    pairs_within_reach,
    probe,
    screened,
    sentence_seeds_possible,
    shares_content,
)
from .sketching import checksum
from .sources import STDIN, load_text, nothing_to_scan, open_inputs, plan_reading
from .verify import (
    REWRITTEN_SHARED,
    Overlap,
    Prepared,
    compact_tokens,
    is_duplicate,
    overlap,
    prepare,
    unpaired,
)
from .views import View, candidate_views

TextLoader = Callable[[Location], str]
"""Re-reads a document's text from its location (picklable, to run in worker processes)."""

#: A task holds consecutive candidate pairs naming at most this many documents (each re-read
#: and prepared once for all the task's pairs) ...
DOCUMENTS_PER_TASK = 64
#: ... and at most this many pairs.
PAIRS_PER_TASK = 512
#: When the candidates are dense (each document paired with this many others on average, as in
#: a collection of texts written from one small vocabulary: templates, generated pages), pairs
#: between two documents chosen at random are the rule, and a task of 64 documents holds few of
#: them: each document was re-read about once per pair. Such candidates go in tasks of two
#: tiles of documents instead, as many as :data:`WORDS_PER_DENSE_TASK` words allow (at most
#: :data:`DENSE_TILE` documents a tile), with every pair between the two tiles.
DENSE_DEGREE = 16
#: Words of the documents of one task of dense candidates, at most (the memory a task's
#: prepared documents take grows with them).
WORDS_PER_DENSE_TASK = 1_000_000
#: Most documents of one tile of dense candidates (the words bound decides first for texts of
#: more than 61 words; 50,000 texts of 20 words took 109 s with tiles of 1,024, 57 s with these,
#: measured in benchmarks/RESULTS.md). A task holds every pair between its two tiles.
DENSE_TILE = 8192

_NO_KEYS: Keys = np.empty(0, dtype=np.uint64)
#: A pair whose passages cover this share of one document is a copy of it (as
#: :mod:`dupefind.explain` calls a text mostly inside another ``partial``).
COVERED = 0.5


PathArg = str | os.PathLike[str]
"""A path as the library takes it: a string or a :class:`pathlib.Path`."""


def scan(paths: PathArg | Iterable[PathArg], config: Config | None = None, *, stdin: BinaryIO | None = None,
         progress: Progress | None = None) -> Report:
    """Find the copies among the documents under ``paths`` (``-`` reads JSONL from stdin).

    ``paths`` is a list of files and folders, or one of them (a ``str`` or a ``Path`` is one
    path, never a sequence of characters); anything else raises :class:`TypeError`.

    ``progress``, if given, is called as the documents are read with the number read so far,
    the bytes of input read and the bytes in all.
    """
    config = config or Config()
    started = time.perf_counter()
    names = path_list(paths)
    with open_inputs(names, stdin=stdin) as real, Workers(config.processes) as workers:
        units = list(plan_reading(real, include=config.include, exclude=config.exclude,
                                  follow_symlinks=config.follow_symlinks, shown_as=_stdin_names(names, real),
                                  max_bytes=config.max_document_bytes))
        views = views_of(config)
        catalog = build_catalog(units, views=views, seed=config.seed, min_words=config.min_words,
                                boilerplate_min_docs=config.boilerplate_min_docs, id_field=config.id_field,
                                text_field=config.text_field, jobs=config.processes, progress=progress,
                                workers=workers)
        if not catalog.documents:
            raise InputError(nothing_to_scan(names, catalog.skipped, include=config.include, exclude=config.exclude))
        candidates = proposed(catalog, views=views, threads=config.processes)
        catalog = catalog.without_sketches()  # (the signatures are done with: not held while verifying)
        pairs, changed = find_pairs(catalog, config, views=views, progress=progress, workers=workers,
                                    candidates=candidates)
    documents, skipped, pairs = without_changed(catalog, pairs, changed)
    return make_report(documents, pairs, skipped, config, seconds=time.perf_counter() - started)


def views_of(config: Config) -> tuple[View, ...]:
    """The candidate views of a scan with ``config``."""
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def find_pairs(catalog: Catalog, config: Config, *, views: Sequence[View], progress: Progress | None = None,
               involving: frozenset[int] | None = None, load: TextLoader | None = None,
               workers: Workers | None = None,
               candidates: list[tuple[int, int]] | None = None) -> tuple[list[PackedPair], set[int]]:
    """The copies among the documents of ``catalog``, most similar first, and the documents that
    changed since the first pass: the :func:`proposed` candidates (``candidates`` if the caller
    already has them), each verified and aligned (in ``workers`` if given). ``involving``, if
    given, keeps only the candidates that name one of these documents (the index checks new
    documents this way); ``load`` re-reads a text (default:
    :func:`~dupefind.sources.load_text` from its location)."""
    if candidates is None:
        candidates = proposed(catalog, views=views, involving=involving, threads=config.processes)
    pairs, changed = _verified(candidates, catalog, config, progress, load, workers)
    pairs.sort(key=_rank)
    return pairs, changed


def proposed(catalog: Catalog, *, views: Sequence[View], involving: frozenset[int] | None = None,
             threads: int = 1, crowded: npt.NDArray[np.uint64] | None = None,
             collection: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """The candidate pairs of ``catalog``, sorted and unique: those of the LSH views (identical
    documents as one group, each member then proposed with its group's partners), or every
    pair of a small collection (:func:`~dupefind.candidates.exhaustive`), and the identical
    documents themselves; only those naming one of ``involving`` if given.
    ``crowded``: keys that pair no one (:func:`~dupefind.candidates.candidate_pairs`).
    ``collection``: the documents and words of the whole collection, when ``catalog`` holds
    only some of them (an index's check; a small collection's catalog must then hold them all)."""
    leads, identical = identical_groups(catalog)
    usable = leads & np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    flagged = None
    if involving is not None:  # a member of an identical group is proposed through its group's first
        flagged = np.zeros(len(catalog.documents), dtype=bool)
        flagged[list(involving)] = True
        for first, member in identical:
            flagged[first] |= flagged[member]
    if collection is None:
        collection = (len(catalog.documents), sum(d.words for d in catalog.documents))
    if exhaustive(*collection):
        found = every_pair(usable, flagged)
    else:
        found = candidate_pairs(catalog.sketches, views=views, usable=usable, threads=threads, involving=flagged,
                                crowded=crowded)
    candidates = with_members(found, identical) + identical
    if involving is not None:
        candidates = [(i, j) for i, j in candidates if i in involving or j in involving]
    return sorted(set(candidates))


def make_report(documents: tuple[Document, ...], pairs: list[PackedPair], skipped: Sequence[Skipped],
                config: Config, *, seconds: float = 0.0) -> Report:
    """The report of ``pairs`` (ranked as :func:`find_pairs` gives them) found among ``documents``;
    ``skipped`` holds the inputs not read and the files ignored for their type."""
    return Report(config=config.as_dict(), documents=documents, pairs=Pairs(pairs),
                  clusters=clusters((p.a, p.b) for p in pairs), skipped=tuple(s for s in skipped if not s.ignored),
                  ignored=tuple(s for s in skipped if s.ignored), seconds=seconds)


def compare(text_a: str, text_b: str, config: Config | None = None, *, id_a: str = "a",
            id_b: str = "b") -> Pair:
    """Compare two texts: the figures, the verdict and every matching passage."""
    config = config or Config()
    a, b = (_prepare(i, t, Commons(), config) for i, t in ((id_a, text_a), (id_b, text_b)))
    return _pair(a, b, config)


def _verified(candidates: list[tuple[int, int]], catalog: Catalog, config: Config, progress: Progress | None,
              load: TextLoader | None, workers: Workers | None) -> tuple[list[PackedPair], set[int]]:
    """Each candidate pair re-read, verified and aligned (in ``config.processes`` processes):
    the copies, in the candidates' order, and the documents that changed since the first pass."""
    check = partial(check_pairs, commons=catalog.commons, config=config, load=load)
    words = np.fromiter((d.words for d in catalog.documents), dtype=np.int64, count=len(catalog.documents))
    tasks = (_pair_task(pairs, catalog) for pairs in _grouped(candidates, words=words, jobs=config.processes))
    found: list[PackedPair] = []
    changed: set[int] = set()
    done = 0
    try:
        for checked in ordered_map(check, tasks, jobs=config.processes, workers=workers):
            found += checked.pairs
            changed.update(checked.changed)
            done += checked.count
            if progress is not None:
                progress("verify", done, done, len(candidates))
    finally:
        KEPT.clear()  # (tasks run here with one process; worker processes end with the scan)
    return found, changed


@dataclass(frozen=True, slots=True)
class PairTask:
    """Candidate pairs to check, with where to re-read each of their documents."""

    pairs: list[tuple[int, int]]
    """Index pairs into the catalog."""
    documents: dict[int, tuple[str, Location]]
    """The id and location of each document the pairs name."""


def _grouped(candidates: list[tuple[int, int]], *, words: npt.NDArray[np.int64] | None = None,
             jobs: int = 1) -> Iterator[list[tuple[int, int]]]:
    """The candidates in tasks of at most ``DOCUMENTS_PER_TASK`` documents and ``PAIRS_PER_TASK``
    pairs, each document re-read and prepared once per task: the pairs ordered by the connected
    group of documents they belong to (a story run in many places, a lede and its reuses), in
    whichever of :func:`_by_group`'s two orders reads fewer documents, and cut into runs.
    Dense candidates (``words``: each document's words, if known) may go in tasks of two large
    tiles instead (see :data:`DENSE_DEGREE`), when those read fewer documents; at least
    ``4 * jobs`` tasks of them, so that every worker has its share. Only the order chosen is
    made into lists of pairs (a flood of short texts has close to a million candidates)."""
    if not candidates:
        return
    tile = _dense_tile(candidates, words, jobs)
    ends = np.array(candidates, dtype=np.int64)
    limits = [(DOCUMENTS_PER_TASK, PAIRS_PER_TASK)] * 2 + [(2 * tile, tile * tile)] * bool(tile)
    orders = _by_group(ends, large=tile)
    cuts = [_cuts(ends[order], documents, pairs) for order, (documents, pairs) in zip(orders, limits, strict=True)]
    order, (stops, _) = min(zip(orders, cuts), key=lambda chosen: chosen[1][1])
    ranked = [candidates[k] for k in order.tolist()]
    start = 0
    for stop in stops.tolist():
        yield ranked[start:stop]
        start = stop


def _dense_tile(candidates: list[tuple[int, int]], words: npt.NDArray[np.int64] | None, jobs: int) -> int:
    """Documents per tile for tasks of dense candidates (0: the candidates are not dense)."""
    if words is None or not candidates:
        return 0
    named = np.unique(np.array(candidates, dtype=np.int64))
    if 2 * len(candidates) < DENSE_DEGREE * len(named):
        return 0
    mean = max(1.0, float(words[named].mean()))
    # Tiles of t documents make (n / t)(n / t + 1) / 2 tasks: at least 4 per worker.
    most = int(len(named) / (np.sqrt(8 * jobs) + 1))
    return max(DOCUMENTS_PER_TASK // 2, min(DENSE_TILE, int(WORDS_PER_DENSE_TASK / (2 * mean)), most))


def _reads(runs: list[list[tuple[int, int]]]) -> int:
    """How many times the tasks read a document."""
    return sum(len({k for pair in run for k in pair}) for run in runs)


@kernel(nogil=True)
def _cuts(ends: npt.NDArray[np.int64], documents: int,
          pairs_per_task: int) -> tuple[npt.NDArray[np.int64], int]:  # pragma: no cover - compiled
    """The pairs (``ends``, one row each), in their order, cut into tasks of at most
    ``documents`` documents and ``pairs_per_task`` pairs (see :func:`_grouped`): where each task
    ends (one past its last pair), and how many times the tasks read a document in all
    (:func:`_reads`)."""
    seen = np.full(int(ends.max()) + 1, -1, dtype=np.int64)  # the task that last named each document
    stops = np.empty(len(ends), dtype=np.int64)
    tasks = named = reads = count = 0
    for k in range(len(ends)):
        first, second = ends[k, 0], ends[k, 1]
        new = named + (seen[first] != tasks) + (seen[second] != tasks and second != first)
        if count and (new > documents or count >= pairs_per_task):
            stops[tasks] = k
            tasks += 1
            reads += named
            named = count = 0
        for doc in (first, second):
            if seen[doc] != tasks:
                seen[doc] = tasks
                named += 1
        count += 1
    stops[tasks] = len(ends)
    return stops[: tasks + 1].copy(), reads + named


def _by_group(ends: npt.NDArray[np.int64], *, large: int = 0) -> list[npt.NDArray[np.intp]]:
    """The pairs (``ends``, one row each) in two orders, as indices, that keep the documents of
    a run of them few (the caller keeps the one that reads fewer): the documents numbered by
    reverse Cuthill-McKee over the graph of candidates (each connected group in turn, neighbours
    numbered close together), then the pairs sorted by their two numbers; or by tiles of half a
    task's documents first (all the pairs between two tiles together). On a collection whose
    articles share quotes, one group spans most of it; sorted by document index, a task of 64
    documents held ~1 document read per pair, sorted by numbers 0.28 (news-like corpus, 20k
    documents; tiles read as many).
    Tiles win when most documents pair with most others (every pair of a small collection:
    100 documents read 599 times instead of 3,262), numbers on overlapping cliques of quotes.
    ``large`` (documents per tile), if given, adds a third order: by tiles of that many."""
    if not len(ends):
        return []
    # Imported when used: SciPy's graph routines load in ~0.2 s, which workers never need.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    count = int(ends.max()) + 1
    graph = coo_matrix((np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])), shape=(count, count)).tocsr()
    order = reverse_cuthill_mckee((graph + graph.T).tocsr(), symmetric_mode=True)
    place = np.empty(count, dtype=np.int64)
    place[order] = np.arange(count)
    low, high = np.minimum(place[ends[:, 0]], place[ends[:, 1]]), np.maximum(place[ends[:, 0]], place[ends[:, 1]])
    tile = DOCUMENTS_PER_TASK // 2
    orders = [np.lexsort((high, low)), np.lexsort((high, low, high // tile, low // tile))]
    if large:
        orders.append(np.lexsort((high, low, high // large, low // large)))
    return orders


def _pair_task(pairs: list[tuple[int, int]], catalog: Catalog) -> PairTask:
    needed = sorted({index for pair in pairs for index in pair})
    return PairTask(pairs, {i: (catalog.documents[i].id, catalog.locations[i]) for i in needed})


@dataclass(frozen=True, slots=True)
class Checked:
    """What one task of candidate pairs gave."""

    pairs: list[PackedPair]
    """The copies among them (packed: smaller to send and to keep)."""
    count: int
    """How many pairs were checked."""
    changed: list[int]
    """Documents whose text is no longer what the first pass read (their pairs are dropped)."""


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


class TaskDocuments:
    """The documents of one task of pairs (:func:`check_pairs`), each re-read and screened once,
    and what the checks of its pairs make of each, made once: its probe, its tokens ready for
    the aligner, and how it reads beside a partner (:func:`~dupefind.boilerplate.spared_beside`:
    the same document screened again, without re-reading it, with some common segments
    spared)."""

    def __init__(self, task: PairTask, *, commons: Commons, config: Config, load: TextLoader | None = None) -> None:
        self.task, self.commons, self.config = task, commons, config
        self._read = load or partial(load_text, text_field=config.text_field)
        self._screened: dict[int, Screened | None] = {}
        self._variants: dict[tuple[int, bytes], Screened] = {}
        self._held: dict[int, tuple[Keys, bool]] = {}
        # Each screened document lives in ``_screened`` or ``_variants`` as long as this object,
        # so its identity names it in the caches of what is made from it.
        self._ready: dict[int, Reread] = {}
        self._freed: dict[tuple[int, bytes], npt.NDArray[np.bool_]] = {}
        self._kept: dict[int, npt.NDArray[np.uint64]] = {}
        self._setting: tuple[object, ...] | None = None
        self._made: dict[int, Made] = {}  # what is made of each screened document and variant

    def screen(self, index: int) -> Screened | None:
        """Document ``index`` re-read and screened (``None``: gone, or no longer the text first
        read); kept across tasks (:data:`KEPT`) when it could be read."""
        if index not in self._screened:
            doc_id, location = self.task.documents[index]
            # (a location without the checksum of the text first read cannot tell a changed text)
            key = (self.setting(), doc_id, location) if location.checksum is not None else None
            found = KEPT.get(key) if key is not None else None
            if found is not None:
                doc, made = found
            else:
                text = _read_again(location, self._read)
                if text is None:
                    self._screened[index] = None
                    return None
                doc = self._screened_text(doc_id, text, self.commons)
                made = KEPT.put(key, doc) if key is not None else Made()
            self._screened[index] = doc
            self._made[id(doc)] = made
        return self._screened[index]

    def setting(self) -> tuple[object, ...]:
        """What screening a document depends on besides its text: the common segments and the
        shingling settings."""
        if self._setting is None:
            commons, config = self.commons, self.config
            digest = hashlib.blake2b(digest_size=16)
            for keys in (commons.keys, commons.widespread, commons.spared):
                digest.update(len(keys).to_bytes(8, "little"))
                digest.update(np.ascontiguousarray(keys).tobytes())
            self._setting = (digest.digest(), config.scheme, config.shingle_size, config.min_words)
        return self._setting

    def holds(self, index: int) -> tuple[Keys, bool]:
        """The common segments a screened document holds, and whether it keeps them."""
        if index not in self._held:
            doc = self._screened[index]
            self._held[index] = common_held(doc.words, self.commons) if doc is not None else (_NO_KEYS, False)
        return self._held[index]

    def beside(self, index: int, other: int, *, related: bool = False) -> Screened:
        """Document ``index`` (screened) as it reads in a pair with ``other`` (``related``: the
        two share other text): the common segments ``spared_beside`` spares are evidence."""
        doc, partner = self._screened[index], self._screened[other]
        assert doc is not None and partner is not None
        if not doc.boilerplate.any() or (not related and partner.boilerplate.any()):
            return doc  # (a partner that sets anything aside keeps nothing)
        spared = spared_beside(self.holds(index)[0], *self.holds(other), self.commons, related=related)
        if not len(spared):
            return doc
        key = (index, spared.tobytes())
        if key not in self._variants:
            self._variants[key] = self._screened_text(doc.id, doc.text, self.commons.sparing(spared))
        return self._variants[key]

    def second_look(self, i: int, j: int, a: Screened, b: Screened) -> Pair | None:
        """The pair ``(i, j)`` (``a`` and ``b`` as first judged, not a copy) judged with the
        common segments only one of them holds spared: the pair if it is then a copy of one
        document (its passages cover most of it: an answer rewording the sentences a class
        copied) or the two share ``MIN_SEEDS`` similar sentences besides, the sentence pass's
        seeds (a page quoting a site's furniture, or a story a wire lede with edits, and nothing
        else, is not a copy; nor are unrelated texts drawn from one source that share runs of a
        dozen words by the thousand, as the Markov benchmark corpus's do)."""
        if not (self._new_evidence(i, j, a, b) or self._new_evidence(j, i, b, a)):
            return None
        c, d = self.beside(i, j, related=True), self.beside(j, i, related=True)
        pair = staged_pair(c, d, self.config, reread=self.reread, probes=self.probes)
        if pair is None or (pair.relation is not None
                            and max(pair.relation.coverage_a, pair.relation.coverage_b) >= COVERED):
            return pair
        return pair if sentence_seeds_possible(self.probes(a), self.probes(b)) else None  # (None: not known)

    def _new_evidence(self, index: int, other: int, doc: Screened, partner: Screened) -> bool:
        """Whether the words the second look would spare in document ``index`` (``doc``: as
        first judged beside ``partner``) hold :data:`~dupefind.verify.REWRITTEN_SHARED` content
        words the partner holds: fewer can make no passage the verdict counts (a rewritten one
        shares that many, and an identical one of ``--passage-words`` holds more)."""
        if not doc.boilerplate.any():
            return False
        spared = spared_beside(self.holds(index)[0], *self.holds(other), self.commons, related=True)
        if not len(spared):
            return False
        # Keyed by the document as first judged (one of its variants, which live as long as this
        # object), not by its index: beside another partner it may have set other words aside.
        key = (id(doc), spared.tobytes())
        if key not in self._freed:  # (a document beside many partners holding the same segments)
            self._freed[key] = doc.boilerplate & ~boilerplate_mask(doc.words, self.commons.sparing(spared))
        freed = self._freed[key]
        if not freed.any():
            return False
        if id(partner) not in self._kept:
            self._kept[id(partner)] = kept_words(partner)
        return shares_content(doc.words.hashes[freed], self._kept[id(partner)], least=REWRITTEN_SHARED)

    def within_reach(self, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs whose two documents were read again (:meth:`screen` first) and could be
        copies as far as what each holds tells (:func:`~dupefind.screen.pairs_within_reach`,
        for pairs with a short text: a copy of them is the same words or rests on a passage;
        turning a pair down is a true bound, whatever boilerplate either sets aside beside the
        other), in their order."""
        read = {k: doc for k, doc in self._screened.items() if doc is not None}
        there = [(i, j) for i, j in pairs if i in read and j in read]
        looked = [(i, j) for i, j in there if read[i].short or read[j].short]
        if not looked:
            return there
        documents = sorted({k for pair in looked for k in pair})
        number = {k: n for n, k in enumerate(documents)}
        reach = pairs_within_reach(np.array([(number[i], number[j]) for i, j in looked], dtype=np.int64),
                                   [self._holding(read[k]) for k in documents],
                                   np.array([read[k].short for k in documents], dtype=bool),
                                   passage_words=self.config.passage_words)
        out = {pair for pair, keep in zip(looked, reach.tolist()) if not keep}
        return [pair for pair in there if pair not in out]

    def _holding(self, doc: Screened) -> Holdings:
        made = self._made[id(doc)]
        if made.holdings is None:
            made.holdings = holdings(doc)
        return made.holdings

    def probes(self, doc: Screened) -> Probe:
        """The document's :class:`~dupefind.screen.Probe`, made once (kept across tasks with a
        kept document)."""
        made = self._made.setdefault(id(doc), Made())  # (a variant beside a partner: kept by this task alone)
        if made.probe is None:
            made.probe = probe(doc)
        return made.probe

    def reread(self, doc: Screened) -> Reread:
        """The document made ready for the aligner, once."""
        if id(doc) not in self._ready:
            self._ready[id(doc)] = _reread(doc)
        return self._ready[id(doc)]

    def _screened_text(self, doc_id: str, text: str, commons: Commons) -> Screened:
        config = self.config
        return screened(doc_id, text, commons=commons, scheme=config.scheme, ngram=config.shingle_size,
                        min_words=config.min_words)


def check_pairs(task: PairTask, *, commons: Commons, config: Config, load: TextLoader | None = None) -> Checked:
    """Verify and align the pairs of one task (a plain function: any worker process can run it).
    ``load`` re-reads a text from its location (default: :func:`~dupefind.sources.load_text`
    with ``config.text_field``); it must be picklable to run in worker processes.

    In stages, cheapest first (:mod:`dupefind.screen`): each document is re-read and screened
    once (word hashes, boilerplate, shingles); each pair's verdict is checked on that, and only
    the pairs it cannot turn down are aligned, once, their documents tokenised and made ready
    for the aligner once.

    A text read again must be the one the first pass read (same length and checksum), or the
    document changed during the scan: its pairs are not aligned with offsets into another text.
    Pairs of byte-identical texts (members of groups of identical copies, each with the same
    document or with copies of one) are judged once. Boilerplate is judged per pair
    (:meth:`TaskDocuments.beside`), and a pair that is no copy so is looked at again with the
    common segments only one of its documents holds spared (:meth:`TaskDocuments.second_look`).
    """
    docs = TaskDocuments(task, commons=commons, config=config, load=load)
    same: dict[tuple[str, str], Pair | None] = {}
    found: list[PackedPair] = []
    changed = {k for k in sorted(task.documents) if docs.screen(k) is None}
    for i, j in docs.within_reach(task.pairs):
        a, b = docs.beside(i, j), docs.beside(j, i)
        if (a.text, b.text) in same:  # the same two texts (members of identical groups): judged once
            pair = same[(a.text, b.text)]
            pair = pair if pair is None or (pair.a, pair.b) == (a.id, b.id) else replace(pair, a=a.id, b=b.id)
        else:
            pair = staged_pair(a, b, config, reread=docs.reread, probes=docs.probes)
            if pair is None:  # again, with what only one of them holds spared
                pair = docs.second_look(i, j, a, b)
            same[(a.text, b.text)] = pair
        if pair is not None:
            found.append(PackedPair.of(pair))
    return Checked(found, len(task.pairs), sorted(changed))


def _read_again(location: Location, read: TextLoader) -> str | None:
    """The text at ``location`` if it is still the one the first pass read, else ``None``."""
    try:
        text = read(location)
    except REREAD_FAILURES:
        return None
    return text if location.checksum is None or checksum(text) == location.checksum else None


def staged_pair(a: Screened, b: Screened, config: Config, *, reread: Callable[[Screened], Reread] | None = None,
                probes: Callable[[Screened], Probe] = probe) -> Pair | None:
    """The pair if it is a copy, ``None`` if not: the cheap checks first, the alignment (once)
    only when they cannot decide (``reread`` makes a screened document ready for the aligner,
    ``probes`` gives what the seed and sentence checks need of it, each once per document if
    they cache)."""
    ready = reread or _reread
    figures_ab = figures(a.shingles, b.shingles)
    decision = call(a, b, figures_ab, threshold=config.threshold, passage_words=config.passage_words,
                    min_passage_words=config.min_passage_words, probes=probes)
    if decision is Call.NOT_A_COPY:
        return None
    x, y = ready(a), ready(b)
    if decision is Call.SENTENCES and not fragment_possible(x.align, y.align):
        return None
    # Short texts' figures are the verifier's own (on their words when they hold no shingle).
    pair = _pair(x, y, config, figures=None if a.short or b.short else figures_ab)
    return pair if pair.duplicate else None


@dataclass(frozen=True, slots=True)
class Reread:
    """A document re-read, made ready for the verification and the alignment of its pairs."""

    verify: Prepared
    """What verification needs."""
    align: Side
    """What alignment needs (computed once per document, not once per pair)."""


def _pair(x: Reread, y: Reread, config: Config, *, figures: Overlap | None = None) -> Pair:
    """The pair aligned and judged (``figures``: its overlap, if already known)."""
    a, b = x.verify, y.verify
    figures = figures if figures is not None else overlap(a, b)
    # Identical short texts are evidence in full, however few their words.
    shortest = min(len(a.tokens), len(b.tokens))
    min_words = min(config.min_passage_words, shortest) if a.short or b.short else config.min_passage_words
    # The two texts' sentences compared once, for the sentence pass and the summary step.
    vectors = paired(x.align.sentences, y.align.sentences, floor=LOOSE_COSINE)
    passages = align_sides(x.align, y.align, min_words=max(1, min_words), vectors=vectors)
    # The verdict rests on the copied passages; a summary of B in A is shown as one passage.
    shown = summarised(x.align, y.align, passages, vectors=vectors)
    return Pair(
        a=a.id, b=b.id, similarity=round(figures.similarity, 4),
        containment=round(figures.containment, 4), containment_a=round(figures.containment_a, 4),
        containment_b=round(figures.containment_b, 4),
        duplicate=is_duplicate(a, b, figures, passages, threshold=config.threshold,
                               passage_words=config.passage_words),
        passages=shown,
        relation=explain(shown, a.tokens, b.tokens),
    )


def _reread(doc: Screened) -> Reread:
    """A screened document made ready for its alignments: the same :class:`Prepared` as
    :func:`dupefind.verify.prepare` makes, from the hashes, boilerplate and shingles already had."""
    tokens = compact_tokens(doc.text)
    prepared = Prepared(doc.id, doc.text, tokens, doc.boilerplate, doc.shingles, doc.short,
                        tuple(doc.words.segment_starts.tolist()))
    ignore = prepared.boilerplate if prepared.boilerplate.any() else None
    return Reread(prepared, side(doc.text, tokens, ignore, segment_starts=prepared.segment_starts))


def _prepare(doc_id: str, text: str, commons: Commons, config: Config) -> Reread:
    prepared = prepare(doc_id, text, commons=commons, scheme=config.scheme, ngram=config.shingle_size,
                       min_words=config.min_words)
    ignore = prepared.boilerplate if prepared.boilerplate.any() else None
    return Reread(prepared, side(text, prepared.tokens, ignore, segment_starts=prepared.segment_starts))


def identical_groups(catalog: Catalog) -> tuple[npt.NDArray[np.bool_], list[tuple[int, int]]]:
    """Documents with the same words (same :attr:`~Catalog.exact_keys`) are one group, led by
    its first document (the smallest id): which documents lead a group or stand alone (only
    they are looked up in LSH, so a document like the group is paired with its first), and each
    other member paired with its group's first. A thousand identical pages cost a thousand
    pairs, not half a million; documents without words form no group. A document proposed with
    a group's first is then proposed with its members too (:func:`with_members`)."""
    count = len(catalog.documents)
    if not count:
        return np.ones(0, dtype=bool), []
    _, first, inverse = np.unique(catalog.exact_keys, return_index=True, return_inverse=True)
    lead = first[inverse.reshape(-1)]
    words = np.array([d.words > 0 for d in catalog.documents], dtype=bool)
    member = words & (lead != np.arange(count))
    return ~member, list(zip(lead[member].tolist(), np.flatnonzero(member).tolist()))


def with_members(candidates: list[tuple[int, int]], identical: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates of the groups' firsts extended to their members: a document proposed with
    a group's first is proposed with each document identical to it, as it would have been had
    they all been looked up (``identical``: each member with its group's first, as
    :func:`identical_groups` gives them). A member's pairs cost one per pair of its first."""
    if not identical:
        return candidates
    members: dict[int, list[int]] = {}
    for first, member in identical:
        members.setdefault(first, []).append(member)
    found = set(candidates)
    for a, b in candidates:
        for x in [a, *members.get(a, ())]:
            for y in [b, *members.get(b, ())]:
                found.add((min(x, y), max(x, y)))
    return sorted(found)


def without_changed(catalog: Catalog, pairs: list[PackedPair], changed: set[int]
                     ) -> tuple[tuple[Document, ...], tuple[Skipped, ...], list[PackedPair]]:
    """The documents, the skipped inputs and the pairs, with the documents that changed during
    the scan moved to the skipped inputs and their pairs dropped."""
    if not changed:
        return catalog.documents, catalog.skipped, pairs
    skipped = [*catalog.skipped, *(Skipped(_where(catalog.documents[k], catalog.locations[k]), CHANGED)
                                   for k in sorted(changed))]
    documents, pairs = without_documents(catalog.documents, pairs, changed)
    return documents, tuple(sorted(skipped, key=lambda s: (s.path, s.reason))), pairs


def without_documents(documents: tuple[Document, ...], pairs: list[PackedPair], gone: set[int]
                      ) -> tuple[tuple[Document, ...], list[PackedPair]]:
    """``documents`` and ``pairs`` without the documents numbered in ``gone`` and their pairs."""
    if not gone:
        return documents, pairs
    ids = {documents[k].id for k in gone}
    return tuple(d for d in documents if d.id not in ids), [p for p in pairs if p.a not in ids and p.b not in ids]


#: Why a document that changed between the two reads of a scan is skipped.
CHANGED = "changed during the scan (its text when re-read differs from the first read); its pairs are dropped"


def _where(document: Document, location: Location) -> str:
    return f"{document.path}:{location.line}" if location.line else document.path


def path_list(paths: PathArg | Iterable[PathArg]) -> list[str]:
    """``paths`` as a list of strings: one path alone is a list of one."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a path (str or os.PathLike) or a list of them, not {type(paths).__name__}")
    out: list[str] = []
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"each path must be a str or os.PathLike, not {type(path).__name__}: {path!r}")
        name = os.fspath(path)
        if not isinstance(name, str):
            raise TypeError(f"each path must be a str or os.PathLike of str, not bytes: {path!r}")
        out.append(name)
    return out


def _stdin_names(given: Sequence[str], real: Sequence[str]) -> dict[str, str]:
    return {r: STDIN for g, r in zip(given, real) if g == STDIN}


def _rank(pair: PackedPair) -> tuple[float, float, str, str]:
    return (-pair.similarity, -pair.containment, pair.a, pair.b)


# The steps under check_pairs, for runners that bring the texts themselves (the Spark engine
# joins them to the pairs instead of re-reading files).


def prepare_document(doc_id: str, text: str, *, commons: Commons, config: Config) -> Reread:
    """A document made ready for the verification and the alignment of its pairs."""
    return _prepare(doc_id, text, commons, config)


def judge_pair(a: Reread, b: Reread, *, config: Config) -> Pair:
    """The verdict on two prepared documents (``a`` first: the smaller id in a scan), with its
    figures and passages, as :func:`check_pairs` gives it."""
    return _pair(a, b, config)


def pair_rank(pair: PackedPair) -> tuple[float, float, str, str]:
    """The order of a scan's pairs: most similar first, then most contained, then by ids."""
    return _rank(pair)
