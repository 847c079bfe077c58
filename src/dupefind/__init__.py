"""dupefind: find near-duplicate articles — spun, reworded, cut, reordered or pasted inside
another text — and show the matching passages as evidence.

>>> import dupefind
>>> report = dupefind.scan(["samples/"])          # doctest: +SKIP
>>> pair = dupefind.compare(text_a, text_b)       # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .config import Config
from .dedup import DedupPlan, Removal, plan_dedup
from .dedup_output import DedupResult, OutputError, dedup
from .errors import ConfigError, DupefindError, InputError
from .inmemory import scan_texts
from .models import (
    Document,
    Edit,
    Pair,
    Passage,
    Relation,
    Report,
    Skipped,
    Substitution,
)
from .pipeline import compare, scan

try:
    __version__ = version("dupefind")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Config",
    "ConfigError",
    "DedupPlan",
    "DedupResult",
    "Document",
    "DupefindError",
    "Edit",
    "InputError",
    "OutputError",
    "Pair",
    "Passage",
    "Relation",
    "Removal",
    "Report",
    "Skipped",
    "Substitution",
    "__version__",
    "compare",
    "dedup",
    "plan_dedup",
    "scan",
    "scan_texts",
]
