"""Robustness of the engine: how the library is called, long and repeated documents, files that
change under the scan, compiled kernels without a writable cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import dupefind


def test_one_path_as_a_string_or_a_path_is_one_path(at_repo: Path) -> None:
    listed = dupefind.scan(["samples"])
    for one in ("samples", Path("samples"), [Path("samples")], ("samples",)):
        report = dupefind.scan(one)
        assert report.documents == listed.documents
        assert list(report.pairs) == list(listed.pairs)


@pytest.mark.parametrize("bad", [b"samples", 42, [b"samples"], [None]])
def test_anything_else_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="path"):
        dupefind.scan(bad)  # type: ignore[arg-type]  # the wrong type on purpose
