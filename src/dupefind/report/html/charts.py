"""Small inline-SVG bar charts, drawn from counts (no script, no external resources)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 360, 140
_LEFT, _BOTTOM, _TOP = 34, 22, 16
BINS = 20


def containment_chart(containments: Sequence[float], *, threshold: float) -> str:
    """Pairs by containment in :data:`BINS` bins over 0..1, with the ``--threshold`` marked:
    the bars right of the line pass the threshold; those left of it were reported for a long
    shared passage (``--passage-words``)."""
    counts = [0] * BINS
    for value in containments:
        counts[min(int(value * BINS), BINS - 1)] += 1
    labels = [f"containment {k / BINS:.2f}–{(k + 1) / BINS:.2f}" for k in range(BINS)]
    above = sum(value >= threshold for value in containments)
    caption = (f"Pairs by containment; the line is --threshold {threshold:g}: {above} of "
               f"{len(containments)} pairs at or above it")
    x = _LEFT + threshold * (WIDTH - _LEFT - 4)
    marker = (f'<line class="threshold" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 6}" y2="{HEIGHT - _BOTTOM}"/>'
              f'<text class="threshold" x="{x + 3:.1f}" y="{_TOP - 6}" dy="0.7em">threshold {threshold:g}</text>')
    ticks = [(0.0, "0"), (0.5, "0.5"), (1.0, "1")]
    return _bars("containment-chart", caption, counts, labels, ticks, marker)


def cluster_size_chart(sizes: Sequence[int]) -> str:
    """Clusters by size: 2 to 9 documents, then 10 or more."""
    counter = Counter(min(size, 10) for size in sizes)
    counts = [counter.get(size, 0) for size in range(2, 11)]
    labels = [f"{size} documents" for size in range(2, 10)] + ["10 documents or more"]
    ticks = [(0.5 / 9, "2"), (4.5 / 9, "6"), (8.5 / 9, "10+")]
    caption = f"Clusters by size ({len(sizes)} clusters)"
    return _bars("cluster-chart", caption, counts, labels, ticks, "")


def _bars(css_id: str, caption: str, counts: Sequence[int], labels: Sequence[str],
          ticks: Sequence[tuple[float, str]], extra: str) -> str:
    top = max(counts, default=0) or 1
    inner_w, inner_h = WIDTH - _LEFT - 4, HEIGHT - _BOTTOM - _TOP
    step = inner_w / len(counts)
    bars = []
    for k, (count, label) in enumerate(zip(counts, labels)):
        h = inner_h * count / top
        bars.append(f'<rect x="{_LEFT + k * step + 1:.1f}" y="{_TOP + inner_h - h:.1f}" width="{step - 2:.1f}" '
                    f'height="{h:.1f}"><title>{escape(label)}: {count}</title></rect>')
    axis = (f'<line class="axis" x1="{_LEFT}" x2="{WIDTH - 4}" y1="{HEIGHT - _BOTTOM}" y2="{HEIGHT - _BOTTOM}"/>'
            f'<text x="{_LEFT - 4}" y="{_TOP}" dy="0.35em" text-anchor="end">{top}</text>'
            f'<text x="{_LEFT - 4}" y="{HEIGHT - _BOTTOM}" text-anchor="end">0</text>')
    tick_text = "".join(f'<text x="{_LEFT + where * inner_w:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                        f"{escape(text)}</text>" for where, text in ticks)
    return (f'<figure class="chart" id="{css_id}"><svg role="img" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title>{escape(caption)}</title>'
            f'{"".join(bars)}{axis}{tick_text}{extra}</svg><figcaption>{escape(caption)}</figcaption></figure>')
