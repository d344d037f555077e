"""The audit coverage page (``{audit-coverage}``): clauses and procedures against the internal audits.

Drawn from :class:`clausewise.rules.audits.AuditCoverage`: a row per clause of the audit scope and per
procedure in force, a column per internal audit that is within the cycle or is some row's last audit
(older audits say nothing the page needs), then the last audit and the state in words, so the
programme can be planned from it: gaps first to fill, then what falls out of the cycle soon.
"""

from __future__ import annotations

from docutils import nodes

from clausewise.core.dates import months_text
from clausewise.rules.audits import DUE_SOON_DAYS, Audit, AuditCoverage, AuditState, falls_out, state_text
from clausewise.sphinxext import render

#: What a cell of an audit's column says: the audit named the clause (or a clause above it), or some
#: clause under it.
MARKS = {"named": "\u2713", "part": "part", "": ""}
STATE_CLASS = {
    AuditState.COVERED: "clausewise-audit-covered",
    AuditState.DUE_SOON: "clausewise-audit-due-soon",
    AuditState.GAP: "clausewise-audit-gap",
}


def shown_audits(result: AuditCoverage) -> list[int]:
    """The indexes of the audits the page shows a column for: within the cycle, or some row's last."""
    lasts = {row.last_audit for row in result.rows}
    return [
        index for index, audit in enumerate(result.audits)
        if falls_out(audit.day, result.cycle_months) > result.today or audit.record.id in lasts
    ]  # fmt: skip


def column_label(audit: Audit) -> str:
    """An audit's column heading: its report's period, else its day."""
    return audit.record.period or audit.day.isoformat()


def audit_coverage_page(result: AuditCoverage | None, link: render.Linker) -> list[nodes.Node]:
    if result is None:
        return [render.paragraph(
            "No record type has 'kind: audit', so the handbook keeps no audit programme to check: declare the "
            "internal audit report's record type with 'kind: audit' and an 'audited' field."
        )]  # fmt: skip
    counts = {state: sum(1 for r in result.rows if r.state is state) for state in AuditState}
    cycle = months_text(result.cycle_months)
    columns = shown_audits(result)
    intro = render.paragraph(
        f"Every clause the audit programme must cover and every procedure in force, against the internal "
        f"audits that named them under 'audited:'. An audit counts for {cycle} (the audit cycle) from the day "
        f"its report was produced; within {DUE_SOON_DAYS} days of that end a row is due soon. "
        f"{counts[AuditState.GAP]} gaps, {counts[AuditState.DUE_SOON]} due soon, "
        f"{counts[AuditState.COVERED]} covered. \u2713: the audit named it or a clause above it; "
        f"part: a clause under it."
    )
    audits_line = render.paragraph(
        "Audits: ",
        *render.joined(
            [link.ref(result.audits[i].record.id), nodes.Text(f" ({result.audits[i].day})")] for i in columns
        ),
    ) if columns else render.paragraph("No internal audit report counts yet.")  # fmt: skip
    headers = ["Clause or procedure", "Title", *(column_label(result.audits[i]) for i in columns),
               "Last audited", "Status"]  # fmt: skip
    rows: list[list[nodes.Node | str | list[nodes.Node]]] = []
    for row in result.rows:
        subject = link.clause(row.subject) if row.is_clause else link.ref(row.subject)
        last: list[nodes.Node] = [nodes.Text("never")]
        if row.last and row.last_audit:
            last = [nodes.Text(f"{row.last} "), link.ref(row.last_audit)]
        rows.append([subject, row.title, *(MARKS[row.marks[i]] for i in columns), last, state_text(row)])
    table = render.table(
        headers, rows, classes=["clausewise-audit-coverage"],
        widths=[14, 30, *([5] * len(columns)), 18, 20],
        row_ids=[f"audit-{row.need_id}" for row in result.rows],
        row_classes=[[STATE_CLASS[row.state]] for row in result.rows],
        stacked=True,
    )  # fmt: skip
    return [intro, audits_line, table]
