"""One parameter object for the whole pipeline, validated at the door.

Only :mod:`dupefind.pipeline` reads the whole :class:`Config`; every stage takes
the few keyword arguments it needs.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .errors import ConfigError

Scheme = Literal["stopwords", "words", "chars"]
SCHEMES: tuple[Scheme, ...] = ("stopwords", "words", "chars")

#: The shingle length used when ``Config.ngram`` is not given, per scheme.
DEFAULT_NGRAM: dict[Scheme, int] = {"stopwords": 8, "words": 5, "chars": 7}


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system says, as a
    container's CPU set limits it; else every core)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


#: The largest count a setting may hold (the compiled checks take 32-bit counts; a passage of
#: more words than that is no setting anyone means).
MOST = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Config:
    """Every knob of a scan. The defaults are the measured, spin-robust configuration."""

    scheme: Scheme = "stopwords"
    """Shingling scheme: ``stopwords`` (n-grams of function words only, robust to synonym
    spinning; documents with too few English function words fall back to word n-grams),
    ``words`` (word n-grams) or ``chars`` (character n-grams of the normalised text)."""
    ngram: int | None = None
    """Shingle length in tokens (characters for ``chars``); ``None`` picks the scheme's default."""
    num_perm: int = 128
    """MinHash permutations per signature."""
    seed: int = 1
    """Seed of the MinHash permutations (signatures are comparable only with the same seed)."""
    threshold: float = 0.2
    """Report a pair when this share of the smaller document's shingles is found in the other
    (containment), after boilerplate is set aside."""
    passage_words: int = 30
    """Also report a pair when one matching passage holds at least this many identical words
    (a copied stretch inside two longer texts); 0 turns this off."""
    lsh_threshold: float = 0.1
    """Jaccard level the LSH bands are tuned for: lower finds more candidates, slower."""
    min_words: int = 50
    """Documents with fewer words are *short*: too few shingles for containment to tell, so they
    are copies when their normalised text is identical or when a passage holds half their words
    (at least 12); only their content words are fingerprinted."""
    boilerplate_min_docs: int = 5
    """A line or sentence found verbatim in at least this many documents is boilerplate,
    unless it makes up half or more of a document's words (then it is that document's content)."""
    min_passage_words: int = 12
    """Shortest passage (matched words) shown as evidence."""
    jobs: int = 0
    """Processes for the first pass (tokenising and fingerprinting); 0 uses every core."""
    id_field: str = "id"
    """JSONL field holding a document's id."""
    text_field: str = "text"
    """JSONL field holding a document's text."""
    include: tuple[str, ...] = ()
    """Glob patterns a file path must match to be read (all supported files when empty)."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of file paths to leave out."""
    follow_symlinks: bool = False
    """Follow symbolic links that point outside the scanned folder."""
    max_document_mb: int = 64
    """A file read as one document, a JSONL line or a Parquet row's text, larger than this many megabytes (MiB) is
    skipped unread, with its size: one huge file (a log, a dump, a disk image named ``.txt``)
    would otherwise be read whole into memory. 0: no limit."""

    def __post_init__(self) -> None:
        _check(self.scheme in SCHEMES, "scheme", self.scheme, f"one of {', '.join(SCHEMES)}")
        if self.ngram is not None:
            _check(_is_int(self.ngram) and 1 <= self.ngram <= 32, "ngram", self.ngram,
                   "a whole number from 1 to 32")
        _check(_is_int(self.num_perm) and 16 <= self.num_perm <= 1024, "num_perm",
               self.num_perm, "a whole number from 16 to 1024")
        _check(_is_int(self.seed) and 0 <= self.seed < 2**32, "seed", self.seed,
               "a whole number from 0 to 2**32 - 1")
        _check(_is_fraction(self.threshold), "threshold", self.threshold,
               "a number greater than 0 and at most 1")
        _check(_is_int(self.passage_words) and 0 <= self.passage_words <= MOST, "passage_words",
               self.passage_words, f"a whole number from 0 (off) to {MOST}")
        _check(_is_fraction(self.lsh_threshold), "lsh_threshold", self.lsh_threshold,
               "a number greater than 0 and at most 1")
        _check(_is_int(self.min_words) and 1 <= self.min_words <= MOST, "min_words", self.min_words,
               f"a whole number from 1 to {MOST}")
        _check(_is_int(self.boilerplate_min_docs) and 2 <= self.boilerplate_min_docs <= MOST,
               "boilerplate_min_docs", self.boilerplate_min_docs, f"a whole number from 2 to {MOST}")
        _check(_is_int(self.min_passage_words) and 1 <= self.min_passage_words <= MOST,
               "min_passage_words", self.min_passage_words, f"a whole number from 1 to {MOST}")
        _check(_is_int(self.jobs) and 0 <= self.jobs <= 1024, "jobs", self.jobs,
               "a whole number from 0 (every core) to 1024")
        _check(_is_int(self.max_document_mb) and 0 <= self.max_document_mb <= MOST, "max_document_mb",
               self.max_document_mb, f"a whole number from 0 (no limit) to {MOST}")
        for name in ("include", "exclude"):  # one glob alone is one glob, not its characters
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif isinstance(value, (list, tuple)) and all(isinstance(glob, str) for glob in value):
                object.__setattr__(self, name, tuple(value))
            else:
                _check(False, name, value, "a glob or a list of globs (strings)")
        for name in ("id_field", "text_field"):
            value = getattr(self, name)
            _check(isinstance(value, str) and value != "", name, value, "a non-empty field name")

    @property
    def processes(self) -> int:
        """The number of processes ``jobs`` stands for: at most the cores this process may run
        on (more would only take turns on them, each holding its own interpreter and batches,
        ~200 MB: ``--jobs 48`` on 2 cores took 10 GB and three times as long; 1024 would run
        out of memory)."""
        return min(self.jobs, cores()) if self.jobs else cores()

    @property
    def shingle_size(self) -> int:
        """The shingle length actually used."""
        return self.ngram if self.ngram is not None else DEFAULT_NGRAM[self.scheme]

    @property
    def max_document_bytes(self) -> int:
        """``max_document_mb`` in bytes (0: no limit)."""
        return self.max_document_mb << 20

    def as_dict(self) -> dict[str, Any]:
        """Every setting (``ngram`` resolved), as an index keeps them."""
        data = asdict(self)
        data["ngram"] = self.shingle_size
        data["include"] = list(self.include)
        data["exclude"] = list(self.exclude)
        return data

    def report_dict(self) -> dict[str, Any]:
        """The configuration as reports write it: :meth:`as_dict` without ``jobs``, which says
        how the scan ran, not what it found (every value gives the same report)."""
        data = self.as_dict()
        del data["jobs"]
        return data


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_fraction(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1


def _check(ok: bool, name: str, value: object, allowed: str) -> None:
    if not ok:
        raise ConfigError(name, f"must be {allowed}; got {value!r}")


def given_config(config: object) -> Config:
    """The configuration a library call was given (``None``: the defaults); anything but a
    :class:`Config` is a :class:`TypeError` at once, not an ``AttributeError`` deep in a scan."""
    if config is None:
        return Config()
    if not isinstance(config, Config):
        raise TypeError(f"config must be a dupefind.Config, not {type(config).__name__}")
    return config
