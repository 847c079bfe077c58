"""dupefind: find near-duplicate articles — spun, reworded, cut, reordered or pasted inside
another text — and show the matching passages as evidence.

>>> import dupefind
>>> report = dupefind.scan(["samples/"])          # doctest: +SKIP
>>> pair = dupefind.compare(text_a, text_b)       # doctest: +SKIP

The names below are loaded when first used (PEP 562), so that ``import dupefind`` and the
command line start at once: a Ctrl-C while the pipeline's modules load ends quietly
(:mod:`dupefind.console`), and a script that only needs :class:`Config` does not load numba.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Config
    from .dedup_output import DedupResult, OutputError, dedup
    from .dedup_plan import DedupPlan, Removal, plan_dedup
    from .errors import ConfigError, DupefindError, IndexConfigError, IndexFileError, InputError, SourceMovedError
    from .index import Index
    from .inmemory import scan_texts
    from .models import Document, Edit, Pair, Passage, Relation, Report, Skipped, Substitution
    from .pipeline import compare, scan

    __version__: str

_HOMES = {
    ".config": ["Config"],
    ".dedup_plan": ["DedupPlan", "Removal", "plan_dedup"],
    ".dedup_output": ["DedupResult", "OutputError", "dedup"],
    ".errors": ["ConfigError", "DupefindError", "IndexConfigError", "IndexFileError", "InputError", "SourceMovedError"],
    ".index": ["Index"],
    ".inmemory": ["scan_texts"],
    ".models": ["Document", "Edit", "Pair", "Passage", "Relation", "Report", "Skipped", "Substitution"],
    ".pipeline": ["compare", "scan"],
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _installed_version()
    elif name in _HOME_OF:
        value = getattr(import_module(_HOME_OF[name], __name__), name)
    elif not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        value = import_module(f".{name}", __name__)  # a stage module, as `import dupefind` once loaded them
    else:
        raise AttributeError(f"module 'dupefind' has no attribute {name!r}")
    globals()[name] = value  # loaded once; later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dupefind")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0"


__all__ = [
    "Config",
    "ConfigError",
    "DedupPlan",
    "DedupResult",
    "Document",
    "DupefindError",
    "Edit",
    "Index",
    "IndexConfigError",
    "IndexFileError",
    "InputError",
    "OutputError",
    "Pair",
    "Passage",
    "Relation",
    "Removal",
    "Report",
    "Skipped",
    "SourceMovedError",
    "Substitution",
    "__version__",
    "compare",
    "dedup",
    "plan_dedup",
    "scan",
    "scan_texts",
]
