"""The terminal report: renderables built here, printed once by the CLI.

Article text and ids are always wrapped in ``Text`` so that nothing a user wrote is ever
parsed as Rich markup (an article containing ``[b]`` keeps its brackets), and go through
:func:`visible` so that no control character in them reaches the terminal (an article holding
``ESC]0;...`` would otherwise set the terminal's title).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..explain import describe, substitution_list
from ..models import Pair, Passage, Report, Skipped

_CHANGED_A = "bold red"
_CHANGED_B = "bold green"


def report_view(report: Report, *, max_passages: int = 3, max_chars: int = 1000) -> RenderableType:
    """Summary, the table of pairs, then each pair's passages side by side."""
    parts: list[RenderableType] = [_summary(report)]
    if report.pairs:
        parts.append(_pairs_table(report.pairs))
        for pair in report.pairs:
            parts.append(pair_view(pair, max_passages=max_passages, max_chars=max_chars))
    if report.skipped:
        parts.append(_skipped_table(report))
    if report.ignored:
        parts.append(_ignored_line(report.ignored))
    return Group(*parts)


# C0 controls but tab and newline, DEL and the C1 controls; a carriage return only when alone
# (Rich drops the one of a CRLF line end, which Windows files hold by the thousand).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab written as a visible escape
    (``\\x1b``, ``\\r``, ``\\x9b``): an escape sequence in an article or an id is shown, never
    sent to the terminal. ``\\r\\n`` line ends stay (Rich prints them as line ends)."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\r" if char == "\r" else f"\\x{ord(char):02x}"


def pair_view(pair: Pair, *, max_passages: int = 0, max_chars: int = 0) -> RenderableType:
    """One pair: its figures and its passages side by side, differing words highlighted.

    ``max_passages`` and ``max_chars`` of 0 mean no limit.
    """
    title = Text.assemble(Text(visible(pair.a), "cyan"), "  ↔  ", Text(visible(pair.b), "magenta"))
    verdict = "copy" if pair.duplicate else "not a copy"
    figures = Text(
        f"{verdict}: similarity {pair.similarity:.2f}, containment {pair.containment_a:.2f} of A in B, "
        f"{pair.containment_b:.2f} of B in A, {len(pair.passages)} matching passage(s)", "dim")
    parts: list[RenderableType] = [Rule(title, align="left"), figures]
    if pair.relation is not None:
        parts.append(Text.assemble(("kind  ", "bold"), Text(describe(pair.relation))))
        if pair.relation.substitutions:
            parts.append(Text.assemble(("substitutions  ", "bold"), Text(visible(substitution_list(pair.relation)))))
    ranked = sorted(pair.passages, key=lambda p: -(p.words_a + p.words_b))
    shown = ranked[:max_passages] if max_passages else ranked
    if shown:
        table = Table(expand=True, show_lines=True)
        table.add_column(Text(f"A  {visible(pair.a)}"), ratio=1)
        table.add_column(Text(f"B  {visible(pair.b)}"), ratio=1)
        for passage in sorted(shown, key=lambda p: p.a_start):
            table.add_row(*_passage_cells(passage, max_chars))
        parts.append(table)
    if len(shown) < len(ranked):
        parts.append(Text(f"… {len(ranked) - len(shown)} more passage(s): see --max-passages or --format json", "dim"))
    return Padding(Group(*parts), (1, 0, 0, 0))


def _passage_cells(p: Passage, max_chars: int) -> tuple[Text, Text]:
    cell_a = Text(f"[{p.a_start}:{p.a_end}] {p.similarity:.0%} identical\n", style="dim")
    cell_b = Text(f"[{p.b_start}:{p.b_end}] {p.words_a} ↔ {p.words_b} words\n", style="dim")
    changed = [e for e in p.edits if e.op != "equal"]
    cell_a.append_text(_highlighted(p.a_text, [(e.a_start - p.a_start, e.a_end - p.a_start) for e in changed],
                                    _CHANGED_A, max_chars))
    cell_b.append_text(_highlighted(p.b_text, [(e.b_start - p.b_start, e.b_end - p.b_start) for e in changed],
                                    _CHANGED_B, max_chars))
    return cell_a, cell_b


def _highlighted(text: str, changed: Sequence[tuple[int, int]], style: str, max_chars: int) -> Text:
    """``text`` (cut at ``max_chars`` unless 0, control characters made :func:`visible`) with
    the ``changed`` spans in ``style``."""
    stop = min(len(text), max_chars) if max_chars else len(text)
    out = Text()
    cursor = 0
    for start, end in sorted((max(0, start), min(end, stop)) for start, end in changed):
        start = max(start, cursor)
        if end > start:
            out.append(visible(text[cursor:start]))
            out.append(visible(text[start:end]), style=style)
            cursor = end
    out.append(visible(text[cursor:stop]))
    if stop < len(text):
        out.append(f" … ({len(text) - stop} more characters; --max-chars 0 shows all)", style="dim italic")
    return out


def _summary(report: Report) -> RenderableType:
    short = sum(d.short for d in report.documents)
    line = Text.assemble(
        ("dupefind  ", "bold"),
        f"{len(report.documents)} documents scanned ({short} short), ",
        (f"{len(report.skipped)} skipped", "yellow" if report.skipped else ""),
        f", {len(report.ignored)} ignored by type, " if report.ignored else ", ",
        (f"{len(report.pairs)} pairs", "bold red" if report.pairs else "green"),
        f" in {len(report.clusters)} clusters, {report.seconds:.2f} s",
    )
    return Padding(line, (0, 0, 1, 0))


def _pairs_table(pairs: Sequence[Pair]) -> RenderableType:
    table = Table(title="Pairs, most similar first", title_justify="left")
    for name, justify in (("#", "right"), ("A", "left"), ("B", "left"), ("kind", "left"), ("similarity", "right"),
                          ("A in B", "right"), ("B in A", "right"), ("passages", "right")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]  # literals above
    for number, pair in enumerate(pairs, start=1):
        kind = " + ".join(pair.relation.kinds) if pair.relation else ""
        table.add_row(str(number), Text(visible(pair.a), "cyan"), Text(visible(pair.b), "magenta"), kind,
                      f"{pair.similarity:.2f}",
                      f"{pair.containment_a:.2f}", f"{pair.containment_b:.2f}", str(len(pair.passages)))
    return table


def _skipped_table(report: Report) -> RenderableType:
    table = Table(title="Skipped inputs", title_justify="left", title_style="yellow")
    table.add_column("path")
    table.add_column("reason")
    for item in report.skipped:
        table.add_row(Text(visible(item.path)), Text(visible(item.reason)))
    return Padding(table, (1, 0, 0, 0))


def _ignored_line(ignored: Sequence[Skipped]) -> RenderableType:
    """Files passed over for their type, counted by extension (each is listed in the JSON report)."""
    types = Counter(_extension(item.path) for item in ignored)
    counts = ", ".join(f"{kind} ×{n}" if n > 1 else kind for kind, n in sorted(types.items()))
    line = Text.assemble(("Ignored by type", "bold"), f" (not read; not an error): {len(ignored)} file(s), ",
                         Text(visible(counts)), " (listed in --format json)", style="dim")
    return Padding(line, (1, 0, 0, 0))


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else "no extension"
