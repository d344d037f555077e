"""What a management review's pages show (issue 17, part 4): the dashboard's section on the next
review (``outputs.review_agenda``) and, on a review's own page, the inputs it covered and skipped
in words (``rules.review_inputs``), under the table of its fields."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from clausewise.core.model import Handbook, Record, RecordKind
from clausewise.outputs.review_agenda import NextReview
from clausewise.rules.review_inputs import judged_inputs, review_inputs
from clausewise.sphinxext.render import Linker, paragraph, table

SKIPPED_CLASS = "clausewise-input-skipped"


def next_review_section(agendas: Sequence[NextReview], link: Linker) -> list[nodes.Node]:
    """The dashboard's "Next management review": for each record type of kind management-review,
    when its next review is due, the last one, and each input with the handbook's count for it."""
    if not agendas:
        return []
    sec = nodes.section(ids=["dashboard-management-review"])
    title = "Next management review"
    sec += nodes.title(title, title)
    for agenda in agendas:
        rt = agenda.record_type
        when: list[nodes.Node | str] = [link.ref(rt.id), f" {rt.title}: "]
        if agenda.due is None:
            when.append("no review is due on its schedule.")
        else:
            late = " (overdue)" if agenda.overdue else ""
            of = f"the review for {agenda.period}" if agenda.period else "the next review"
            when.append(f"{of} is due by {agenda.due}{late}. ")
        if agenda.last is not None:
            when += ["The last was ", link.ref(agenda.last.id), f", produced on {agenda.last.produced}."]
        else:
            when.append("No review has been recorded yet.")
        sec += paragraph(*when)
        sec += paragraph(
            "It must consider these inputs (the record type's inputs:). The numbers are counted from the "
            "handbook where an input names one (count:); the rest come from the presenters."
        )
        rows = []
        classes = []
        for item in agenda.items:
            note = " (not covered by the last review)" if item.skipped_last else ""
            rows.append((item.input.key, item.input.text + note, item.count or "\u2014"))
            classes.append([SKIPPED_CLASS] if item.skipped_last else [])
        sec += table(
            ["Input", "What to consider", "From the handbook"], rows,
            classes=["clausewise-review-inputs"], widths=[20, 50, 30], row_classes=classes, stacked=True,
        )  # fmt: skip
    return [sec]


def inputs_note(handbook: Handbook, record: Record) -> list[nodes.Node]:
    """On a management review's page: the inputs it covered, of those it is judged on, and each it
    skipped or named without its record type listing it, in words."""
    rt = handbook.record_types_by_id.get(record.record_type or "")
    if rt is None or rt.kind is not RecordKind.MANAGEMENT_REVIEW or not rt.inputs:
        return []
    result = review_inputs(rt, record)
    judged = len(judged_inputs(rt, record))
    covered = judged - len(result.skipped)
    parts: list[nodes.Node | str] = [f"Inputs covered: {covered} of the {judged} that "]
    parts += [nodes.literal(rt.id, rt.id), " lists."]
    if result.skipped:
        skipped = "; ".join(f"{i.key} ({i.text})" for i in result.skipped)
        parts.append(f" Not covered: {skipped}.")
    if result.unknown:
        parts.append(f" Not inputs it lists: {', '.join(u.key for u in result.unknown)}.")
    note = paragraph(*parts)
    note["classes"].append("clausewise-review-inputs-note")
    note["ids"].append(f"{record.id}-inputs")
    return [note]
