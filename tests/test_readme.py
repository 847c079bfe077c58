"""The README shows real output: what ``dupefind scan samples/`` prints at 100 columns."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, run_main

ELIDED = re.compile(r"^\[… .* …\]$")
SECONDS = re.compile(r", \d+\.\d\d s$")


def readme_samples_block() -> list[str]:
    """The lines of the ``text`` block under "What the samples scan prints"."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the samples scan prints", 1)[1]
    match = re.search(r"^```text\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    assert match, "the README's samples output block is missing"
    return match.group(1).splitlines()


def pieces(lines: list[str]) -> list[list[str]]:
    """The block cut at its ``[… …]`` lines (output left out), blank lines at the cuts dropped;
    the scan's time, which varies, masked."""
    out: list[list[str]] = [[]]
    for line in lines:
        if ELIDED.match(line):
            out.append([])
        else:
            out[-1].append(SECONDS.sub(", <time> s", line.rstrip()))
    trimmed = []
    for piece in out:
        while piece and not piece[0]:
            piece.pop(0)
        while piece and not piece[-1]:
            piece.pop()
        if piece:
            trimmed.append(piece)
    return trimmed


def test_readme_samples_output_is_what_the_scan_prints(at_repo: Path) -> None:
    result = run_main(["scan", "samples/"], columns=100)
    assert result.exit_code == 0, result.stderr
    printed = [SECONDS.sub(", <time> s", line.rstrip()) for line in result.stdout.splitlines()]
    shown = pieces(readme_samples_block())
    assert len(shown) >= 2 and shown[0][0].startswith("dupefind  20 documents scanned")
    start = 0
    for piece in shown:  # each piece appears, whole and in order, in what the scan prints
        found = next((i for i in range(start, len(printed) - len(piece) + 1)
                      if printed[i : i + len(piece)] == piece), None)
        assert found is not None, "README block no longer printed:\n" + "\n".join(piece[:12])
        start = found + len(piece)
