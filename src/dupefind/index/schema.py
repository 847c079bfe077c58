"""The index's tables, as an ordered list of migrations (simonw/llm's ``migrations.py`` habit).

Each migration is a small function that takes the database one step further; the names of the
steps applied are recorded in ``_migrations``, and ``PRAGMA user_version`` holds how many
there are: the schema version. Opening an index applies the steps it lacks, in order, in one
transaction. An index with a higher version than this code knows was made by a newer dupefind
and is refused, never migrated downwards.

The tables (schema 7: as schema 6, the band keys in runs of packed blocks; schema 6: as schema
5, the content view's signatures of 192 values, not 128; schema 5: as schema 4, the content view
sketched on stems; schema 4: as schema 3, with the short texts of 12 words or more sketched):

- ``meta``: ``key``/``value`` rows: the fingerprint configuration (JSON), whether texts are
  kept, the dupefind version that created the index;
- ``documents``: one row per document: its number (``doc``), id, input path, sizes, a content
  hash (BLAKE2b-128 of the text), the hash of a short text's words (``exact_key``, indexed), its
  boilerplate segment keys, where it was read from, and the batch that added it;
- ``sketches``: per document and candidate view, its MinHash signatures (one per window of
  the text, or one for the whole text), the sizes of their shingle sets, and which rows are
  held rows (NULL: none; schema 3);
- ``texts``: the text of each document, zlib-compressed (absent when only locations are kept);
- ``band_runs`` and ``band_blocks`` (schema 7; before, ``band_keys``: a row a key): every LSH
  band key of each document's signatures, as sorted runs of packed blocks (:mod:`.runs`), so
  that the documents colliding with a new one are a lookup of one block a key and run;
- ``segments``: for every boilerplate segment key, in how many documents it occurs (kept exact
  as documents are added and removed);
- ``segment_docs``: ``(key, doc)``, one row per segment key of each document, in a clustered
  primary key: the documents holding a segment whose boilerplate status changes, which are
  sketched again in the views that set boilerplate aside (schema 2);
- ``batches``: one row per committed batch (a transaction of ``index add``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable

from ..errors import IndexFileError

Migration = Callable[[sqlite3.Connection], None]

#: Marks a SQLite file as a dupefind index (``PRAGMA application_id``: "dupf").
APPLICATION_ID = 0x64757066

MIGRATIONS: list[Migration] = []


def migration(step: Migration) -> Migration:
    """Register ``step`` as the next migration."""
    MIGRATIONS.append(step)
    return step


def schema_version() -> int:
    """The schema version this code writes: the number of migrations."""
    return len(MIGRATIONS)


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE batches (
               batch INTEGER PRIMARY KEY, documents INTEGER NOT NULL, added_at TEXT NOT NULL)""",
        """CREATE TABLE documents (
               doc INTEGER PRIMARY KEY,
               id TEXT NOT NULL UNIQUE,
               path TEXT NOT NULL,
               chars INTEGER NOT NULL,
               words INTEGER NOT NULL,
               short INTEGER NOT NULL,
               content_hash BLOB NOT NULL,
               exact_key BLOB,
               segments BLOB NOT NULL,
               location TEXT NOT NULL,
               batch INTEGER NOT NULL REFERENCES batches(batch))""",
        "CREATE INDEX documents_exact_key ON documents(exact_key) WHERE exact_key IS NOT NULL",
        "CREATE TABLE texts (doc INTEGER PRIMARY KEY, data BLOB NOT NULL)",
        """CREATE TABLE sketches (
               doc INTEGER NOT NULL, view INTEGER NOT NULL, sizes BLOB NOT NULL, signatures BLOB NOT NULL,
               PRIMARY KEY (doc, view))""",
        """CREATE TABLE band_keys (
               view INTEGER NOT NULL, band INTEGER NOT NULL, key INTEGER NOT NULL, doc INTEGER NOT NULL,
               PRIMARY KEY (view, band, key, doc)) WITHOUT ROWID""",
        "CREATE TABLE segments (key INTEGER PRIMARY KEY, docs INTEGER NOT NULL)",
    ):
        db.execute(statement)


@migration
def m002_segment_documents(db: sqlite3.Connection) -> None:
    # Schema 1 stored every view's signatures on all the words; the content view now sets
    # boilerplate aside, which a migration cannot redo without the texts and the options.
    if db.execute("SELECT count(*) FROM meta").fetchone()[0]:
        raise IndexFileError("this index was made by an older dupefind (index schema 1), whose signatures this "
                             "version cannot use: make the index again with `dupefind index add`")
    db.execute("""CREATE TABLE segment_docs (
                      key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID""")


@migration
def m003_held_rows(db: sqlite3.Connection) -> None:
    # Schema 2 stored a document holding boilerplate on its words less boilerplate alone; the
    # content view now keeps its rows on all its words beside them (held rows), which a
    # migration cannot make without the texts and the options.
    if db.execute("SELECT count(*) FROM meta").fetchone()[0]:
        raise IndexFileError("this index was made by an older dupefind (index schema 2), whose signatures this "
                             "version cannot use: make the index again with `dupefind index add`")
    db.execute("ALTER TABLE sketches ADD COLUMN held BLOB")


@migration
def m004_short_texts_sketched(db: sqlite3.Connection) -> None:
    # Schema 3 gave short texts (fewer words than min_words) no rows: they paired only when
    # identical. They are now copies by a passage of half their words too, and those of
    # LEAST_PASSAGE_WORDS words or more have content-view rows, which a migration cannot make
    # without the texts and the options. An index holding none such needs nothing.
    from ..verify import LEAST_PASSAGE_WORDS

    unsketched = db.execute("SELECT count(*) FROM documents WHERE short = 1 AND words >= ?",
                            (LEAST_PASSAGE_WORDS,)).fetchone()[0]
    if unsketched:
        raise IndexFileError(f"this index was made by an older dupefind (index schema 3), which left its {unsketched} "
                             f"short texts of {LEAST_PASSAGE_WORDS} words or more unsketched (they are now compared by "
                             "their passages): make the index again with `dupefind index add`")


@migration
def m005_content_stems(db: sqlite3.Connection) -> None:
    # Schema 4 sketched the content view on whole words; it is now sketched on their stems (the
    # first letters of each content word), which a migration cannot redo without the texts and
    # the options. An index holding no document needs nothing.
    _refused_when_it_holds_documents(db, 4, "this version cannot use")


@migration
def m006_content_permutations(db: sqlite3.Connection) -> None:
    # Schema 5 kept 128 values a window of the content view; there are now 192 (more bands, a
    # surer estimate), which cannot be computed without the texts. An index holding no document
    # needs only its record of the views written again (it is, when it is next opened).
    _refused_when_it_holds_documents(db, 5, "hold fewer values than this version compares")
    db.execute("DELETE FROM meta WHERE key = 'views'")


@migration
def m007_band_runs(db: sqlite3.Connection) -> None:
    # Schema 6 kept a row a band key in a clustered B-tree, which every batch rewrote nearly
    # whole; the keys are now sorted runs of packed blocks (:mod:`.runs`), made from those rows.
    from .runs import from_rows

    db.execute("""CREATE TABLE band_runs (
                      run INTEGER PRIMARY KEY AUTOINCREMENT, entries INTEGER NOT NULL, blocks INTEGER NOT NULL,
                      fresh INTEGER NOT NULL)""")
    db.execute("""CREATE TABLE band_blocks (
                      run INTEGER NOT NULL, first INTEGER NOT NULL, codes BLOB NOT NULL, docs BLOB NOT NULL,
                      PRIMARY KEY (run, first)) WITHOUT ROWID""")
    from_rows(db, db.execute("SELECT view, band, key, doc FROM band_keys"))
    db.execute("DROP TABLE band_keys")


def _refused_when_it_holds_documents(db: sqlite3.Connection, schema: int, why: str) -> None:
    """An index of ``schema`` holding documents refused: their content signatures (``why``
    this version cannot use them) need the texts to be made again."""
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    if documents:
        raise IndexFileError(f"this index was made by an older dupefind (index schema {schema}), whose content "
                             f"signatures of its {documents} documents {why}: make the index again with "
                             "`dupefind index add`")


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations ``db`` lacks, in order, in one transaction (the caller checked that
    its version is not newer than :func:`schema_version`)."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current >= len(MIGRATIONS):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
        if current == 0:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for step in MIGRATIONS[current:]:
            step(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                       (step.__name__, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        db.execute("COMMIT")
    except BaseException:
        rollback(db)
        raise


def rollback(db: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it ends one itself on some errors,
    a full disk among them, and a second ``ROLLBACK`` would then fail with "no transaction is
    active", hiding the error that matters)."""
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
