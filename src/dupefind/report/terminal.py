"""The terminal report: renderables built here, printed once by the CLI.

Article text and ids are always wrapped in ``Text`` so that nothing a user wrote is ever
parsed as Rich markup (an article containing ``[b]`` keeps its brackets), and go through
:func:`visible` so that no control or format character in them reaches the terminal (an article
holding ``ESC]0;...`` would otherwise set the terminal's title, one holding U+202E would show its
words in another order): see :mod:`.terminal_escape`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..explain import changed_spans, describe, substitution_list
from ..models import Pair, Passage, Report, Skipped
from .terminal_escape import visible as visible  # re-exported: the CLI escapes its messages with it
from .terminal_escape import visible_name, visible_part
from .terminal_ids import IdCutter, common_folder
from .terminal_ids import elide as elide  # re-exported: the ids cut in the middle
from .terminal_wrap import unbroken

_CHANGED_A = "bold red"
_CHANGED_B = "bold green"
#: After an id the report did not read itself: a document from the index (``index check``);
#: in the table of pairs, where ids are short of room, a star the table's title explains.
INDEXED_MARK = " (indexed)"
INDEXED_TABLE_MARK = " *"


def _nowhere(doc_id: str) -> bool:
    return False


def report_view(report: Report, *, max_passages: int = 3, max_chars: int = 1000, top: int = 0) -> RenderableType:
    """Summary, the table of pairs, then each pair's passages side by side (the first ``top``
    pairs only, unless 0)."""
    return Group(*report_parts(report, max_passages=max_passages, max_chars=max_chars, top=top))


def report_parts(report: Report, *, max_passages: int = 3, max_chars: int = 1000, top: int = 0
                 ) -> Iterator[RenderableType]:
    """:func:`report_view` a part at a time (one per pair view), for a caller that prints them
    one after the other (with a progress display for a long report)."""
    yield _summary(report)
    shown = report.pairs[:top] if top else report.pairs
    if shown:
        short = short_id(id for pair in shown for id in (pair.a, pair.b))
        # An id the report did not read is an indexed document (`index check`): marked as such.
        read = {d.id for d in report.documents}
        indexed = {id for pair in shown for id in (pair.a, pair.b)} - read
        yield PairsTable(shown, short=short, indexed=indexed.__contains__)
        groups = _groups_view(report.clusters, short)
        if groups is not None:
            yield groups
        for number, pair in enumerate(shown, start=1):
            yield pair_view(pair, max_passages=max_passages, max_chars=max_chars, short=short,
                            indexed=indexed.__contains__, number=number)
    if len(shown) < len(report.pairs):
        yield Padding(Text(f"… {len(report.pairs) - len(shown)} more pair(s) not shown: --top 0 shows all, "
                           "--format json lists them", "dim"), (1, 0, 0, 0))
    if report.skipped:
        yield _skipped_table(report)
    if report.ignored:
        yield _ignored_line(report.ignored)


def summary_view(report: Report) -> RenderableType:
    """The one-line summary alone (``--quiet``)."""
    return _summary(report, padded=False)


def short_id(ids: Iterator[str] | Sequence[str]) -> Callable[[str], str]:
    """Ids without the folder they all share (``samples/a.txt`` → ``a.txt``), made
    :func:`visible_name` (on one line)."""
    names = list(dict.fromkeys(ids))
    prefix = common_folder(names)
    return lambda doc: visible_name(doc[len(prefix):] if prefix and doc.startswith(prefix) else doc)


def pair_view(pair: Pair, *, max_passages: int = 0, max_chars: int = 0, short: Callable[[str], str] = visible_name,
              indexed: Callable[[str], bool] = _nowhere, number: int | None = None) -> RenderableType:
    """One pair: its figures and its passages side by side, differing words highlighted.

    ``max_passages`` and ``max_chars`` of 0 mean no limit; ``short`` writes the ids; an id
    ``indexed`` names is marked ``(indexed)``; ``number``, the pair's row in the table of pairs
    (its ``#``), is written before the ids.
    """
    name_a, name_b = (short(id) + (INDEXED_MARK if indexed(id) else "") for id in (pair.a, pair.b))
    title = Text.assemble((f"#{number}  " if number is not None else "", "bold"), Text(name_a, "cyan"), "  ↔  ",
                          Text(name_b, "magenta"))
    verdict = "copy" if pair.duplicate else "not a copy"
    figures = Text(
        f"{verdict}: similarity {pair.similarity:.2f}, containment {pair.containment_a:.2f} of A in B, "
        f"{pair.containment_b:.2f} of B in A, {len(pair.passages)} matching passage(s)", "dim")
    parts: list[RenderableType] = [_Heading(title), figures]
    if pair.relation is not None:
        parts.append(Text.assemble(("kind  ", "bold"), Text(describe(pair.relation))))
        if pair.relation.substitutions:
            parts.append(Text.assemble(("substitutions  ", "bold"), Text(visible(substitution_list(pair.relation)))))
    ranked = sorted(pair.passages, key=lambda p: -(p.words_a + p.words_b))
    shown = ranked[:max_passages] if max_passages else ranked
    if shown:
        parts.append(_PassagesTable(name_a, name_b, sorted(shown, key=lambda p: p.a_start), max_chars=max_chars))
    if len(shown) < len(ranked):
        parts.append(Text(f"… {len(ranked) - len(shown)} more passage(s): see --max-passages or --format json", "dim"))
    return Padding(Group(*parts), (1, 0, 0, 0))


class _Heading:
    """A pair's ids in a rule across the width; when they do not fit, the ids (folded, never
    cut: they name files), then the rule."""

    def __init__(self, title: Text) -> None:
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title.cell_len + 4 <= options.max_width:
            yield Rule(self.title, align="left")
        else:
            yield Text.assemble(self.title, overflow="fold")
            yield Rule()


class _PassagesTable:
    """A pair's passages side by side under the two ids, each id after its letter when both fit
    their columns, else under it, folded onto the next lines when still too long: never cut,
    since it names a file. The words that differ are coloured; on a console without colour
    (piped, a file, ``--color never``, ``NO_COLOR``) they are marked ``[-so-]`` on the A side
    and ``{+so+}`` on the B side, as ``wdiff`` does."""

    def __init__(self, name_a: str, name_b: str, passages: Sequence[Passage], *, max_chars: int) -> None:
        self.names, self.passages, self.max_chars = (name_a, name_b), passages, max_chars

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        column = (options.max_width - 7) // 2  # two columns: three rules and a space each side
        one_line = all(cell_len(name) + 3 <= column for name in self.names)
        table = Table(expand=True, show_lines=True, show_header=False)  # (a header sits at the bottom)
        for _ in self.names:
            table.add_column(ratio=1, overflow="fold")
        table.add_row(*(Text(f"{letter}  {name}" if one_line else f"{letter}\n{name}", style="bold")
                        for letter, name in zip("AB", self.names, strict=True)))
        plain = console.no_color or console.color_system is None
        for passage in self.passages:
            table.add_row(*_passage_cells(passage, self.max_chars, plain=plain))
        yield table


#: The marks around the words that differ when there is no colour to show them (A side, B side).
PLAIN_MARKS = (("[-", "-]"), ("{+", "+}"))


def _passage_cells(p: Passage, max_chars: int, *, plain: bool = False) -> tuple[RenderableType, RenderableType]:
    """The two cells of a passage; without colour, their change marks never cut across lines."""
    cell_a = Text(f"[{p.a_start}:{p.a_end}] {p.similarity:.0%} identical\n", style="dim")
    cell_b = Text(f"[{p.b_start}:{p.b_end}] {p.words_a} ↔ {p.words_b} words\n", style="dim")
    changed_a, changed_b = changed_spans(p)
    marks_a, marks_b = PLAIN_MARKS if plain else (None, None)
    cell_a.append_text(_highlighted(p.a_text, changed_a, _CHANGED_A, max_chars, marks=marks_a))
    cell_b.append_text(_highlighted(p.b_text, changed_b, _CHANGED_B, max_chars, marks=marks_b))
    if not plain:
        return cell_a, cell_b
    return (unbroken(cell_a, style=_CHANGED_A, marks=PLAIN_MARKS[0]),
            unbroken(cell_b, style=_CHANGED_B, marks=PLAIN_MARKS[1]))


def _highlighted(text: str, changed: Sequence[tuple[int, int]], style: str, max_chars: int,
                 marks: tuple[str, str] | None = None) -> Text:
    """``text`` (cut at ``max_chars`` unless 0, made :func:`visible`) with the ``changed``
    spans (:func:`~dupefind.explain.changed_spans`: a changed phrase is one span) in ``style``,
    and between ``marks`` when given."""
    stop = min(len(text), max_chars) if max_chars else len(text)
    spans = sorted((max(0, start), min(end, stop)) for start, end in changed)
    opening, closing = marks or ("", "")
    out = Text()
    cursor = 0
    for start, end in spans:
        start = max(start, cursor)
        if end > start:
            out.append(visible_part(text, cursor, start))
            out.append(opening + visible_part(text, start, end) + closing, style=style)
            cursor = end
    out.append(visible_part(text, cursor, stop))
    if stop < len(text):
        out.append(f" … ({len(text) - stop} more characters; --max-chars 0 shows all)", style="dim italic")
    return out


def counted(count: int, word: str) -> str:
    """``count`` and ``word``, plural unless the count is one (``1 pair``, ``2 pairs``)."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _summary(report: Report, *, padded: bool = True) -> RenderableType:
    short = sum(d.short for d in report.documents)
    line = Text.assemble(
        ("dupefind  ", "bold"),
        f"{counted(len(report.documents), 'document')} scanned ({short} short), ",
        (f"{len(report.skipped)} skipped", "yellow" if report.skipped else ""),
        f", {len(report.ignored)} ignored by type, " if report.ignored else ", ",
        (counted(len(report.pairs), "pair"), "bold red" if report.pairs else "green"),
        f" in {counted(len(report.clusters), 'cluster')}, {report.seconds:.2f} s",
    )
    return Padding(line, (0, 0, 1, 0)) if padded else line


class PairsTable:
    """The table of pairs, laid out for the width it is printed at: ids shortened (the folder
    they share dropped, said in the title; then cut to fit, keeping the part that tells ids
    of one family apart), headers never split. Below 120 columns the table drops its rules and
    shortens two headers (``sim``, ``pass``). Where even so it cannot hold its columns with ids
    of :data:`NARROWEST_ID` cells, each pair is one record of a few lines instead (no column
    is dropped, no figure cut)."""

    _COLUMNS = (("#", "#", "right"), ("A", "A", "left"), ("B", "B", "left"), ("kind", "kind", "left"),
                ("similarity", "sim", "right"), ("A in B", "A in B", "right"), ("B in A", "B in A", "right"),
                ("passages", "pass", "right"))

    def __init__(self, pairs: Sequence[Pair], *, short: Callable[[str], str] = visible_name,
                 indexed: Callable[[str], bool] = _nowhere) -> None:
        self.pairs = pairs
        self.short = short
        self.marks = [tuple(INDEXED_TABLE_MARK if indexed(id) else "" for id in (p.a, p.b)) for p in pairs]
        self.cut = IdCutter((short(id) for p in pairs for id in (p.a, p.b)),
                            suffixes={short(id): INDEXED_TABLE_MARK for p in pairs for id in (p.a, p.b) if indexed(id)})

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        compact = width < 120
        rows = [(str(n), self.short(p.a), self.short(p.b), " + ".join(p.relation.kinds) if p.relation else "",
                 f"{p.similarity:.2f}", f"{p.containment_a:.2f}", f"{p.containment_b:.2f}", str(len(p.passages)))
                for n, p in enumerate(self.pairs, start=1)]
        dropped = _dropped_prefix(self.pairs, self.short)
        notes = ([f"ids under {visible_name(dropped)}"] if dropped else []) + \
            (["* in the index"] if any(any(m) for m in self.marks) else [])
        title = "Pairs, most similar first" + (f" ({'; '.join(notes)})" if notes else "")
        id_width = max(cell_len(r[i]) + len(m[i - 1]) for r, m in zip(rows, self.marks, strict=True) for i in (1, 2))
        unbounded = options.update_width(1 << 16)  # the table's natural width, not clamped to ours
        while True:
            table = self._table(rows, title, compact, id_width)
            if console.measure(table, options=unbounded).maximum <= width:
                yield table
                return
            if id_width <= NARROWEST_ID:
                break
            id_width = max(NARROWEST_ID, id_width - max(1, id_width // 10))
        yield from self._records(rows, title, width)

    def _records(self, rows: Sequence[Sequence[str]], title: str, width: int) -> Iterator[RenderableType]:
        """One record per pair, for a terminal too narrow for the table: its number, the two ids
        whole (folded if need be), then its kind and figures, each whole, on as few lines as fit."""
        yield Text(title, style="italic")
        indent = len(rows[-1][0]) + 2 if rows else 0
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(justify="right", no_wrap=True, min_width=indent - 1)
        grid.add_column(overflow="fold")
        for row, marks in zip(rows, self.marks, strict=True):
            number, a, b, kind, sim, a_in_b, b_in_a, passages = row
            ids = Text.assemble((a, "cyan"), (marks[0], "dim"), " ↔ ", (b, "magenta"), (marks[1], "dim"))
            figures = [kind, f"sim {sim}", f"A in B {a_in_b}", f"B in A {b_in_a}", counted(int(passages), "passage")]
            lines = _packed([f for f in figures if f], max(width - indent, 1))
            grid.add_row(f"{number}.", Text.assemble(ids, *("\n" + line for line in lines)))
        yield grid

    def _table(self, rows: Sequence[Sequence[str]], title: str, compact: bool, id_width: int) -> Table:
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                      show_edge=not compact, pad_edge=not compact)
        for long, brief, justify in self._COLUMNS:
            header = brief if compact else long
            table.add_column(header, justify=justify, no_wrap=long != "kind",  # type: ignore[arg-type]  # literals above
                             min_width=cell_len(header) if long not in ("A", "B") else None,
                             max_width=10 if compact and long == "kind" else None)
        for row, marks in zip(rows, self.marks, strict=True):
            ids = (Text.assemble((self.cut(row[i], id_width), style), (mark, "dim"))
                   for i, style, mark in ((1, "cyan", marks[0]), (2, "magenta", marks[1])))
            table.add_row(row[0], *ids, *row[3:])
        return table


#: The narrowest an id column of the table of pairs is made; narrower, the pairs are records.
NARROWEST_ID = 12


def _packed(items: Sequence[str], width: int) -> list[str]:
    """``items`` joined by two spaces into lines of at most ``width`` cells, an item never split
    (one longer than ``width`` alone on its line)."""
    lines: list[str] = []
    for item in items:
        if lines and cell_len(lines[-1]) + 2 + cell_len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return lines


def _dropped_prefix(pairs: Sequence[Pair], short: Callable[[str], str]) -> str:
    if not pairs:
        return ""
    first = pairs[0].a
    shortened = short(first)
    return first[: len(first) - len(shortened)] if first.endswith(shortened) and shortened != first else ""


#: Groups of copies listed by the terminal report, largest first (JSON and HTML list all).
MAX_GROUPS = 20


def _groups_view(clusters: Sequence[tuple[str, ...]], short: Callable[[str], str]) -> RenderableType | None:
    """The groups of three or more documents that are copies of one another (a cluster of two
    is its pair), largest first: "these seven articles are one story"."""
    groups = sorted((c for c in clusters if len(c) >= 3), key=lambda c: (-len(c), c))
    if not groups:
        return None
    text = Text(f"Groups of copies ({counted(len(groups), 'group')} of 3 documents or more)\n", style="bold")
    for number, group in enumerate(groups[:MAX_GROUPS], start=1):
        text.append(f"{number}. {len(group)} documents: ", style="bold")
        text.append(", ".join(short(doc) for doc in group) + "\n")
    if len(groups) > MAX_GROUPS:
        text.append(f"… {len(groups) - MAX_GROUPS} more group(s): --format json or html lists them\n", style="dim")
    return Padding(text, (1, 0, 0, 0))


def _skipped_table(report: Report) -> RenderableType:
    table = Table(title="Skipped inputs", title_justify="left", title_style="yellow")
    table.add_column("path")
    table.add_column("reason")
    for item in report.skipped:
        table.add_row(Text(visible_name(item.path)), Text(visible(item.reason)))
    return Padding(table, (1, 0, 0, 0))


def _ignored_line(ignored: Sequence[Skipped]) -> RenderableType:
    """Files passed over for their type, counted by extension (each is listed in the JSON report)."""
    types = Counter(_extension(item.path) for item in ignored)
    counts = ", ".join(f"{kind} ×{n}" if n > 1 else kind for kind, n in sorted(types.items()))
    line = Text.assemble(("Ignored by type", "bold"), f" (not read; not an error): {len(ignored)} file(s), ",
                         Text(visible_name(counts)), " (listed in --format json)", style="dim")
    return Padding(line, (1, 0, 0, 0))


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else "no extension"
