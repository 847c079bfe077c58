"""Config: valid defaults, and every field validated at the door with a helpful message."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from conftest import validate_as

from dupefind import Config, ConfigError, DupefindError
from dupefind.config import DEFAULT_NGRAM, SCHEMES


def test_defaults_are_valid() -> None:
    config = Config()
    assert config.scheme == "stopwords"
    assert config.ngram is None
    assert config.shingle_size == DEFAULT_NGRAM["stopwords"]
    assert (config.id_field, config.text_field) == ("id", "text")
    assert (config.include, config.exclude, config.follow_symlinks) == ((), (), False)
    # Every default passes validation again when given explicitly.
    explicit = {f.name: getattr(config, f.name) for f in dataclasses.fields(Config)}
    assert Config(**explicit) == config
    validate_as("config", config.as_dict())


def test_cli_defaults_are_the_config_defaults() -> None:
    from dupefind.cli import scan

    config = Config()
    for param in scan.params:
        if param.name in {f.name for f in dataclasses.fields(Config)} and param.name not in ("include", "exclude"):
            assert param.default == getattr(config, param.name), param.name


def test_config_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().threshold = 0.5  # type: ignore[misc]


# (field, bad value, words of the allowed range that the message must contain)
BAD_VALUES = [
    ("scheme", "x", "stopwords, words, chars"),
    ("scheme", "", "stopwords, words, chars"),
    ("scheme", "Stopwords", "stopwords, words, chars"),
    ("ngram", 0, "from 1 to 32"),
    ("ngram", -3, "from 1 to 32"),
    ("ngram", 33, "from 1 to 32"),
    ("ngram", 8.0, "from 1 to 32"),
    ("ngram", True, "from 1 to 32"),
    ("ngram", "8", "from 1 to 32"),
    ("num_perm", 3, "from 16 to 1024"),
    ("num_perm", 15, "from 16 to 1024"),
    ("num_perm", 1025, "from 16 to 1024"),
    ("num_perm", 128.0, "from 16 to 1024"),
    ("seed", -1, "from 0 to 2**32 - 1"),
    ("seed", 2**32, "from 0 to 2**32 - 1"),
    ("seed", 1.5, "from 0 to 2**32 - 1"),
    ("seed", False, "from 0 to 2**32 - 1"),
    ("threshold", 0, "greater than 0 and at most 1"),
    ("threshold", 0.0, "greater than 0 and at most 1"),
    ("threshold", -0.1, "greater than 0 and at most 1"),
    ("threshold", 1.01, "greater than 0 and at most 1"),
    ("threshold", 2, "greater than 0 and at most 1"),
    ("threshold", math.nan, "greater than 0 and at most 1"),
    ("threshold", True, "greater than 0 and at most 1"),
    ("threshold", "0.5", "greater than 0 and at most 1"),
    ("lsh_threshold", 0, "greater than 0 and at most 1"),
    ("lsh_threshold", 1.5, "greater than 0 and at most 1"),
    ("lsh_threshold", math.inf, "greater than 0 and at most 1"),
    ("min_words", 0, "from 1 to 2147483647"),
    ("min_words", -5, "from 1 to 2147483647"),
    ("min_words", 1.5, "from 1 to 2147483647"),
    ("boilerplate_min_docs", 1, "from 2 to 2147483647"),
    ("boilerplate_min_docs", 0, "from 2 to 2147483647"),
    ("boilerplate_min_docs", 2.5, "from 2 to 2147483647"),
    ("passage_words", -1, "from 0 (off) to 2147483647"),
    ("passage_words", 2.5, "from 0 (off) to 2147483647"),
    ("min_passage_words", 0, "from 1 to 2147483647"),
    ("min_passage_words", -1, "from 1 to 2147483647"),
    ("min_passage_words", 2**31, "from 1 to 2147483647"),
    ("passage_words", 2**64, "from 0 (off) to 2147483647"),
    ("include", None, "a glob or a list of globs"),
    ("include", [1], "a glob or a list of globs"),
    ("exclude", 3, "a glob or a list of globs"),
    ("id_field", "", "non-empty field name"),
    ("id_field", None, "non-empty field name"),
    ("text_field", "", "non-empty field name"),
    ("text_field", 3, "non-empty field name"),
]


@pytest.mark.parametrize(("field", "value", "allowed"), BAD_VALUES,
                         ids=[f"{f}={v!r}" for f, v, _ in BAD_VALUES])
def test_bad_value_names_field_value_and_range(field: str, value: object, allowed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config(**{field: value})
    message = str(caught.value)
    assert message.startswith(f"{field} "), message
    assert repr(value) in message, message
    assert allowed in message, message
    assert caught.value.field == field
    # Library errors share one base class, and a bad value is also a ValueError.
    assert isinstance(caught.value, DupefindError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("field", "value"), [
    ("ngram", 1), ("ngram", 32), ("num_perm", 16), ("num_perm", 1024), ("seed", 0),
    ("seed", 2**32 - 1), ("threshold", 1), ("threshold", 1e-9), ("lsh_threshold", 1.0),
    ("min_words", 1), ("boilerplate_min_docs", 2), ("min_passage_words", 1), ("id_field", "_id"),
])
def test_boundary_values_are_accepted(field: str, value: object) -> None:
    assert getattr(Config(**{field: value}), field) == value


@pytest.mark.parametrize("scheme", SCHEMES)
def test_as_dict_resolves_ngram_per_scheme(scheme: str) -> None:
    data = Config(scheme=scheme).as_dict()  # type: ignore[arg-type]
    assert data["ngram"] == DEFAULT_NGRAM[scheme]  # type: ignore[index]
    assert data["scheme"] == scheme


def test_as_dict_keeps_an_explicit_ngram_and_lists() -> None:
    data = Config(scheme="chars", ngram=3, include=("*.txt",), exclude=("draft*", "old")).as_dict()
    assert data["ngram"] == 3
    assert data["include"] == ["*.txt"]
    assert data["exclude"] == ["draft*", "old"]
    assert set(data) == {f.name for f in dataclasses.fields(Config)}


def test_as_dict_is_valid_report_config() -> None:
    data = Config(include=("*.md",)).as_dict()
    json.dumps(data)  # plain JSON data
    validate_as("config", data)


def test_one_glob_alone_is_one_glob() -> None:
    """``include="*.txt"`` is one glob (it was read as the globs ``*``, ``.``, ``t``, ``x``, ``t``)."""
    assert Config(include="*.txt").include == ("*.txt",)
    assert Config(exclude=["a*", "b*"]).exclude == ("a*", "b*")
