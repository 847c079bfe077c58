"""Sources: files, folders, JSONL and stdin to records, or to the reason they were skipped."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, sample_text

import dupefind
from dupefind import Config
from dupefind.models import Skipped
from dupefind.sources import STDIN, Record, Unit, load_text, open_inputs, plan_reading, read_records, read_unit

ARTICLE = sample_text("040_night_trains_return.txt")


def read(paths: list[Path | str], **options: object) -> tuple[dict[str, Record], dict[str, str]]:
    """Records by id and skip reasons by path."""
    records: dict[str, Record] = {}
    skipped: dict[str, str] = {}
    for item in read_records([str(p) for p in paths], **options):  # type: ignore[arg-type]
        if isinstance(item, Skipped):
            assert item.path not in skipped
            skipped[item.path] = item.reason
        else:
            assert item.id not in records
            records[item.id] = item
    return records, skipped


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


HTML = """<!doctype html><html><head><title>Page title</title>
<style>p { color: red }</style><script>var hidden = "script text";</script></head>
<body><nav>Home | News</nav><header>Site header</header>
<article><h1>Night trains</h1><p>First paragraph of the article.</p>
<p>Second &amp; last paragraph.</p></article>
<footer>Copyright footer</footer></body></html>"""


@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".TXT"])
def test_text_files_are_read_verbatim(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"article{suffix}", ARTICLE)
    records, skipped = read([path])
    assert skipped == {}
    record = records[str(path)]
    assert record.text == ARTICLE
    assert record.path == str(path)
    assert record.location.kind == "text"


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_gives_the_visible_article_text(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"page{suffix}", HTML)
    records, _ = read([path])
    text = records[str(path)].text
    assert text == "Night trains\n\nFirst paragraph of the article.\n\nSecond & last paragraph."
    for hidden in ("Page title", "color", "script text", "Home", "Site header", "Copyright"):
        assert hidden not in text


def test_jsonl_lines_are_records(tmp_path: Path) -> None:
    lines = [{"id": "first", "text": "Café one ☕"}, {"id": 2, "text": "two"}, {"text": "no id here"}]
    path = write(tmp_path / "docs.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    records, skipped = read([path])
    assert skipped == {}
    assert {k: r.text for k, r in records.items()} == {
        "first": "Café one ☕", "2": "two", f"{path}:3": "no id here"}
    assert all(r.path == str(path) for r in records.values())
    assert [records[k].location.line for k in ("first", "2", f"{path}:3")] == [1, 2, 3]


def test_unsupported_extension_is_skipped_with_reason(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "notes.rtf", ARTICLE)
    (tmp_path / "program").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    records, skipped = read([tmp_path])
    assert list(records) == [f"{tmp_path}/good.txt"]
    assert "unsupported file type (.rtf)" in skipped[f"{tmp_path}/notes.rtf"]
    assert ".txt" in skipped[f"{tmp_path}/notes.rtf"]  # says what is supported
    assert "no extension, and not text" in skipped[f"{tmp_path}/program"]  # (files without one that hold text: test_formats_in.py)


def test_unsupported_file_given_by_name_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", "a,b\n1,2\n")
    records, skipped = read([path])
    assert records == {}
    assert "unsupported file type (.csv)" in skipped[str(path)]


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    records, skipped = read([path])
    assert records == {}
    assert "binary" in skipped[str(path)]


# Windows-1252 is what many Windows editors save English text in: curly quotes, dashes,
# accented loan words, pound and euro signs are all single bytes.
CP1252_TEXTS = {
    "one curly apostrophe": ARTICLE.replace("'", "\u2019"),
    "curly quotes and dashes": ARTICLE.replace("'", "\u2019").replace(", ", " \u2014 ", 3)
    + "\n\u201cBook early,\u201d she said \u2013 \u201cthe sleepers sell out.\u201d\n",
    "accented words": ARTICLE + "\nHer r\u00e9sum\u00e9 mentioned a na\u00efve caf\u00e9 owner, "
    "cr\u00e8me br\u00fbl\u00e9e and d\u00e9j\u00e0 vu in Z\u00fcrich.\n",
    "pound and euro": ARTICLE + "\nA berth costs \u00a349 or \u20ac59.\n",
}


@pytest.mark.parametrize("name", sorted(CP1252_TEXTS))
def test_cp1252_file_is_decoded_correctly(tmp_path: Path, name: str) -> None:
    text = CP1252_TEXTS[name]
    path = write(tmp_path / "windows.txt", text.encode("cp1252"))
    records, skipped = read([path])
    assert skipped == {}
    record = records[str(path)]
    assert record.text == text, f"decoded as {record.location.encoding}"
    assert load_text(record.location) == text


def test_latin1_file_is_decoded_correctly(tmp_path: Path) -> None:
    text = ARTICLE + "\nCaf\u00e9 cr\u00e8me, na\u00efve gar\u00e7on, \u00bd price, 5\u00b0C.\n"
    path = write(tmp_path / "latin1.txt", text.encode("latin-1"))
    records, skipped = read([path])
    assert skipped == {}
    assert records[str(path)].text == text, f"decoded as {records[str(path)].location.encoding}"

# Legacy text in the languages whose letters Windows-1252 lacks: read as Windows-1252, Polish
# "ł" is "³" inside words and Turkish "ş" the letter "þ" (passages unreadable, copies half missed).
TURKISH = (
    'İzmirköy Belediye Meclisi, salı akşamı yaptığı oylamada tarihi şehir merkezinin büyük '
    'bölümünü önümüzdeki bahardan itibaren özel araç trafiğine kapatma kararı aldı. Kararı '
    'destekleyenler bu adımın çoktan atılması gerektiğini söylerken, karşı çıkanlar kararın '
    'küçük esnafa ağır bir darbe vuracağını savundu. Önerge, yaklaşık altı saat süren '
    'tartışmaların ardından 22 oya karşı 31 oyla kabul edildi.'
)
POLISH = (
    'Rada Miasta Lipnik przegłosowała we wtorek wieczorem zamknięcie większej części '
    'zabytkowego śródmieścia dla prywatnych samochodów od przyszłej wiosny. Zwolennicy mówią o '
    'decyzji, na którą czekano zbyt długo, przeciwnicy - o ciężkim ciosie dla małych sklepów. '
    'Uchwałę przyjęto stosunkiem głosów 31 do 22 po debacie, która trwała prawie sześć '
    'godzin.\n\nZgodnie z planem wewnątrz starej obwodnicy będą mogły poruszać się tylko autobusy,'
    ' taksówki, samochody dostawcze przed jedenastą rano oraz mieszkańcy posiadający specjalne '
    'zezwolenie. Przy czternastu wjazdach zostaną zamontowane kamery, a kierowcy, którzy wjadą '
    'do strefy bez pozwolenia, zapłacą mandat w wysokości trzystu złotych. Urząd miasta '
    'spodziewa się, że pierwsze kamery zaczną działać w kwietniu.'
)


@pytest.mark.parametrize(("text", "encoding"), [(TURKISH, "cp1254"), (TURKISH, "iso8859_9"), (POLISH, "cp1250"),
                                                (POLISH, "iso8859_2")])
def test_central_european_and_turkish_legacy_text_is_decoded_correctly(tmp_path: Path, text: str,
                                                                       encoding: str) -> None:
    path = write(tmp_path / "legacy.txt", text.encode(encoding))
    records, skipped = read([path])
    assert skipped == {}
    record = records[str(path)]
    assert record.text == text, f"decoded as {record.location.encoding}"
    assert load_text(record.location) == text



def test_utf8_bom_and_utf16_are_decoded(tmp_path: Path) -> None:
    text = "Caf\u00e9 society \u2014 a short note.\n" + ARTICLE
    bom = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    utf16 = write(tmp_path / "utf16.txt", text.encode("utf-16"))
    records, skipped = read([bom, utf16])
    assert skipped == {}
    assert records[str(bom)].text == text  # the BOM is not part of the text
    assert records[str(utf16)].text == text


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"), (b"  \n\t\n", "empty file"),
])
def test_empty_file_is_skipped(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "empty.txt", content)
    records, skipped = read([path])
    assert records == {}
    assert skipped[str(path)] == reason


def test_html_without_visible_text_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.html", "<html><head><script>x = 1</script></head><body> </body></html>")
    records, skipped = read([path])
    assert records == {}
    assert skipped[str(path)] == "no text in file"


def test_missing_path_is_skipped(tmp_path: Path) -> None:
    records, skipped = read([tmp_path / "nowhere.txt"])
    assert records == {}
    assert skipped == {str(tmp_path / "nowhere.txt"): "no such file or folder"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", ARTICLE)
    path.chmod(0)
    try:
        records, skipped = read([tmp_path])
    finally:
        path.chmod(0o644)
    assert records == {}
    assert skipped[f"{tmp_path}/secret.txt"].startswith("cannot read")


@pytest.mark.parametrize("follow", [False, True])
def test_dangling_link_is_skipped_as_what_it_is(tmp_path: Path, follow: bool) -> None:
    """A dangling link is a skip that names its target, not "a link out of the folder"."""
    folder = tmp_path / "scanned"
    write(folder / "own.txt", ARTICLE)
    (folder / "dangling.txt").symlink_to(tmp_path / "removed.txt")
    records, skipped = read([folder], follow_symlinks=follow)
    assert set(records) == {f"{folder}/own.txt"}
    assert skipped == {f"{folder}/dangling.txt": f"dangling link to {tmp_path}/removed.txt (the target does not exist)"}


def test_malformed_jsonl_lines_are_skipped_with_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "file.jsonl", "\n".join([
        json.dumps({"id": "a", "text": "first"}),
        json.dumps({"id": "b", "text": "second"}),
        '{"id": "c", "text": broken',
        "[1, 2, 3]",
        "",
        json.dumps({"id": "f", "text": "sixth"}),
    ]) + "\n")
    records, skipped = read([path])
    assert {k: r.text for k, r in records.items()} == {"a": "first", "b": "second", "f": "sixth"}
    assert set(skipped) == {f"{path}:3", f"{path}:4"}
    assert "malformed JSON" in skipped[f"{path}:3"]
    assert "not a JSON object" in skipped[f"{path}:4"]


def test_jsonl_lines_beyond_what_python_reads_are_skipped(tmp_path: Path) -> None:
    """Lines Python's JSON reader refuses with other errors than a syntax error (nested too
    deeply, a number of more than 4,300 digits) or takes though JSON has not (NaN, Infinity)
    are skipped with a reason, and the others read."""
    path = write(tmp_path / "file.jsonl", "\n".join([
        json.dumps({"id": "a", "text": "first"}),
        '{"id": "b", "text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "c", "text": "x", "n": ' + "1" * 5000 + "}",
        '{"id": NaN, "text": "x"}',
        '{"id": "e", "text": "x", "n": -Infinity}',
        json.dumps({"id": "f", "text": "sixth"}),
    ]) + "\n")
    records, skipped = read([path])
    assert {k: r.text for k, r in records.items()} == {"a": "first", "f": "sixth"}
    assert set(skipped) == {f"{path}:{n}" for n in (2, 3, 4, 5)}
    assert all("malformed JSON" in reason for reason in skipped.values())
    assert "nested too deeply" in skipped[f"{path}:2"] and "NaN is not JSON" in skipped[f"{path}:4"]


def test_jsonl_with_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """Windows tools often write a UTF-8 BOM and CRLF line ends; every record is still read."""
    lines = [json.dumps({"id": "a", "text": "first record"}), json.dumps({"id": "b", "text": "second"})]
    path = write(tmp_path / "windows.jsonl", b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    records, skipped = read([path])
    assert skipped == {}
    assert {k: r.text for k, r in records.items()} == {"a": "first record", "b": "second"}
    for record in records.values():
        assert load_text(record.location) == record.text


def test_lone_surrogate_escapes_become_replacement_characters(tmp_path: Path) -> None:
    """JSON can escape half a surrogate pair, which is no character and cannot be written out
    as UTF-8: it is read as U+FFFD, one character for one, so offsets still hold."""
    path = write(tmp_path / "file.jsonl", '{"id": "x\\udc80", "text": "caf\\ud800 ok \\ud83d\\ude00 end"}\n')
    records, skipped = read([path])
    assert skipped == {}
    [record] = records.values()
    assert record.id == "x\ufffd"
    assert record.text == "caf\ufffd ok \U0001f600 end"
    assert load_text(record.location) == record.text
    record.text.encode("utf-8")


def test_jsonl_record_without_text_field_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "file.jsonl", json.dumps({"id": "a", "body": "words"}) + "\n"
                 + json.dumps({"id": "b", "text": ""}) + "\n" + json.dumps({"id": "c", "text": 5}) + "\n")
    records, skipped = read([path])
    assert records == {}
    assert "'text'" in skipped[f"{path}:1"] and "body" in skipped[f"{path}:1"]
    assert "--text-field" in skipped[f"{path}:1"]
    assert skipped[f"{path}:2"] == "empty text"
    assert "'text'" in skipped[f"{path}:3"]


def test_jsonl_id_and_text_field_names(tmp_path: Path) -> None:
    path = write(tmp_path / "file.jsonl", json.dumps({"url": "u1", "body": "one", "text": "no"}) + "\n"
                 + json.dumps({"url": "u2", "body": "two"}) + "\n")
    records, skipped = read([path], id_field="url", text_field="body")
    assert skipped == {}
    assert {k: r.text for k, r in records.items()} == {"u1": "one", "u2": "two"}
    for record in records.values():
        assert load_text(record.location, text_field="body") == record.text


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md", "drafts/c.txt", "drafts/d.md", "keep/e.txt"):
        write(tmp_path / name, ARTICLE)
    root = str(tmp_path)

    def ids(**options: object) -> set[str]:
        records, _ = read([tmp_path], **options)
        return {k.removeprefix(root + "/") for k in records}

    assert ids() == {"a.txt", "b.md", "drafts/c.txt", "drafts/d.md", "keep/e.txt"}
    assert ids(include=["*.md"]) == {"b.md", "drafts/d.md"}
    assert ids(exclude=["drafts"]) == {"a.txt", "b.md", "keep/e.txt"}
    assert ids(exclude=["*.md"]) == {"a.txt", "drafts/c.txt", "keep/e.txt"}
    assert ids(include=["drafts/*"]) == {"drafts/c.txt", "drafts/d.md"}
    assert ids(include=["*.txt"], exclude=["keep"]) == {"a.txt", "drafts/c.txt"}


def test_symlink_out_of_the_folder_needs_follow_symlinks(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "elsewhere.txt", ARTICLE)
    folder = tmp_path / "scanned"
    write(folder / "own.txt", ARTICLE)
    (folder / "link.txt").symlink_to(outside)
    (folder / "linked_dir").symlink_to(outside.parent, target_is_directory=True)

    records, skipped = read([folder])
    assert set(records) == {f"{folder}/own.txt"}
    assert "--follow-symlinks" in skipped[f"{folder}/link.txt"]
    assert "--follow-symlinks" in skipped[f"{folder}/linked_dir"]

    records, skipped = read([folder], follow_symlinks=True)
    assert set(records) == {f"{folder}/own.txt", f"{folder}/link.txt", f"{folder}/linked_dir/elsewhere.txt"}
    assert records[f"{folder}/link.txt"].text == ARTICLE
    assert skipped == {}


def test_symlink_inside_the_folder_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "own.txt", ARTICLE)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "own.txt")
    records, _ = read([tmp_path])
    assert set(records) == {f"{tmp_path}/own.txt"}


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    write(tmp_path / "folder" / "own.txt", ARTICLE)
    (tmp_path / "folder" / "loop").symlink_to(tmp_path, target_is_directory=True)
    records, _ = read([tmp_path / "folder"], follow_symlinks=True)
    assert f"{tmp_path}/folder/own.txt" in records
    assert len(records) <= 3


def test_hidden_folders_and_files_are_not_scanned(tmp_path: Path) -> None:
    write(tmp_path / "visible.txt", ARTICLE)
    write(tmp_path / ".git" / "notes.txt", ARTICLE)
    write(tmp_path / "sub" / ".cache" / "page.html", HTML)
    write(tmp_path / ".hidden.txt", ARTICLE)
    records, _ = read([tmp_path])
    assert set(records) == {f"{tmp_path}/visible.txt"}


def test_load_text_rereads_exactly_the_same_text(tmp_path: Path) -> None:
    write(tmp_path / "plain.txt", ARTICLE)
    write(tmp_path / "crlf.txt", ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    write(tmp_path / "bom.md", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    write(tmp_path / "page.html", HTML)
    shutil.copy(SAMPLES / "030_sourdough_first_month.html", tmp_path / "sourdough.html")
    # Multi-byte characters before later lines: byte offsets differ from character offsets.
    write(tmp_path / "docs.jsonl", "".join(
        json.dumps({"id": f"r{n}", "text": f"Ünïcödé ☕ record {n}: " + "é" * n}, ensure_ascii=False) + "\n"
        for n in range(5)) + json.dumps({"id": "last", "text": ARTICLE}) + "\n")
    records, skipped = read([tmp_path])
    assert skipped == {}
    assert len(records) == 11
    for record in records.values():
        assert load_text(record.location) == record.text, record.id
    assert records["r3"].text.endswith("record 3: ééé")


def test_stdin_is_spooled_read_as_jsonl_and_removed(tmp_path: Path) -> None:
    data = "".join(json.dumps({"id": f"s{n}", "text": f"text number {n}"}) + "\n" for n in range(3))
    data += json.dumps({"text": "anonymous"}) + "\n" + "not json\n"
    with open_inputs([STDIN, str(tmp_path)], stdin=io.BytesIO(data.encode())) as real:
        assert real[1] == str(tmp_path)
        spool = real[0]
        assert spool != STDIN and os.path.exists(spool)
        items = list(read_records(real, shown_as={spool: STDIN}))
        records = {r.id: r for r in items if isinstance(r, Record)}
        skipped = {s.path: s.reason for s in items if isinstance(s, Skipped)}
        for record in records.values():
            assert load_text(record.location) == record.text
    assert not os.path.exists(spool)
    assert {k: r.text for k, r in records.items()} == {
        "s0": "text number 0", "s1": "text number 1", "s2": "text number 2", "-:4": "anonymous"}
    assert all(r.path == STDIN for r in records.values())
    assert set(skipped) == {"-:5"}


def test_paths_without_stdin_are_passed_through() -> None:
    with open_inputs(["a", "b"]) as real:
        assert real == ["a", "b"]


def test_scan_reads_stdin(tmp_path: Path) -> None:
    texts = [sample_text("010_elm_street_community_garden.txt"), sample_text("062_garden_birds_in_winter.txt")]
    data = "".join(json.dumps({"id": f"doc{n}", "text": t}) + "\n" for n, t in enumerate(texts + texts[:1]))
    report = dupefind.scan([STDIN], stdin=io.BytesIO(data.encode()))
    assert [d.id for d in report.documents] == ["doc0", "doc1", "doc2"]
    assert {d.path for d in report.documents} == {STDIN}
    assert [(p.a, p.b) for p in report.pairs] == [("doc0", "doc2")]


def test_inputs_are_unchanged_by_a_scan(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder)
    write(folder / "docs.jsonl", json.dumps({"id": "x", "text": ARTICLE}) + "\n")
    write(folder / "bad.bin.txt", b"\x00\x01\x02")

    def state() -> dict[str, tuple[bytes, int, int]]:
        return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
                for p in sorted(folder.rglob("*"))}

    before = state()
    report = dupefind.scan([str(folder)], Config(exclude=("ANSWERS.md",)))
    assert report.pairs  # the scan did real work
    assert state() == before


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_decoded(tmp_path: Path, codec: str) -> None:
    """Recognised by where its NUL bytes fall (the high byte of Latin letters), as charset
    detectors do, instead of being skipped as binary (issue 9, item 14)."""
    text = "Caf\u00e9 society \u2014 \u201cquoted\u201d.\n" + ARTICLE
    path = write(tmp_path / "utf16.txt", text.encode(codec))
    records, skipped = read([path])
    assert skipped == {}
    record = records[str(path)]
    assert (record.text, record.location.encoding) == (text, codec)
    assert load_text(record.location) == text


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # every byte value
    b"".join((n % 255 + 1).to_bytes(2, "little") for n in range(3000)),  # 16-bit numbers < 256: NULs on one side
    b"text with one NUL \x00 in it, " * 50,
])
def test_binary_data_with_nul_bytes_is_still_binary(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "data.txt", data)
    records, skipped = read([path])
    assert records == {}
    assert skipped[str(path)].startswith("binary file")


MIB = 1 << 20


def test_a_file_larger_than_the_limit_is_skipped_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "small.txt", ARTICLE)
    write(tmp_path / "big.txt", ARTICLE + "x" * (MIB - len(ARTICLE.encode()) + 1))  # one byte over 1 MiB
    write(tmp_path / "limit.txt", ARTICLE + "y" * (MIB - len(ARTICLE.encode())))  # exactly 1 MiB
    # A sparse file of 64 GiB: read whole, it would fill the memory.
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(64 << 30)
    opened: list[str] = []
    real_open = os.open

    def spy(path: str, *args: object, **kwargs: object) -> int:
        opened.append(os.path.basename(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    records, skipped = read([tmp_path], max_bytes=MIB)
    assert set(records) == {str(tmp_path / "small.txt"), str(tmp_path / "limit.txt")}
    assert skipped[str(tmp_path / "big.txt")] == (
        "too large to read as one document (1.0 MB; the limit is 1 MB, set by --max-document-mb)")
    assert skipped[str(tmp_path / "huge.txt")].startswith("too large to read as one document (65,536.0 MB;")
    assert "small.txt" in opened and "big.txt" not in opened and "huge.txt" not in opened
    # No limit: the big file is read.
    records, skipped = read([tmp_path / "big.txt"], max_bytes=0)
    assert list(records) == [str(tmp_path / "big.txt")] and not skipped


def test_a_file_that_grows_past_the_limit_after_it_was_measured_is_skipped_not_read_whole(tmp_path: Path) -> None:
    """The limit was checked on the size the walk saw, and the file then read whole: one that grew
    meanwhile (a log, a file replaced), or one whose size the file system does not tell
    (``/proc/kallsyms``: 0 bytes, then megabytes), was read past ``--max-document-mb``."""
    path = write(tmp_path / "growing.txt", ARTICLE)
    units = [u for u in plan_reading([str(path)], max_bytes=MIB) if isinstance(u, Unit)]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("x" * MIB)  # after the walk measured it
    assert list(read_unit(units[0])) == [Skipped(str(path), "too large to read as one document (1.0 MB; the limit is "
                                                            "1 MB, set by --max-document-mb)")]
    with open(path, "r+b") as handle:
        handle.truncate(len(ARTICLE.encode()) + 10)  # shrunk below the limit again: read
    assert [r.id for r in read_unit(units[0]) if isinstance(r, Record)] == [str(path)]


def test_a_file_that_grew_past_the_limit_before_verification_is_not_read_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verification reads each text again; one that grew past ``--max-document-mb`` since the
    first pass (a log, a file replaced by a large one) was read whole, gigabytes if so, before
    its checksum told it had changed. It is read up to the limit and is a changed document."""
    path = write(tmp_path / "growing.txt", ARTICLE)
    lines = write(tmp_path / "docs.jsonl", json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    text_at = next(r for r in read_records([str(path)]) if isinstance(r, Record)).location
    line_at = next(r for r in read_records([str(lines)]) if isinstance(r, Record)).location
    assert load_text(text_at, max_bytes=MIB) == ARTICLE and load_text(line_at, max_bytes=MIB) == ARTICLE
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("x" * (3 * MIB))
    with open(lines, "r+b") as handle:  # the record itself rewritten, three times the limit
        handle.write(json.dumps({"id": "a", "text": "y" * (3 * MIB)}).encode() + b"\n")
    asked: list[int] = []
    real = dupefind.sources.reading.open_regular

    class Counted(io.BufferedReader):
        def read(self, size: int | None = -1, /) -> bytes:
            asked.append(-1 if size is None else size)
            return super().read(size)

        def readline(self, size: int | None = -1, /) -> bytes:
            asked.append(-1 if size is None else size)
            return super().readline(size)

    monkeypatch.setattr(dupefind.sources.reading, "open_regular", lambda where: Counted(real(where).detach()))
    for location in (text_at, line_at):
        asked.clear()
        with pytest.raises(ValueError):
            load_text(location, max_bytes=MIB)
        assert asked and all(0 <= size <= MIB + 3 for size in asked), asked


def test_a_jsonl_line_larger_than_the_limit_is_skipped_and_the_others_read(tmp_path: Path) -> None:
    huge = json.dumps({"id": "huge", "text": "word " * (3 * MIB // 5)})  # ~3 MiB, never held whole
    lines = [json.dumps({"id": "first", "text": ARTICLE}), huge, json.dumps({"id": "after", "text": ARTICLE}),
             json.dumps({"id": "near", "text": "z" * (MIB - 200)}), huge]  # the last one without a line break
    path = write(tmp_path / "docs.jsonl", "\n".join(lines))
    records, skipped = read([path], max_bytes=MIB)
    assert set(records) == {"first", "after", "near"}
    reason = "too large to read as one document (3.0 MB; the limit is 1 MB, set by --max-document-mb)"
    assert skipped == {f"{path}:2": reason, f"{path}:5": reason}
    # The records after a skipped line are where they say they are.
    assert records["after"].location.line == 3
    assert load_text(records["after"].location) == ARTICLE


def test_the_document_limit_is_checked() -> None:
    with pytest.raises(dupefind.ConfigError):
        Config(max_document_mb=-1)
    assert Config(max_document_mb=0).max_document_bytes == 0
    assert Config().max_document_bytes == 64 * MIB


def test_a_file_reached_twice_through_the_paths_given_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write(folder / "a.txt", ARTICLE)
    write(folder / "sub" / "b.txt", ARTICLE + " and more")
    write(folder / "sub" / "blob.bin", b"\x00\x01binary")  # ignored by type: listed once
    os.link(folder / "a.txt", folder / "hard.txt")  # another name of the same file: read, as a walk reads it
    given = [folder, Path(str(folder) + "/"), folder / "sub", folder / "a.txt"]
    records, skipped = read(given)  # (``read`` fails on a path skipped twice)
    assert sorted(records) == sorted(str(p) for p in (folder / "a.txt", folder / "hard.txt", folder / "sub" / "b.txt"))
    assert list(skipped) == [str(folder / "sub" / "blob.bin")]
    report = dupefind.scan([str(p) for p in given])
    assert report.skipped == () and len(report.ignored) == 1 and len(report.documents) == 3


def test_skipped_lines_of_a_jsonl_file_are_listed_by_number(tmp_path: Path) -> None:
    """Skipped JSONL lines are listed in line order (``:2`` before ``:15``), not as text."""
    lines = [json.dumps({"id": f"r{k}", "text": f"record {k} " * 60}) if k % 13 else "not json" for k in range(1, 30)]
    path = write(tmp_path / "file.jsonl", "\n".join(lines) + "\n")
    report = dupefind.scan([str(path)])
    assert [s.path.rsplit(":", 1)[1] for s in report.skipped] == ["13", "26"]
    more = write(tmp_path / "more.jsonl", "\n".join(["broken"] * 12) + "\n")
    listed = [s.path for s in dupefind.scan([str(more), str(path)]).skipped]
    assert listed == [f"{path}:13", f"{path}:26"] + [f"{more}:{k}" for k in range(1, 13)]


def test_links_to_files_the_include_globs_leave_out_are_passed_over(tmp_path: Path) -> None:
    """``--include`` passes over what it leaves out without a word, links to files and dangling
    links included (they were skipped with their reason: exit 3); a link to a folder out of the
    scanned one is still named, as a folder is walked whatever the globs say."""
    folder = tmp_path / "d"
    folder.mkdir()
    write(folder / "garden.txt", ARTICLE)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    outside = write(tmp_path / "outside.txt", ARTICLE)
    (folder / "outside.txt").symlink_to(outside)
    (folder / "elsewhere").symlink_to(tmp_path)
    records, skipped = read([folder], include=["garden*"])
    assert set(records) == {str(folder / "garden.txt")}
    assert set(skipped) == {str(folder / "elsewhere")}
    _, every = read([folder])
    assert set(every) == {str(folder / "dangling.txt"), str(folder / "outside.txt"), str(folder / "elsewhere")}


# French as charset-normalizer hears it in a legacy file: "Romanian", whose Windows code page
# (1250) reads its à, è, ê as ŕ, č, ę.
FRENCH = ("Le café était plein à craquer ce matin-là. Les élèves du lycée Hélène-Boucher s'étaient réunis pour "
          "préparer la fête de fin d'année, et chacun apportait une idée différente. Élodie voulait un concert, "
          "François préférait une pièce de théâtre, et Zoë rêvait d'une exposition de peinture. Après deux heures "
          "de débats animés, ils décidèrent de tout faire à la fois. ") * 2


def test_french_legacy_text_misheard_as_another_language_is_read_as_windows_1252(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.txt", FRENCH.encode("cp1252"))
    records, skipped = read([path])
    assert skipped == {}
    assert records[str(path)].text == FRENCH, f"decoded as {records[str(path)].location.encoding}"


def test_a_files_id_does_not_depend_on_how_its_folder_is_spelled(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "arts" / "x.txt", ARTICLE)
    write(tmp_path / "arts" / "sub" / "y.txt", ARTICLE + " More.")
    write(tmp_path / "d.jsonl", json.dumps({"text": ARTICLE}) + "\n")
    monkeypatch.chdir(tmp_path)
    for spelling in ["arts", "./arts", "arts/", ".//arts//", "./arts/."]:
        records, _ = read([spelling])
        assert list(records) == ["arts/x.txt", "arts/sub/y.txt"], spelling
    for spelling in ["arts/sub/y.txt", "./arts/sub/y.txt", "arts//sub/./y.txt"]:
        assert list(read([spelling])[0]) == ["arts/sub/y.txt"], spelling
    assert list(read(["./d.jsonl"])[0]) == ["d.jsonl:1"]  # a missing JSONL id names the file the same way
    assert list(read(["arts/sub/../x.txt"])[0]) == ["arts/sub/../x.txt"]  # '..' is not resolved
    assert list(read([f"{tmp_path}/./arts/x.txt"])[0]) == [f"{tmp_path}/arts/x.txt"]  # absolute stays absolute
    monkeypatch.chdir(tmp_path / "arts")  # the current folder: its '.' is dropped too (it gave ./x.txt)
    for spelling in [".", "./", ".//."]:
        assert list(read([spelling])[0]) == ["x.txt", "sub/y.txt"], spelling
    assert list(read(["sub/y.txt", "."])[0]) == ["sub/y.txt", "x.txt"]  # one file, one id, named or found


def test_a_number_id_is_named_as_the_line_writes_it(tmp_path: Path) -> None:
    ids = ["1E2", "100.0", "1e400", "0.10000000000000001", "-0", "0", "7", "true", "2"]
    lines = [f'{{"id": {ident}, "n": 1.0, "text": {json.dumps(ARTICLE + str(k))}}}' for k, ident in enumerate(ids)]
    path = write(tmp_path / "ids.jsonl", "\n".join(lines) + "\n")
    records, skipped = read([path])
    assert list(records) == ids and skipped == {}
    # Ids are text: the number 2 and the string "2" are one id, and the second is said to repeat it.
    write(tmp_path / "two.jsonl", "\n".join([lines[-1], f'{{"id": "2", "text": {json.dumps(ARTICLE)}}}']) + "\n")
    report = dupefind.scan([str(tmp_path / "two.jsonl")], Config(jobs=1))
    assert [(s.path, s.reason) for s in report.skipped] == [
        (f"{tmp_path}/two.jsonl:2", f"duplicate id '2' (first read from {tmp_path}/two.jsonl)")]


def test_the_files_spark_and_hadoop_hide_are_passed_over_as_hidden_files_are(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out / "part-00000.jsonl", json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    write(out / "_SUCCESS", "")
    write(out / "_committed_1234", json.dumps({"added": ["part-00000.jsonl"], "removed": []}))
    write(out / "_started_1234", "")
    write(out / "_metadata", "a summary")
    write(out / "part-00000.jsonl.crc", b"crc\x00\x01")
    write(out / "_temporary" / "0" / "part-00001.jsonl", json.dumps({"id": "b", "text": ARTICLE}) + "\n")
    write(out / "_delta_log" / "00000.json", "{}")
    write(out / "_posts" / "2020-01-01-hello.md", ARTICLE + " Posted.")  # Jekyll's: read
    write(out / "_index.md", ARTICLE + " Section.")  # Hugo's: read
    records, skipped = read([out])
    assert sorted(records) == sorted(["a", f"{out}/_index.md", f"{out}/_posts/2020-01-01-hello.md"])
    assert skipped == {}
    report = dupefind.scan([str(out)], Config(jobs=1))
    assert report.ignored == () and report.skipped == ()
    assert list(read([out / "_committed_1234"])[0]) == [f"{out}/_committed_1234"]  # named, it is read
