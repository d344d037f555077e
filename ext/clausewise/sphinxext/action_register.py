"""The action register (``{action-register}``) and the lists of actions on other pages.

Open actions first, the most overdue first ("overdue by N days" in words, not colour only),
then closed ones, the latest closed first (``rules/actions.py: register_rows``). Filter buttons
by source and by owner work as the matrix's do: hidden until ``clausewise-actions.js`` runs,
so without it the table is complete and no button pretends to work. Rows carry the index of
their source and owner as classes (``clausewise-action-source-3``), never the value itself: an
id written by a contributor is never markup. A record the build's audience may not read shows
its id only; the rule's findings stay the same for every audience.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from docutils import nodes

from clausewise.rules.actions import Action, ActionSummary, RegisterRow
from clausewise.sphinxext.render import Linker, paragraph, table

#: The register's columns, key columns first: on a phone each row is stacked in this order.
HEADERS = ("Action", "State", "Kind", "Source", "Owner", "Raised", "Due", "Closed", "Effectiveness")
WITHHELD = "withheld"
DASH = "\u2014"


def state_text(action: Action, today: date) -> str:
    """An action's state in words: "overdue by 84 days", "open, due 2026-12-31", "closed 2025-11-28"."""
    if not action.is_open:
        return f"closed {action.closed.isoformat()}" if action.closed else "closed"
    overdue = action.days_overdue(today)
    if overdue:
        return f"overdue by {overdue} day{'s' if overdue != 1 else ''}"
    return f"open, due {action.due.isoformat()}" if action.due else "open, no due date"


def effectiveness_text(action: Action) -> list[nodes.Node] | str:
    if action.effectiveness_checked is None:
        return "not checked" if not action.is_open else DASH
    checked = action.effectiveness_checked.isoformat()
    if action.was_effective is None:
        return f"checked {checked}"
    return f"{'effective' if action.was_effective else 'not effective'}, checked {checked}"


def _date(value: date | None) -> str:
    return value.isoformat() if value else DASH


def _index(values: Sequence[str]) -> dict[str, int]:
    return {value: number for number, value in enumerate(sorted(set(values)))}


def register(rows: Sequence[RegisterRow], today: date, link: Linker) -> list[nodes.Node]:
    """The register's filter buttons and table; a sentence instead when there is no action."""
    if not rows:
        return [paragraph("No actions are recorded.")]
    visible = [r.action for r in rows if not r.withheld]
    sources = _index([a.source for a in visible if a.source])
    owners = _index([a.owner for a in visible if a.owner])
    body: list[Sequence[nodes.Node | str | list[nodes.Node]]] = []
    classes: list[list[str]] = []
    for row in rows:
        action = row.action
        state = state_text(action, today)
        row_classes = ["clausewise-action-open" if action.is_open else "clausewise-action-closed"]
        if row.days_overdue:
            row_classes.append("clausewise-action-overdue")
        if row.withheld:
            body.append((link.ref(action.id), state, *([WITHHELD] * 7)))
            classes.append(row_classes)
            continue
        if action.source:
            row_classes.append(f"clausewise-action-source-{sources[action.source]}")
        if action.owner:
            row_classes.append(f"clausewise-action-owner-{owners[action.owner]}")
        cell: list[nodes.Node] = [link.ref(action.id), nodes.Text(f" {action.record.title}")]
        follow_up = action.follow_up
        effectiveness = effectiveness_text(action)
        if follow_up:
            effectiveness = [nodes.Text(f"{effectiveness}; follow-up "), link.ref(follow_up)]
        body.append((
            cell, nodes.strong(state, state) if row.days_overdue else state, action.kind or DASH,
            link.ref(action.source) if action.source else DASH,
            link.named(action.owner) if action.owner else DASH,
            _date(action.raised), _date(action.due), _date(action.closed), effectiveness,
        ))  # fmt: skip
        classes.append(row_classes)
    return [
        _filters(len(rows), sources, owners, link),
        table(HEADERS, body, classes=["clausewise-action-register"], widths=[22, 12, 9, 12, 12, 8, 8, 8, 9],
              row_classes=classes, stacked=True),
    ]  # fmt: skip


def _filters(total: int, sources: dict[str, int], owners: dict[str, int], link: Linker) -> nodes.Node:
    def button(group: str, value: str, label: str, pressed: bool) -> str:
        return (
            f'<button type="button" data-filter="{group}" data-value="{value}" '
            f'aria-pressed="{"true" if pressed else "false"}">{html.escape(label)}</button>'
        )

    groups = []
    for group, label, values in (("source", "Source", sources), ("owner", "Owner", owners)):
        names = {value: link.titles.get(value, value) if group == "owner" else value for value in values}
        groups.append(
            f'<div role="group" aria-label="{label}">'
            + button(group, "all", f"Every {label.lower()}", True)
            + "".join(button(group, str(number), names[value], False) for value, number in values.items())
            + "</div>"
        )
    markup = (
        '<div class="clausewise-action-filters" hidden>'
        + "".join(groups)
        + f'<p class="clausewise-action-shown" aria-live="polite">Showing {total} of {total} actions</p></div>'
    )
    return nodes.raw("", markup, format="html")


def open_actions_list(open_actions: Sequence[Action], today: date, link: Linker) -> list[nodes.Node]:
    """A role's open actions, on its page: each linked, with its state."""
    if not open_actions:
        return [paragraph("No open actions.")]
    items = nodes.bullet_list()
    for action in open_actions:
        state = state_text(action, today)
        items += nodes.list_item(
            "", nodes.paragraph("", "", link.ref(action.id), nodes.Text(f" {action.record.title}: {state}"))
        )
    return [items]


def summary_text(summary: ActionSummary) -> str:
    """The dashboard's sentence on actions."""
    if summary.open == 0:
        return "No open actions."
    ages = (
        f"; the oldest was raised {summary.oldest_open_days} days ago, the median {summary.median_open_days} days ago"
        if summary.oldest_open_days is not None
        else ""
    )
    return f"{summary.open} open action{'s' if summary.open != 1 else ''}, {summary.overdue} overdue{ages}."
