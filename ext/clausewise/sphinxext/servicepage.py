"""The generated part of a service's page: its agreements, each metric's trend against its
target with the periods' values, its suppliers and its open actions.

The data are :mod:`clausewise.rules.measurements`' (``series_of``, :func:`clausewise.rules.suppliers.supporting`,
``open_actions_of``); the chart is :func:`clausewise.outputs.trend.trend_svg`. Values
from a record the build's audience may not read are left out, as its body is, and the
page says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docutils import nodes

from clausewise.core.dates import months_text
from clausewise.core.model import GovernedDocument, Record
from clausewise.outputs.trend import Target, TrendPoint, trend_svg
from clausewise.rules.measurements import MeasuredPoint, Series, target_text, with_unit
from clausewise.sphinxext import render

#: How a period's result reads, in words (the chart marks a miss by shape as well as colour).
RESULT_WORDS = {True: "met", False: "missed", None: "no target"}


def _figure(markup: str) -> nodes.Node:
    return nodes.raw("", f'<figure class="clausewise-figure clausewise-trend">{markup}</figure>', format="html")


def _result(met: bool | None) -> nodes.Node:
    words = RESULT_WORDS[met]
    return nodes.inline(words, words, classes=[f"clausewise-result-{words.replace(' ', '-')}"])


def _metric_part(
    series: Series, points: Sequence[MeasuredPoint], today: date, window_months: int, link: render.Linker
) -> list[nodes.Node]:
    metric = series.metric
    heading = f"{metric.name} ({metric.unit})"
    # the metric's anchor (what the management page and a supplier's page link to) is on its heading,
    # which every audience sees, not on its table of values, which a withheld record's values leave out
    anchor = nodes.make_id(f"{series.service.id}-{metric.name}")
    out: list[nodes.Node] = [nodes.rubric(heading, heading, ids=[anchor], classes=["clausewise-metric"])]
    if metric.help:
        out.append(render.paragraph(metric.help))
    target = metric.target
    goal = f"Target: {target_text(target, metric.unit)}." if target else "No target: the values are a trend only."
    latest = points[-1] if points else None
    if latest is None:
        out.append(render.paragraph(goal, " No values recorded yet."))
        return out
    against = f" against {target_text(latest.target, metric.unit)}" if latest.target else ""
    window = series.in_window(today, window_months)
    in_window = [p for p in points if p in window]
    misses = sum(1 for p in in_window if p.met is False)
    out.append(
        render.paragraph(
            f"{goal} Latest, {latest.period}: {with_unit(latest.achieved, metric.unit)}{against}, "
            f"{RESULT_WORDS[latest.met]}. Missed in {misses} of the {len(in_window)} periods measured in the "
            f"audit window (the last {months_text(window_months)})."
        )
    )
    chart_target = Target(target.value, target.direction.value == ">=") if target else None
    trend = [TrendPoint(p.period, p.achieved, p.met) for p in points]
    out.append(_figure(trend_svg(f"{series.service.title}: {metric.name}", trend, chart_target, metric.unit)))
    rows = [
        (
            p.period,
            with_unit(p.achieved, metric.unit),
            target_text(p.target, metric.unit) if p.target else "\u2014",
            _result(p.met),
            link.ref(p.record_id),
        )
        for p in reversed(points)
    ]
    out.append(
        render.table(
            ["Period", "Achieved", "Target", "Result", "Record"],
            rows,
            classes=["clausewise-measurements"],
            stacked=True,
        )
    )
    return out


def service_levels(
    service: GovernedDocument,
    series: Sequence[Series],
    suppliers: Sequence[GovernedDocument],
    actions: Sequence[Record],
    withheld: frozenset[str],
    today: date,
    window_months: int,
    link: render.Linker,
) -> list[nodes.Node]:
    """The service page's generated sections, in the order a reader asks: what binds it, how it
    performs, who supports it, what is being done."""
    out: list[nodes.Node] = []

    def section(title: str, ident: str, *content: nodes.Node) -> None:
        sec = nodes.section(ids=[ident], classes=["clausewise-generated"])
        sec += nodes.title(title, title)
        sec.extend(content)
        out.append(sec)

    agreements = render.joined(link.ref(a, f"{a} {link.titles.get(a, '')}".strip()) for a in service.agreements)
    section(
        "Agreements", "clausewise-service-agreements",
        render.paragraph(*agreements)
        if service.agreements else render.paragraph("No agreements are named (agreements: in the front matter)."),
    )  # fmt: skip
    parts: list[nodes.Node] = []
    hidden = 0
    for one in series:
        shown = [p for p in one.points if p.record_id not in withheld]
        hidden += len(one.points) - len(shown)
        parts += _metric_part(one, shown, today, window_months, link)
    if hidden:
        parts.append(render.paragraph(f"{hidden} values from records this audience may not read are left out."))
    if not parts:
        parts.append(render.paragraph("No metrics are declared (metrics: in the front matter)."))
    section("Service levels", "clausewise-service-levels", *parts)
    section(
        "Suppliers", "clausewise-service-suppliers",
        render.paragraph(*render.joined(link.ref(s.id, f"{s.id} {s.title}") for s in suppliers))
        if suppliers else render.paragraph("No supplier is recorded as supporting this service."),
    )  # fmt: skip
    section(
        "Open actions", "clausewise-service-actions",
        render.paragraph(*render.joined(link.ref(a.id, f"{a.id} {a.title}") for a in actions))
        if actions else render.paragraph("No open action names this service."),
    )  # fmt: skip
    return out
