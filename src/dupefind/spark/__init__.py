"""The scan on Spark: the same stages, the same pairs, on a cluster (or in local mode).

Needs the ``spark`` extra (``pip install "dupefind[spark]"``) and a Java runtime.

- :func:`scan_dataframe` scans a DataFrame of ids and texts and returns DataFrames of pairs
  (with passages), clusters, documents and skipped rows (:class:`SparkScan`);
- :func:`scan_paths` is :func:`dupefind.scan` on Spark (``dupefind scan --engine spark``);
- ``python -m dupefind.spark`` (or ``spark-submit`` of that module) writes a scan's outputs
  as Parquet or JSON Lines to a folder.
"""

from __future__ import annotations

from .session import BUCKET_CAP, INSTALL, SparkUnavailable, spark_session

__all__ = ["BUCKET_CAP", "SparkScan", "SparkUnavailable", "scan_dataframe", "scan_inputs", "scan_paths", "spark_session"]


def __getattr__(name: str) -> object:
    # The engine imports pyspark: loaded when first used, so that a missing pyspark is an
    # error only for those who use it (with what to install).
    if name in {"SparkScan", "scan_dataframe", "scan_inputs", "scan_paths"}:
        try:
            from . import engine
        except ImportError as error:
            raise SparkUnavailable(f"{error}; {INSTALL}") from None
        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
