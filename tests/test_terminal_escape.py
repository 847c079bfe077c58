"""Format characters (bidi overrides, zero-width characters, tags, ...) never reach the terminal:
the rich report and the CLI's messages show them escaped, like control characters; JSON keeps
the exact text."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import run_main, sample_text
from hypothesis import given
from hypothesis import strategies as st

from dupefind.report.terminal import visible
from dupefind.report.terminal_escape import visible_part

PAIR = ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt")

# "Trojan Source" (CVE-2021-42574): shown as written, the line reads as a harmless comment; the
# right-to-left override and isolates make the terminal show its parts in another order.
TROJAN = "access_level = \"user\u202e \u2066// Check if admin\u2069 \u2066\" # ok"
TROJAN_SHOWN = "access_level = \"user\\u202e \\u2066// Check if admin\\u2069 \\u2066\" # ok"

#: Characters that must never reach the terminal as they are, whatever surrounds them.
RISKY = ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi
         "\u200b\u2060\u2061\u2064\ufeff\u00ad"  # zero-width, invisible operators, BOM, soft hyphen
         "\U000e0001\U000e0041\U000e007f"  # tags
         "\u2028\u2029"  # line and paragraph separators
         "\ue000\U000f0000\U0010eeee"  # private use (kitty's image placeholder is U+10EEEE)
         "\u0378\ufffe\uffff\U0001fffe\U000e0080"  # unassigned and noncharacters
         "\ud800\udcff")  # lone surrogates


def _raw_risky(shown: str) -> list[str]:
    """The characters of ``shown`` that should have been escaped (joiners judged by context)."""
    out = []
    for where, char in enumerate(shown):
        if char in "\u200c\u200d":
            around = shown[where - 1:where + 2]
            if len(around) == 3 and not around[0].isascii() and not around[2].isascii():
                continue
        if unicodedata.category(char) in ("Cf", "Cn", "Co", "Cs", "Zl", "Zp") or (
                unicodedata.category(char) == "Cc" and char not in "\t\n\r"):
            out.append(char)
    return out


def test_trojan_source_and_every_risky_character_are_escaped() -> None:
    assert visible(TROJAN) == TROJAN_SHOWN
    for char in RISKY:
        shown = visible(f"a{char}b")
        point = ord(char)
        escape = f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"
        assert shown == f"a{escape}b", (hex(point), shown)
    assert visible("\u202e" * 3) == "\\u202e" * 3
    assert visible("\ufeffstarts with a byte-order mark") == "\\ufeffstarts with a byte-order mark"


def test_ordinary_text_of_every_script_is_left_as_it_is() -> None:
    texts = ("plain ASCII [b]markup[/b]\n\twith a tab", "café naïve Ærø ß", "Привет, мир", "东京 日本語のテキスト",
             "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "combining e\u0301 and emoji ☕🚂🏳️‍🌈",
             "family 👨‍👩‍👧 and 👩🏽‍💻", "Persian می\u200cخواهم with a non-joiner", "Hindi क्\u200dष", "CRLF line\r\nend")
    for text in texts:
        assert visible(text) == text


def test_joiners_are_kept_only_between_non_ascii_letters_marks_or_symbols() -> None:
    assert visible("pay\u200dpal") == "pay\\u200dpal"  # hides a difference in a Latin word
    assert visible("\u200dمی") == "\\u200dمی"  # no letter before it
    assert visible("می\u200c") == "می\\u200c"
    assert visible("می\u200c خواهم") == "می\\u200c خواهم"  # a space after it
    assert visible("👨\u200d\u202e👩") == "👨\\u200d\\u202e👩"  # next to an escaped character


@given(st.text(alphabet=st.sampled_from(["a", " ", "é", "م", "👩", "\u0301", "\r", "\n", "\t", "\x1b", "\x9b",
                                         "\u200c", "\u200d", "\u202e", "\ufeff", "\U000e0041", "\ue000",
                                         "\u0378", "\u2028", "\udcff"]), max_size=30),
       st.integers(min_value=0, max_value=30))
def test_visible_escapes_all_and_parts_agree_with_the_whole(text: str, cut: int) -> None:
    shown = visible(text)
    assert not _raw_risky(shown), (text, shown)
    assert visible(shown) == shown  # what it shows has nothing left to escape
    cut = min(cut, len(text))
    if not (0 < cut < len(text) and text[cut - 1] == "\r" and text[cut] == "\n"):
        assert visible_part(text, 0, cut) + visible_part(text, cut, len(text)) == shown
    assert visible("".join(c for c in text if not _raw_risky(c) and c not in "\r\u200c\u200d")) == \
        "".join(c for c in text if not _raw_risky(c) and c not in "\r\u200c\u200d")


def test_trojan_source_in_text_id_and_file_name_is_escaped_in_the_rich_report_not_in_json(tmp_path: Path) -> None:
    article = sample_text(PAIR[0])
    copy = article.replace("\n\n", f"\n\n{TROJAN}\n\n", 1)
    weird_id = "evil\u202etxt.exe\u2066id"
    (tmp_path / "docs.jsonl").write_text(json.dumps({"id": weird_id, "text": article + TROJAN}) + "\n",
                                         encoding="utf-8")
    name = "copy\u202ecod.txt"
    (tmp_path / name).write_text(copy, encoding="utf-8")
    (tmp_path / "empty\u2067.txt").write_text("", encoding="utf-8")  # listed among the skipped
    rich = run_main(["scan", str(tmp_path), "--max-chars", "0", "--max-passages", "0"])
    assert rich.exit_code == 3, rich.stderr
    plain = rich.stdout
    assert not _raw_risky(plain), [hex(ord(c)) for c in _raw_risky(plain)]
    assert TROJAN_SHOWN in re.sub(r"\{\+|\+\}|\[-|-\]", "", plain)  # (marked where it differs: plain text)
    assert "evil\\u202etxt.exe\\u2066id" in plain and "copy\\u202ecod.txt" in plain and "empty\\u2067.txt" in plain
    report = json.loads(run_main(["scan", str(tmp_path), "--format", "json", "--max-chars", "0"]).stdout)
    ids = {pair[side] for pair in report["pairs"] for side in ("a", "b")}
    assert ids == {weird_id, str(tmp_path / name)}  # exact text, not escaped
    texts = [p["b_text"] if report["pairs"][0]["b"].endswith(name) else p["a_text"]
             for p in report["pairs"][0]["passages"]]
    assert any(TROJAN in text for text in texts)


def test_error_messages_show_format_characters_escaped(tmp_path: Path) -> None:
    missing = tmp_path / "no\u202esuch\u200bfile.txt"
    result = run_main(["compare", str(missing), str(missing)])
    assert result.exit_code == 2
    assert "no\\u202esuch\\u200bfile.txt" in result.stderr
    assert not _raw_risky(result.stderr)


def test_index_messages_show_format_characters_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(sample_text(PAIR[0]), encoding="utf-8")
    (folder / "empty\u202e.txt").write_text("", encoding="utf-8")
    index = str(tmp_path / "docs.idx")
    added = run_main(["index", "add", index, str(folder)])
    assert added.exit_code == 3, added.stderr
    assert "empty\\u202e.txt" in added.stderr and not _raw_risky(added.stderr)
    removed = run_main(["index", "remove", index, "gone\u2066id"])
    assert "not in the index: gone\\u2066id" in removed.stderr and not _raw_risky(removed.stderr)


@pytest.mark.parametrize("indent", ["", "\t"], ids=["plain", "tab-indented"])
def test_plain_change_marks_are_never_cut_across_lines_in_cjk_text(tmp_path: Path, indent: str) -> None:
    """Rich folds a CJK paragraph (one long "word") between any two characters, and cut the plain
    marks: ``[-公-`` at the end of one line, ``]`` at the start of the next. Each mark now stays
    whole and on the line of the character beside it, at every width, tabs too (Rich expands a
    tab before it wraps)."""
    text = "\n\n".join(indent + "今天的天气非常好，我们去公园散步。公园里有很多人在锻炼身体，有的人在跑步，有的人在打太极拳。"
                       "孩子们在草地上玩耍，老人们坐在长椅上聊天。中午我们在附近的餐馆吃了饭，味道很不错。" for _ in range(3))
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("公园", "花园").replace("餐馆", "饭店").replace("非常好", "很好"),
                                    encoding="utf-8")
    for columns in range(40, 121, 3):
        result = run_main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--color", "never",
                           "--max-chars", "0"], columns=columns)
        assert result.exit_code == 0, result.stderr
        cells = [cell.strip() for line in result.stdout.splitlines() if line.startswith("│")
                 for cell in line.split("│")[1:-1]]
        assert sum(cell.count("[-") for cell in cells) == 12 and sum(cell.count("{+") for cell in cells) == 12
        for cell in cells:
            assert not re.search(r"(\[-?|\{\+?)$", cell) and not re.match(r"(-?\]|\+?\})", cell), (columns, cell)
