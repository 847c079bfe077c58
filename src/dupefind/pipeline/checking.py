"""A task's pairs checked (:func:`check_pairs`): each of its documents re-read and screened
once, each pair judged on that (:mod:`.judging`), boilerplate weighed per pair, and a pair
that is no copy so looked at again with the common segments only one of its documents holds
spared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import numpy.typing as npt

from ..boilerplate import (
    Commons,
    Keys,
    Segments,
    boilerplate_mask,
    common_held,
    segment_hashes,
    shunned_beside,
    spared_beside,
)
from ..config import Config
from ..errors import REREAD_FAILURES
from ..models import Location, PackedPair, Pair
from ..screen import (
    Holdings,
    Probe,
    Screened,
    holdings,
    kept_words,
    pairs_within_reach,
    probe,
    screened,
    sentence_seeds_possible,
    shares_content,
)
from ..sketching import checksum
from ..sources import load_text
from ..verify import REWRITTEN_SHARED
from .judging import Reread, _reread, staged_pair
from .kept import KEPT, Made
from .tasks import PairTask

TextLoader = Callable[[Location], str]
"""Re-reads a document's text from its location (picklable, to run in worker processes)."""

_NO_KEYS: Keys = np.empty(0, dtype=np.uint64)
#: A pair whose passages cover this share of one document is a copy of it (as
#: :mod:`dupefind.explain` calls a text mostly inside another ``partial``).
COVERED = 0.5


@dataclass(frozen=True, slots=True)
class Checked:
    """What one task of candidate pairs gave."""

    pairs: list[PackedPair]
    """The copies among them (packed: smaller to send and to keep)."""
    count: int
    """How many pairs were checked."""
    changed: list[int]
    """Documents whose text is no longer what the first pass read (their pairs are dropped)."""



class TaskDocuments:
    """The documents of one task of pairs (:func:`check_pairs`), each re-read and screened once,
    and what the checks of its pairs make of each, made once: its probe, its tokens ready for
    the aligner, and how it reads beside a partner (:func:`~dupefind.boilerplate.spared_beside`:
    the same document screened again, without re-reading it, with some common segments
    spared)."""

    def __init__(self, task: PairTask, *, commons: Commons, config: Config, load: TextLoader | None = None) -> None:
        self.task, self.commons, self.config = task, commons, config
        self._read = load or partial(load_text, text_field=config.text_field, max_bytes=config.max_document_bytes)
        self._screened: dict[int, Screened | None] = {}
        self._variants: dict[tuple[int, bytes], Screened] = {}
        self._held: dict[int, tuple[Keys, bool]] = {}
        self._segments: dict[int, Segments] = {}
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
            holding = self._screened[index] is not None and len(self.commons.keys) > 0
            self._held[index] = common_held(self.segments(index), self.commons) if holding else (_NO_KEYS, False)
        return self._held[index]

    def segments(self, index: int) -> Segments:
        """The segments of a screened document (:func:`~dupefind.boilerplate.segment_hashes`), once."""
        if index not in self._segments:
            doc = self._screened[index]
            assert doc is not None
            self._segments[index] = segment_hashes(doc.words)
        return self._segments[index]

    def beside(self, index: int, other: int, *, related: bool = False) -> Screened:
        """Document ``index`` (screened) as it reads in a pair with ``other`` (``related``: the
        two share other text): the common segments ``spared_beside`` spares are evidence."""
        doc, partner = self._screened[index], self._screened[other]
        assert doc is not None and partner is not None
        if not doc.boilerplate.any():
            return self._apart(index, other, doc)
        if not related and partner.boilerplate.any():
            return doc  # (a partner that sets anything aside keeps nothing)
        spared = spared_beside(self.holds(index)[0], *self.holds(other), self.commons, related=related)
        if not len(spared):
            return doc
        key = (index, spared.tobytes())
        if key not in self._variants:
            self._variants[key] = self._screened_text(doc.id, doc.text, self.commons.sparing(spared))
        return self._variants[key]

    def _apart(self, index: int, other: int, doc: Screened) -> Screened:
        """Document ``index`` (``doc``: it sets nothing aside) beside ``other``: with the widely-run
        segments :func:`~dupefind.boilerplate.shunned_beside` shuns set aside, when both keep
        their common text."""
        if not len(self.commons.widespread) or not self.holds(index)[1] or not self.holds(other)[1]:
            return doc
        shunned = shunned_beside(self.segments(index), self.holds(index)[0], self.holds(other)[0],
                                 self.segments(other), self.commons)
        if not len(shunned):
            return doc
        key = (index, b"shunned" + shunned.tobytes())
        if key not in self._variants:
            self._variants[key] = self._screened_text(doc.id, doc.text, self.commons.shunning(shunned))
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
        # The words it would spare are some of those it sets aside: when all of these together
        # hold too few of the partner's content words, so do they (the common case, and cheaper
        # than finding the segments spared).
        if not shares_content(doc.words.hashes[doc.boilerplate], self._kept_of(partner), least=REWRITTEN_SHARED):
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
        return shares_content(doc.words.hashes[freed], self._kept_of(partner), least=REWRITTEN_SHARED)

    def _kept_of(self, doc: Screened) -> npt.NDArray[np.uint64]:
        """:func:`~dupefind.screen.kept_words` of a screened document, once."""
        if id(doc) not in self._kept:
            self._kept[id(doc)] = kept_words(doc)
        return self._kept[id(doc)]

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

