"""A trend chart: one series of values by period, against a target, as inline SVG.

Drawn at build time like the dashboard's other charts (:mod:`clausewise.outputs.dashboard`),
so it works offline, on a phone and in a PDF. Each point carries its period and value
as ``data-`` attributes and a ``<title>`` (what a reader's pointer shows), and a missed
target is marked by shape as well as colour (a hollow point), so it reads in black and
white. The values are exact in the attributes; only the drawing is scaled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from clausewise.outputs.dashboard import COLOURS, _svg_open


@dataclass(frozen=True)
class TrendPoint:
    period: str  # the period's label, e.g. 2026-09 or 2026-Q3
    value: float
    met: bool | None = None  # None: no target to meet


@dataclass(frozen=True)
class Target:
    value: float
    higher_is_better: bool  # ">= 99.9" is True, "<= 4 hours" is False

    def met_by(self, value: float) -> bool:
        return value >= self.value if self.higher_is_better else value <= self.value


def _number(value: float) -> str:
    return f"{value:g}"


def trend_svg(title: str, points: Sequence[TrendPoint], target: Target | None = None, unit: str = "",
              width: int = 400) -> str:  # fmt: skip
    """A line through ``points`` (oldest first), with the target as a dashed line. 400 wide, as the
    dashboard's bars: a phone's page. An empty series draws a chart that says so."""
    top, height_plot, left, right, bottom = 30, 120, 48, 12, 34
    height = top + height_plot + bottom
    parts = [_svg_open(title, width, height), f'<text x="0" y="16" class="cw-chart-title">{escape(title)}</text>']
    if not points:
        parts.append(f'<text x="{left}" y="{top + height_plot // 2}" class="cw-chart-label">no values yet</text></svg>')
        return "".join(parts)
    values = [p.value for p in points] + ([target.value] if target else [])
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    plot_width = width - left - right

    def x_of(n: int) -> float:
        return left + (plot_width * (n + 0.5) / len(points))

    def y_of(v: float) -> float:
        return top + height_plot * (high - v) / (high - low)

    suffix = f" {unit}" if unit and not unit.startswith("%") else unit
    for v in (high - pad, low + pad):
        parts.append(f'<text x="0" y="{y_of(v) + 4:.1f}" class="cw-chart-tick">{escape(_number(round(v, 3)))}</text>')
    if target is not None:
        ty = y_of(target.value)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#555" '
            f'stroke-dasharray="4 3" class="cw-trend-target" data-value="{_number(target.value)}">'
            f"<title>target {'at least' if target.higher_is_better else 'at most'} "
            f"{escape(_number(target.value) + suffix)}</title></line>"
        )
    path = " ".join(f"{'M' if n == 0 else 'L'}{x_of(n):.1f},{y_of(p.value):.1f}" for n, p in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for n, p in enumerate(points):
        missed = p.met is False
        colour = COLOURS["missing"] if missed else "#1565c0"
        fill = "#fff" if missed else colour
        state = "missed" if missed else "met" if p.met else "no target"
        parts.append(
            f'<circle cx="{x_of(n):.1f}" cy="{y_of(p.value):.1f}" r="4" fill="{fill}" stroke="{colour}" '
            f'stroke-width="2" class="cw-trend-point" data-period="{escape(p.period)}" '
            f'data-value="{_number(p.value)}"><title>{escape(p.period)}: {escape(_number(p.value) + suffix)} '
            f"({state})</title></circle>"
        )
    # the first and last periods under the axis: every label would not fit a phone's width
    for n in sorted({0, len(points) - 1}):
        anchor = "start" if n == 0 and len(points) > 1 else "end" if n else "middle"
        parts.append(
            f'<text x="{x_of(n):.1f}" y="{top + height_plot + 20}" text-anchor="{anchor}" '
            f'class="cw-chart-tick">{escape(points[n].period)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
