"""A Spark session for a scan: the master and any ``spark.*`` settings the user gives, and the
errors of a missing pyspark or Java runtime turned into :class:`SparkUnavailable`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import DupefindError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

#: Settings a scan starts with unless given: no web UI, and as many shuffle partitions as a
#: small local run needs (raise ``spark.sql.shuffle.partitions`` on a cluster).
DEFAULTS = {"spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": "8"}
#: Default largest LSH bucket expanded into pairs (after identical signatures are collapsed).
BUCKET_CAP = 2000
INSTALL = 'the Spark engine needs pyspark and a Java runtime (17 or newer): pip install "dupefind[spark]"'


class SparkUnavailable(DupefindError):
    """pyspark is not installed, or Spark could not start (no Java runtime)."""


def spark_session(*, master: str = "local[*]", conf: Mapping[str, str] | None = None,
                  app_name: str = "dupefind") -> SparkSession:
    """A Spark session on ``master`` with ``conf`` (over :data:`DEFAULTS`)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(INSTALL) from None
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**DEFAULTS, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as error:  # pyspark raises several kinds when the JVM cannot start
        raise SparkUnavailable(f"Spark could not start ({str(error).strip().splitlines()[0]}); {INSTALL}") from None


@contextmanager
def running_session(*, master: str = "local[*]", conf: Mapping[str, str] | None = None) -> Iterator[SparkSession]:
    """:func:`spark_session`, stopped at the end if it was started here (a session already
    running in the process is used as it is, and left running)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(INSTALL) from None
    running = SparkSession.getActiveSession()
    session = running or spark_session(master=master, conf=conf)
    try:
        yield session
    finally:
        if running is None:
            session.stop()
