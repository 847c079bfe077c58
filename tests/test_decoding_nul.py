"""Files with a few NUL bytes: text with stray NULs is read (each NUL as U+FFFD, offsets kept),
real binaries are still skipped as "binary file (contains NUL bytes)"."""

from __future__ import annotations

import gzip
import io
import random
import sqlite3
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import sample_text
from hypothesis import given
from hypothesis import strategies as st

import dupefind
from dupefind import Config
from dupefind.decoding import NotText, binary_by_nuls, decode
from dupefind.models import Skipped
from dupefind.sources import Record, load_text, read_records

ARTICLE = sample_text("040_night_trains_return.txt")
BINARY = "binary file (contains NUL bytes)"


def _read_one(path: Path) -> Record | Skipped:
    (item,) = read_records([str(path)])
    return item


def _with_nuls(text: str, every: int) -> bytes:
    """``text`` as UTF-8 with a NUL put in place of every ``every``-th space after the first line."""
    data = bytearray(text.encode("utf-8"))
    spaces = [i for i, byte in enumerate(data) if byte == 0x20 and i > 100]
    for i in spaces[::every]:
        data[i] = 0
    return bytes(data)


@pytest.mark.parametrize("name", ["stray.txt", "stray", "page.html"])
def test_text_with_stray_nul_bytes_is_read_with_each_nul_as_one_replacement_character(tmp_path: Path,
                                                                                      name: str) -> None:
    data = _with_nuls(ARTICLE, every=60)
    nuls = data.count(0)
    assert 3 <= nuls <= 0.01 * len(data)
    if name.endswith(".html"):
        data = b"<html><body><article><p>" + data + b"</p></article></body></html>"
    path = tmp_path / name
    path.write_bytes(data)
    record = _read_one(path)
    assert isinstance(record, Record), record
    assert "\x00" not in record.text and record.text.count("\ufffd") == nuls
    if not name.endswith(".html"):
        assert record.text == data.decode("utf-8").replace("\x00", "\ufffd")  # one character for one
    assert load_text(record.location) == record.text


def test_legacy_encoded_text_with_a_stray_nul_is_read(tmp_path: Path) -> None:
    text = ARTICLE.replace("'", "\u2019").replace(" - ", " \u2013 ")
    data = bytearray(text.encode("cp1252"))
    data[len(data) // 2] = 0
    path = tmp_path / "windows.txt"
    path.write_bytes(bytes(data))
    record = _read_one(path)
    assert isinstance(record, Record), record
    assert record.location.encoding == "cp1252"
    assert record.text == bytes(data).decode("cp1252").replace("\x00", "\ufffd")
    assert load_text(record.location) == record.text


def test_a_nul_after_the_first_8_kb_is_read_the_same_way(tmp_path: Path) -> None:
    text = ARTICLE * (1 + 12000 // len(ARTICLE))
    at = text.index(" ", 9000)
    data = (text[:at] + "\x00" + text[at + 1:]).encode("utf-8")
    assert data.index(0) > 8192
    path = tmp_path / "late.txt"
    path.write_bytes(data)
    record = _read_one(path)
    assert isinstance(record, Record)
    assert record.text == text[:at] + "\ufffd" + text[at + 1:]


def test_passages_of_a_copy_with_stray_nuls_index_the_text_as_read(tmp_path: Path) -> None:
    (tmp_path / "original.txt").write_text(ARTICLE, encoding="utf-8")
    copy = _with_nuls(ARTICLE, every=40)
    (tmp_path / "copy.txt").write_bytes(copy)
    report = dupefind.scan([str(tmp_path)], Config())
    assert not report.skipped
    (pair,) = report.pairs
    texts = {str(tmp_path / "original.txt"): ARTICLE, str(tmp_path / "copy.txt"): copy.decode().replace("\x00", "\ufffd")}
    assert pair.passages
    for passage in pair.passages:
        assert texts[pair.a][passage.a_start:passage.a_end] == passage.a_text
        assert texts[pair.b][passage.b_start:passage.b_end] == passage.b_text


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes(random.Random(row).randrange(256) for _ in range(3 * 64)) for row in range(64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _pdf() -> bytes:
    """A PDF whose only binary part is one NUL in a content stream of ASCII text: fewer than
    1 % control bytes, no control byte up front; known by its signature."""
    stream = b"BT /F1 12 Tf 72 712 Td (" + ARTICLE.encode("ascii", "replace")[:3000] + b"\x00) Tj ET"
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"4 0 obj << /Length " + str(len(stream)).encode() + b" >> stream\n" + stream + b"\nendstream endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def _zip(method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        archive.writestr("article.txt", ARTICLE * 40)  # stored: nearly all of it text
    return out.getvalue()


def _tar(name: str) -> bytes:
    out = io.BytesIO()
    data = (ARTICLE * 40).encode("utf-8")
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _elf() -> bytes:
    header = b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0,
                                                              64, 56, 1, 64, 0, 0)
    return header + (ARTICLE * 20).encode("utf-8")  # strings section: text after a binary header


def _sqlite(tmp_path: Path) -> bytes:
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE articles (body TEXT)")
        db.executemany("INSERT INTO articles VALUES (?)", [(ARTICLE,)] * 30)
    db.close()
    return path.read_bytes()


def _jpeg() -> bytes:
    noise = bytes(random.Random(7).randrange(256) for _ in range(4000)).replace(b"\xff", b"\xfe")
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            b"\xff\xfe\x00\x40" + ARTICLE.encode("ascii", "replace")[:62] + b"\xff\xda\x00\x08" + noise + b"\xff\xd9")


BINARIES = {
    "png": lambda tmp: _png(),
    "pdf": lambda tmp: _pdf(),
    "zip-stored": lambda tmp: _zip(zipfile.ZIP_STORED),
    "zip-deflated": lambda tmp: _zip(zipfile.ZIP_DEFLATED),
    "gzip": lambda tmp: gzip.compress((ARTICLE * 10).encode("utf-8"), mtime=0),
    "elf": lambda tmp: _elf(),
    "sqlite": _sqlite,
    "jpeg": lambda tmp: _jpeg(),
    "tar": lambda tmp: _tar("article.txt"),
    "tar-long-name": lambda tmp: _tar("articles/" + "a-long-folder-name/" * 4 + "article.txt"),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
@pytest.mark.parametrize("name", ["file.txt", "file"])
def test_real_binaries_are_still_skipped_as_binary(tmp_path: Path, kind: str, name: str) -> None:
    data = BINARIES[kind](tmp_path)
    assert b"\x00" in data
    path = tmp_path / name
    path.write_bytes(data)
    item = _read_one(path)
    assert isinstance(item, Skipped), kind
    assert item.reason.endswith(BINARY), item.reason
    with pytest.raises(NotText, match=r"^binary file \(contains NUL bytes\)$"):
        decode(data)


def test_the_bounds_of_the_rule() -> None:
    text = ARTICLE.encode("utf-8")
    budget = len(text) // 100  # at most 1 % control bytes
    spread = bytearray(text)
    for i in range(100, len(text), len(text) // budget)[:budget]:
        spread[i] = 0
    assert not binary_by_nuls(bytes(spread))
    assert binary_by_nuls(bytes(spread[:100]) + b"\x00" + bytes(spread[100:]))  # one more
    assert binary_by_nuls(text[:63] + b"\x00" + text[64:])  # in the first 64 bytes
    assert not binary_by_nuls(text[:64] + b"\x00" + text[65:])
    assert binary_by_nuls(text[:200] + b"\x01\x02\x03" * 30 + text[200:])  # other controls count too
    assert not binary_by_nuls(text[:200] + b"\x00\t\n\r\x0c" * (len(text) // 200) + text[200:])  # tab, LF, CR, FF do not count


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=200, max_size=2000),
       st.lists(st.integers(min_value=0), max_size=5))
def test_stray_nuls_keep_every_other_character_and_offset(text: str, where: list[int]) -> None:
    data = bytearray(b"x" * 64 + text.encode("utf-8"))
    starts = [i for i in range(64, len(data)) if data[i] & 0xC0 != 0x80]  # character boundaries
    for at in sorted({starts[n % len(starts)] for n in where}, reverse=True):
        data.insert(at, 0)
    if data.count(0) > 0.01 * len(data):
        return
    decoded, _ = decode(bytes(data))
    assert decoded == bytes(data).decode("utf-8").replace("\x00", "\ufffd")
