"""A Spark session for a scan: the master and any ``spark.*`` settings the user gives, and the
errors of a missing pyspark or Java runtime turned into :class:`SparkUnavailable`."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
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
        session = builder.getOrCreate()
    except Exception as error:  # pyspark raises several kinds when the JVM cannot start
        raise SparkUnavailable(f"Spark could not start ({str(error).strip().splitlines()[0]}); {INSTALL}") from None
    _quiet_metadata_probe(session)
    return session


def _quiet_metadata_probe(session: SparkSession) -> None:
    """Spark looks for a streaming sink's metadata folder under each path it reads, and logs the
    ``FileNotFoundException`` it meets for a glob (``s3a://bucket/*.parquet``) as a warning with
    the whole Java stack trace: noise a user reads as a failure. That one logger logs errors
    only (best effort: another logging setup is left as it is)."""
    with contextlib.suppress(Exception):
        jvm = getattr(session.sparkContext, "_jvm")  # noqa: B009  # py4j's gateway to the JVM, not typed
        log4j = jvm.org.apache.logging.log4j
        log4j.core.config.Configurator.setLevel("org.apache.spark.sql.execution.streaming.FileStreamSink",
                                                log4j.Level.ERROR)


@contextmanager
def running_session(*, master: str = "local[*]", conf: Mapping[str, str] | None = None,
                    quiet: bool = False) -> Iterator[SparkSession]:
    """:func:`spark_session`, stopped at the end if it was started here (a session already
    running in the process is used as it is, and left running). ``quiet``: a Ctrl-C, while the
    session starts or after, is a plain :class:`KeyboardInterrupt` (:func:`quiet_interrupts`)
    and the stopping session logs nothing more (for the command line)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(INSTALL) from None
    # While Spark starts, a Ctrl-C waits: pyspark's own handler (set as it starts) would ask a
    # JVM that is not there yet to cancel its jobs. The threads started meanwhile keep it
    # waiting; the main thread takes it once the quiet handler is in place.
    hold = quiet and threading.current_thread() is threading.main_thread()
    if hold:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        running = SparkSession.getActiveSession()
        session = running or spark_session(master=master, conf=conf)
    except BaseException:
        if hold:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    try:
        with quiet_interrupts() if quiet else contextlib.nullcontext():
            if hold:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a Ctrl-C held arrives here
            yield session
    except BaseException:
        if running is None:  # (a Ctrl-C may have ended Spark's Python workers: said in its log)
            with contextlib.suppress(Exception):
                if quiet:
                    session.sparkContext.setLogLevel("OFF")
                session.stop()
        raise
    if running is None:
        session.stop()


@contextmanager
def quiet_interrupts() -> Iterator[None]:
    """A Ctrl-C during a Spark run ends it with a plain :class:`KeyboardInterrupt`, the command
    line's to answer (:mod:`dupefind.console`): pyspark's own handler asks the JVM to cancel its
    jobs, but a Ctrl-C at a terminal has ended the JVM too, and py4j then logs tracebacks of the
    calls that find it gone. From the Ctrl-C on, nothing more is logged. (The main thread only,
    where signal handlers are set; elsewhere nothing changes.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: FrameType | None) -> None:
        logging.disable(logging.CRITICAL)
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
