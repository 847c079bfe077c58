"""Config files: which one is found, how it is read, and unknown keys refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupefind.config_file import ConfigFileError, find_config_file, load_config_file

KNOWN = {"threshold", "passage_words", "include", "format"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_file_wins_and_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    top = write(tmp_path / "pyproject.toml", "[tool.dupefind]\nthreshold = 0.3\n")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir()
    assert find_config_file(deep) == top
    dedicated = write(tmp_path / "a" / "dupefind.toml", "threshold = 0.4\n")
    assert find_config_file(deep) == dedicated
    # In one folder, dupefind.toml comes before pyproject.toml.
    write(tmp_path / "a" / "pyproject.toml", "[tool.dupefind]\nthreshold = 0.5\n")
    assert find_config_file(tmp_path / "a") == dedicated


def test_tables_and_top_level_keys(tmp_path: Path) -> None:
    py = load_config_file(write(tmp_path / "pyproject.toml", "[tool.dupefind]\npassage-words = 40\n"), known=KNOWN)
    assert dict(py.values) == {"passage_words": 40}
    assert py.label == f"{tmp_path}/pyproject.toml [tool.dupefind]"
    top = load_config_file(write(tmp_path / "dupefind.toml", "include = ['*.md']\n"), known=KNOWN)
    assert dict(top.values) == {"include": ["*.md"]} and top.label == f"{tmp_path}/dupefind.toml"
    other = load_config_file(write(tmp_path / "any.toml", "[tool.dupefind]\nformat = 'json'\n"), known=KNOWN)
    assert dict(other.values) == {"format": "json"}


@pytest.mark.parametrize(("text", "message"), [
    ("[tool.dupefind]\ntreshold = 0.3\n", "unknown key 'treshold' in [tool.dupefind] (did you mean 'threshold'?)"),
    ("[tool.dupefind]\nthreshold = 0.3\nthreshold_x = 1\n", "unknown key 'threshold_x'"),
    ("[tool.dupefind]\npassage-words = 1\npassage_words = 2\n", "set twice"),
    ("[tool.dupefind\n", "not valid TOML"),
    ("[project]\nname = 'x'\n", "no [tool.dupefind] table"),
    ("tool = 3\n[x]\n", "no [tool.dupefind] table"),
])
def test_bad_files_are_errors_that_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigFileError, match="^" + str(path).replace(".", r"\.") + ": ") as caught:
        load_config_file(path, known=KNOWN)
    assert message in str(caught.value)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="cannot read"):
        load_config_file(tmp_path / "nope.toml", known=KNOWN)
