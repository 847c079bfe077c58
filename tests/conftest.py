"""Shared fixtures and helpers: the bundled samples, their answer key, and the CLI entry point.

Nothing here reads outside the repository; the tests never touch the network.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from jsonschema import Draft202012Validator

from dupefind import candidates
from dupefind.cli import main
from dupefind.report import schema

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
ANSWERS = SAMPLES / "ANSWERS.md"

# Modest example counts, no deadline (CI machines are slow and shared), no example database,
# and Hypothesis' caches kept out of the repository. The examples are the same on every run
# (derandomised): a test passes or fails for the code, not for the draw. To look for new
# counterexamples, run with DUPEFIND_HYPOTHESIS=explore (random draws, more of them); add what
# it finds as a test of its own.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "dupefind-tests-hypothesis")
settings.register_profile(
    "dupefind", max_examples=60, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=500, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("DUPEFIND_HYPOTHESIS", "dupefind"))


#: A summary of the tidal power explainer in sample 021 (its paragraphs in order, a sentence each,
#: a sixth of its words, reworded: no passage copied), written for the tests. Set in
#: other text (:func:`summary_in_host`), only its sentences tell it is a copy: their passages
#: alone do not.
TIDAL_SUMMARY = (
    "Tides follow the moon, so engineers can predict their power years ahead. Tidal barrages hold water behind "
    "an estuary dam, like the Rance one, while newer stream turbines sit on the seabed. Barnacles and salt make "
    "upkeep dear, so the "
    "electricity costs more than wind from offshore farms. Barrages can flood mudflats that wading birds need, and "
    "seals may suffer near the blades. Supporters cite the Pentland Firth and say steady tides could balance a "
    "weather-dependent grid.")
TIDAL_SOURCE = "021_skerra_island_newsletter.txt"


def summary_in_host() -> str:
    """:data:`TIDAL_SUMMARY` between two unrelated sample articles."""
    return (sample_text("062_garden_birds_in_winter.txt") + "\n\n" + TIDAL_SUMMARY + "\n\n"
            + sample_text("060_winter_cycle_commuting.txt"))


#: The real limit under which a collection has every pair proposed (the fixture below sets it aside).
EXHAUSTIVE_DOCUMENTS = candidates.EXHAUSTIVE_DOCUMENTS


@pytest.fixture(autouse=True)
def lsh_on_small_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' collections are small, and a small collection has every pair proposed
    (:data:`dupefind.candidates.EXHAUSTIVE_DOCUMENTS`), which would leave unused the LSH views,
    bucket limits and held rows they exercise: in this process a collection of any size has
    the LSH candidates. Tests of the exhaustive rule set the real limit back; a CLI run in a
    subprocess (the README's commands) has it."""
    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", 0)


def sample_text(name: str) -> str:
    """The text of one bundled sample article (realistic English prose for the tests)."""
    return (SAMPLES / name).read_text(encoding="utf-8")


def sample_files() -> list[str]:
    """The corpus files of ``samples/`` (every file but the answer key)."""
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.name != ANSWERS.name)


def expected_pairs(answers: str) -> set[tuple[str, str]]:
    """The pairs listed in the fenced block that starts with the line ``expected-pairs:``.

    Each following line of the block is ``fileA fileB`` (any whitespace between them).
    """
    match = re.search(r"^```[^\n]*\n\s*expected-pairs:\s*\n(.*?)^```", answers, re.MULTILINE | re.DOTALL)
    if match is None:
        raise AssertionError("samples/ANSWERS.md has no fenced `expected-pairs:` block")
    pairs: set[tuple[str, str]] = set()
    for line in match.group(1).splitlines():
        names = line.split()
        if not names:
            continue
        assert len(names) == 2, f"malformed expected-pairs line: {line!r}"
        a, b = sorted(names)
        pairs.add((a, b))
    return pairs


@pytest.fixture(scope="session")
def answer_pairs() -> set[tuple[str, str]]:
    """The expected pairs of the bundled samples, as sorted file-name pairs."""
    if not ANSWERS.exists():
        pytest.fail("samples/ANSWERS.md is missing")
    return expected_pairs(ANSWERS.read_text(encoding="utf-8"))


@pytest.fixture
def at_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from the repository root, so ``samples`` scans as ``samples/<file>``."""
    monkeypatch.chdir(REPO)
    return REPO


# --- the console entry point, in process ---------------------------------------------------

@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                 "help_option_names": []})
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
def _entry(argv: tuple[str, ...]) -> None:
    """Runs :func:`dupefind.cli.main` (the real entry point, with its error-to-exit-code mapping)."""
    saved = sys.argv
    sys.argv = ["dupefind", *argv]
    try:
        main()
    finally:
        sys.argv = saved


def run_main(args: Sequence[str], *, input: str | bytes | None = None, columns: int = 200) -> Result:
    """Invoke the ``dupefind`` console script in process; stdout and stderr are kept apart.

    The terminal is ``columns`` wide (Rich reads ``COLUMNS``), so paths in tables do not wrap.
    """
    return CliRunner().invoke(_entry, list(args), input=input, catch_exceptions=True,
                              env={"COLUMNS": str(columns)})


def validate_as(definition: str, instance: object) -> None:
    """Validate ``instance`` against one ``$defs`` entry of the shipped report schema."""
    full = schema()
    wrapper = {"$schema": full["$schema"], "$defs": full["$defs"], "$ref": f"#/$defs/{definition}"}
    Draft202012Validator(wrapper).validate(instance)


def validate_report(instance: object) -> None:
    """Validate a whole JSON report against the shipped report schema."""
    full = schema()
    Draft202012Validator.check_schema(full)
    Draft202012Validator(full).validate(instance)


#: Sentences of 020 (the source) that every answer of :func:`class_answers` copies.
CLASS_COPIED = ("There are two main ways to capture it. The older approach is the tidal barrage, a dam built "
                "across an estuary. Water is allowed to flow in as the tide rises, then held behind sluice gates "
                "and released through turbines as the tide falls. The best-known example, on the Rance estuary "
                "in Brittany, has been generating electricity since 1966.")
CLASS_SOURCE = "020_tidal_power_explainer.txt"


def class_answers(count: int = 5) -> dict[str, str]:
    """A class answering one question from one source (``CLASS_SOURCE``, not included): each
    answer is the same four sentences copied verbatim plus a sentence of its own. Five documents
    or more hold those sentences, so they are common (boilerplate at the default); they are most
    of each answer (kept there) and a small part of the source (set aside there)."""
    assert CLASS_COPIED in sample_text(CLASS_SOURCE)
    topics = ["cost", "seabed", "estuaries", "birds", "turbines", "grids", "moon", "salt", "cables"]
    return {f"answer_{k}.txt": f"{CLASS_COPIED}\nMy own point {k}: {topics[k % len(topics)]} matter most here.\n"
            for k in range(count)}


#: An answer rewording ``CLASS_COPIED`` heavily: no sentence of it left, most of its content
#: words kept. The source's content windows leave out the class's common sentences; only its
#: held rows, on all its words, collide with this answer's.
CLASS_HEAVY = ("Capturing it happens in two main ways. A dam across an estuary, the tidal barrage, is the older "
               "approach. As the tide rises the water flows in; it is held behind sluice gates, then released "
               "through turbines when the tide falls. On the Rance estuary in Brittany, the best-known example "
               "has generated electricity since 1966. This is how I understood the reading.")


#: Lines a site prints around every page (:func:`site_pages`).
SITE_HEADER = ("Valley Courier: news, sport and weather for the valley and the towns around it, every day.\n"
               "Home | News | Sport | Weather | Business | Letters | Events | Contact the newsroom")
SITE_FOOTER = ("All of the articles on this site are the property of the Valley Courier and may not be copied "
               "without the permission of the editor.\nShare this story with a friend by email, or on any of the "
               "social networks that you use.")


def site_pages(count: int) -> dict[str, str]:
    """``count`` pages of one site, each a different stretch of 160 words of the samples (but
    those holding ``CLASS_COPIED``: a class and a site can be scanned together) between
    the site's header and footer (70 words: a minority), and a page that is nothing but header
    and footer (``stub.txt``)."""
    words = " ".join(sample_text(name) for name in sample_files() if name.endswith(".txt")
                     and not name.startswith("00") and CLASS_COPIED[:40] not in sample_text(name)).split()
    assert len(words) >= 160 * count
    pages = {f"page_{k:02d}.txt": f"{SITE_HEADER}\n\n{' '.join(words[160 * k : 160 * (k + 1)])}\n\n{SITE_FOOTER}\n"
             for k in range(count)}
    pages["stub.txt"] = f"{SITE_HEADER}\n\nSorry, this page could not be found.\n\n{SITE_FOOTER}\n"
    return pages


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, instead of hanging the suite, if the test blocks (a scan on a FIFO, say) or runs
    for hours (a quadratic pass): after 120 s."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("the test ran for 120 s: blocked, or far slower than it should be")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
