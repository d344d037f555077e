"""The management dashboard (``{management-dashboard}``): five short sections, each linked to its detail.

The numbers are :func:`clausewise.outputs.management.management_summary`'s; this module only
draws them: service levels (the latest period of each service's metric against its target,
"met" or "missed" in words, with its trend), the critical suppliers and contract ends, customer
satisfaction, open actions, and what is overdue. A section the handbook has nothing for says so
in one line, so the page is the same five sections in every handbook.
"""

from __future__ import annotations

from docutils import nodes

from clausewise.core.dates import months_text
from clausewise.outputs.management import OVERDUE_KINDS, ManagementSummary, MetricLevel
from clausewise.outputs.trend import Target, TrendPoint, trend_svg
from clausewise.rules.measurements import target_text, with_unit
from clausewise.rules.suppliers import SupplierStatus
from clausewise.sphinxext import action_register, render
from clausewise.sphinxext.servicepage import RESULT_WORDS

#: The placeholder kinds of the detail pages the sections link to (``Kind`` values; the
#: placeholders module imports this one, so they are written here as text).
ACTION_REGISTER, SUPPLIER_REGISTER, COMPLAINT_REGISTER, DASHBOARD = (
    "action-register", "supplier-register", "complaint-register", "dashboard",
)  # fmt: skip

#: How each kind of overdue item is counted in words (singular, plural).
OVERDUE_WORDS = {
    "review": ("document review", "document reviews"),
    "record": ("record", "records"),
    "action": ("action", "actions"),
    "supplier review": ("supplier review", "supplier reviews"),
}


def _plural(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"


def _section(title: str, ident: str, *content: nodes.Node) -> nodes.section:
    sec = nodes.section(ids=[ident], classes=["clausewise-management-section"])
    sec += nodes.title(title, title)
    sec.extend(content)
    return sec


def _result(met: bool | None) -> nodes.Node:
    words = RESULT_WORDS[met]
    return nodes.inline(words, words, classes=[f"clausewise-result-{words.replace(' ', '-')}"])


def _trend(level: MetricLevel) -> nodes.Node:
    series, metric = level.series, level.series.metric
    target = metric.target
    chart_target = Target(target.value, target.direction.value == ">=") if target else None
    points = [TrendPoint(p.period, p.achieved, p.met) for p in level.shown]
    svg = trend_svg(f"{series.service.title}: {metric.name}", points, chart_target, metric.unit)
    return nodes.raw("", f'<figure class="clausewise-figure clausewise-trend">{svg}</figure>', format="html")


def service_levels(summary: ManagementSummary, link: render.Linker) -> nodes.section:
    levels = summary.service_levels
    title, ident = "Service levels", "management-service-levels"
    if levels is None:
        return _section(title, ident, render.paragraph("No services are declared (pages of type: service)."))
    with_latest = [lv for lv in levels if lv.latest is not None and lv.latest.met is not None]
    met = sum(1 for lv in with_latest if lv.latest is not None and lv.latest.met)
    window = months_text(summary.window_months)
    head = render.paragraph(
        f"{met} of {len(with_latest)} measured targets met in their latest period. Misses are counted in the "
        f"audit window (the last {window}); each service's page has its values."
    )
    rows = []
    for lv in levels:
        metric, latest = lv.series.metric, lv.latest
        service = lv.series.service
        rows.append((
            render.service_link(service.id, service.title, f"{service.id}-{metric.name}", link),
            metric.name,
            f"{with_unit(latest.achieved, metric.unit)} ({latest.period})" if latest
            else "withheld" if lv.withheld else "no values yet",
            target_text(latest.target, metric.unit) if latest and latest.target else
            target_text(metric.target, metric.unit) if metric.target else "\u2014",
            _result(latest.met) if latest else "\u2014",
            f"{lv.missed_in_window} of {lv.measured_in_window}",
        ))  # fmt: skip
    table = render.table(
        ["Service", "Metric", "Latest", "Target", "Result", "Missed in the audit window"], rows,
        classes=["clausewise-management-levels"], stacked=True,
    )  # fmt: skip
    hidden = sum(lv.withheld for lv in levels)
    note = (
        [render.paragraph(f"{hidden} values from records this audience may not read are left out.")] if hidden else []
    )
    trends = nodes.container(classes=["clausewise-management-trends"])
    trends.extend(_trend(lv) for lv in levels if lv.shown)
    return _section(title, ident, head, table, *note, trends)


def key_suppliers(summary: ManagementSummary, link: render.Linker) -> nodes.section:
    title, ident = "Critical suppliers and contracts", "management-suppliers"
    statuses = summary.key_suppliers
    register = link.page(SUPPLIER_REGISTER, "supplier register")
    if statuses is None:
        return _section(title, ident, render.paragraph("No suppliers are recorded (pages of type: supplier)."))
    which = f"the {summary.highest_criticality} suppliers" if summary.highest_criticality else "the suppliers"
    head = render.paragraph(
        f"{which.capitalize()} and every contract ending within the notice period, soonest first; all "
        "suppliers are in the ", register, "."
    )  # fmt: skip
    if not statuses:
        return _section(title, ident, head, render.paragraph("None."))
    rows = [
        (link.ref(s.supplier.id, f"{s.supplier.id} {s.supplier.title}"), s.criticality or "\u2014",
         s.contract_words(), _next_review(s))
        for s in statuses
    ]  # fmt: skip
    table = render.table(
        ["Supplier", "Criticality", "Contract ends", "Next review due"], rows,
        classes=["clausewise-management-suppliers"], stacked=True,
    )  # fmt: skip
    return _section(title, ident, head, table)


def _next_review(status: SupplierStatus) -> str:
    if status.next_review_due is None:
        return "not scheduled"
    return status.next_review_due.isoformat() + (" (overdue)" if status.review_overdue else "")


def satisfaction(summary: ManagementSummary, link: render.Linker) -> nodes.section:
    title, ident = "Customer satisfaction", "management-customers"
    sat = summary.satisfaction
    if sat is None:
        return _section(
            title, ident,
            render.paragraph("No customer surveys or complaints are recorded (record types of kind survey or "
                             "complaint)."),
        )  # fmt: skip
    out: list[nodes.Node] = []
    for one in sat.series:
        out += render.satisfaction_trends(one, link)
    if sat.has_complaint_type:
        out.append(render.paragraph(
            f"Open complaints: {sat.open_complaints}, of which unanswered past the time to answer: "
            f"{sat.unanswered}; see the ", link.page(COMPLAINT_REGISTER, "complaints register"), ".",
        ))  # fmt: skip
    return _section(title, ident, *out)


def open_actions(summary: ManagementSummary, link: render.Linker) -> nodes.section:
    title, ident = "Open actions", "management-actions"
    if summary.actions is None:
        return _section(title, ident, render.paragraph("No actions are recorded (record types of kind action)."))
    return _section(
        title, ident,
        render.paragraph(action_register.summary_text(summary.actions), " See the ",
                         link.page(ACTION_REGISTER, "action register"), "."),
    )  # fmt: skip


def overdue(summary: ManagementSummary, link: render.Linker) -> nodes.section:
    title, ident = "Overdue", "management-overdue"
    if not summary.overdue:
        return _section(title, ident, render.paragraph("Nothing is overdue."))
    counts = summary.overdue_counts()
    said = [_plural(counts[k], OVERDUE_WORDS[k]) for k in OVERDUE_KINDS if counts[k]]
    listed = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
    top = summary.top_overdue
    first = f", the first {len(top)}" if len(top) < len(summary.overdue) else ""
    head = render.paragraph(
        f"Overdue: {listed}. By due date{first}; everything due soon is on the ", link.page(DASHBOARD, "dashboard"),
        ".",
    )  # fmt: skip
    rows = [
        (i.due.isoformat(), i.what, link.ref(i.item_id, f"{i.item_id} {i.title}"), link.named(i.owner) if i.owner
         else "\u2014")
        for i in top
    ]  # fmt: skip
    table = render.table(["Due", "What", "Item", "Owner"], rows, classes=["clausewise-management-overdue"],
                         stacked=True)  # fmt: skip
    return _section(title, ident, head, table)


def management_dashboard(summary: ManagementSummary, link: render.Linker) -> list[nodes.Node]:
    """The page's five sections, in the order a management reader asks: are we delivering, who do
    we depend on, are customers content, what are we doing about it, and what have we let slip."""
    return [
        render.paragraph(f"As of {summary.today.isoformat()}."),
        service_levels(summary, link),
        key_suppliers(summary, link),
        satisfaction(summary, link),
        open_actions(summary, link),
        overdue(summary, link),
    ]
