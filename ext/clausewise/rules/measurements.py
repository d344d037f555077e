"""Services and their measurements: targets, trends and misses.

A service (``type: service``) declares its metrics, each with a unit and usually a
target; a record's ``measurements:`` give, for its period, the value achieved of a
service's metric (both read by :mod:`clausewise.sources.metadata`). Here, with the
whole handbook read:

- every measurement must name a declared service and one of its metrics, and a
  percentage lies between 0 and 100 (:func:`reference_findings`);
- each service's metric becomes a :class:`Series`, its values by period, oldest first
  (:func:`series_of`, :func:`all_series`): what the service page's trend chart, its
  table and a management dashboard show;
- every missed period of the audit window is ``target-missed`` (info), and a metric missed in
  ``in_a_row`` periods in a row or in ``in_window`` periods of the audit window is
  ``target-missed-repeatedly`` (warning), unless an action deals with it
  (:func:`missed_findings`, :func:`actions_naming`).

Only records that count as evidence (current and filled in) give values: a draft's
figures are not yet approved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clausewise.core.dates import add_months
from clausewise.core.findings import Code, Finding
from clausewise.core.model import (
    DocType,
    FieldType,
    GovernedDocument,
    Handbook,
    Measurement,
    Metric,
    MetricTarget,
    Record,
    RecordKind,
)


def with_unit(value: float, unit: str) -> str:
    """``99.5 %`` as a reader reads it: ``99.5%``, ``4 hours``."""
    return f"{value:g}{unit}" if unit == "%" else f"{value:g} {unit}"


def target_text(target: MetricTarget, unit: str) -> str:
    """``at least 99.9%``."""
    return f"{target.direction.words} {with_unit(target.value, unit)}"


@dataclass(frozen=True)
class MeasuredPoint:
    """One period's value of a service's metric, from the record that measured it."""

    period: str
    achieved: float
    #: the record's own target for the period, else the metric's; ``None``: no target to meet
    target: MetricTarget | None
    record_id: str
    path: str
    line: int  # of the measurement entry, in the record's page
    produced: date | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met_by(self.achieved)


@dataclass(frozen=True)
class Series:
    """A service's metric over time: its values by period, oldest first."""

    service: GovernedDocument
    metric: Metric
    points: tuple[MeasuredPoint, ...]

    @property
    def latest(self) -> MeasuredPoint | None:
        return self.points[-1] if self.points else None

    def in_window(self, today: date, window_months: int) -> tuple[MeasuredPoint, ...]:
        """The points whose record was produced within the audit window (the last ``window_months``
        up to ``today``): what an auditor samples."""
        opens = add_months(today, -window_months)
        return tuple(p for p in self.points if p.produced is not None and opens < p.produced <= today)

    def misses_in_window(self, today: date, window_months: int) -> tuple[MeasuredPoint, ...]:
        return tuple(p for p in self.in_window(today, window_months) if p.met is False)

    def longest_run(self, today: date, window_months: int) -> tuple[MeasuredPoint, ...]:
        """The longest run of periods in a row within the window whose target was missed (the latest
        of equally long runs); periods without a target neither break nor extend a run."""
        best: tuple[MeasuredPoint, ...] = ()
        run: list[MeasuredPoint] = []
        for point in self.in_window(today, window_months):
            if point.met is None:
                continue
            run = [*run, point] if point.met is False else []
            if len(run) >= len(best):
                best = tuple(run) if run else best
        return best


def services(handbook: Handbook) -> dict[str, GovernedDocument]:
    """The handbook's services by id (the first page of a duplicate id, as everywhere)."""
    found: dict[str, GovernedDocument] = {}
    for doc in handbook.documents:
        if doc.type is DocType.SERVICE:
            found.setdefault(doc.id, doc)
    return found


def _metric(service: GovernedDocument, name: str) -> Metric | None:
    return next((m for m in service.metrics if m.name == name), None)


def _measured(handbook: Handbook) -> Iterable[tuple[Record, Measurement]]:
    for record in handbook.records:
        for measurement in record.measurements:
            yield record, measurement


def reference_findings(handbook: Handbook) -> list[Finding]:
    """What a page alone cannot check: a measurement of a service or metric that is not declared
    (``unknown-reference``, with the closest name), a percentage outside 0 to 100, a period's
    metric measured twice (``invalid-metadata``), each on the measurement's line; an agreement
    that names no document of the handbook (``unknown-reference``, on the service's line)."""
    declared = services(handbook)
    known_docs = sorted(d.id for d in handbook.documents)
    findings = []
    for service in declared.values():
        for agreement in service.agreements:
            if agreement not in known_docs:
                close = difflib.get_close_matches(agreement, known_docs, n=1)
                fix = f"did you mean {close[0]!r}?" if close else "name a document, e.g. a document of external origin"
                findings.append(
                    Finding(service.source.path, service.line_of("agreements"), Code.UNKNOWN_REFERENCE, service.id,
                            f"agreements: {agreement!r} is not an id of a document in the handbook; {fix}")
                )  # fmt: skip
    seen: dict[tuple[str, str, str], Record] = {}
    for record, m in _measured(handbook):
        measured = declared.get(m.service)
        if measured is None:
            close = difflib.get_close_matches(m.service, sorted(declared), n=1)
            fix = f"did you mean {close[0]!r}?" if close else "declare the service on a page of type: service"
            findings.append(
                Finding(record.source.path, m.line, Code.UNKNOWN_REFERENCE, record.id,
                        f"measurements: service {m.service!r} is not a service of the handbook; {fix}")
            )  # fmt: skip
            continue
        metric = _metric(measured, m.metric)
        if metric is None:
            names = [x.name for x in measured.metrics]
            close = difflib.get_close_matches(m.metric, names, n=1)
            fix = (f"did you mean {close[0]!r}? (" if close else
                   f"its metrics are {', '.join(names)} (" if names else "it declares no metrics (")  # fmt: skip
            findings.append(
                Finding(record.source.path, m.line, Code.UNKNOWN_REFERENCE, record.id,
                        f"measurements: {m.metric!r} is not a metric of {m.service} ({measured.source.path}); "
                        f"{fix}or add it under the service's metrics)")
            )  # fmt: skip
            continue
        if metric.unit == "%":
            for what, value in (("achieved", m.achieved), ("target", m.target.value if m.target else None)):
                if value is not None and not 0 <= value <= 100:
                    findings.append(
                        Finding(record.source.path, m.line, Code.INVALID_METADATA, record.id,
                                f"measurements: {what} {value:g} of {m.service} {m.metric} is not a percentage; "
                                f"the metric is counted in '%', from 0 to 100")
                    )  # fmt: skip
        if not record.counts or record.period is None:
            continue
        key = (m.service, m.metric, record.period)
        first = seen.setdefault(key, record)
        if first is not record:
            findings.append(
                Finding(record.source.path, m.line, Code.INVALID_METADATA, record.id,
                        f"measurements: {m.service} {m.metric} for {record.period} is measured in {first.id} "
                        f"({first.source.path}) already; a period has one value: remove one of them")
            )  # fmt: skip
    return findings


def _valid(service: GovernedDocument, metric: Metric, m: Measurement) -> bool:
    in_range = metric.unit != "%" or (0 <= m.achieved <= 100 and (m.target is None or 0 <= m.target.value <= 100))
    return m.service == service.id and m.metric == metric.name and in_range


def series_of(service_id: str, handbook: Handbook) -> tuple[Series, ...]:
    """Each declared metric of the service, with its values by period, oldest first (by period
    label, then produced day); one value a period, the first record's (a second is reported)."""
    service = services(handbook).get(service_id)
    if service is None:
        return ()
    out = []
    for metric in service.metrics:
        points: dict[str, MeasuredPoint] = {}
        for record, m in _measured(handbook):
            if not record.counts or record.period is None or not _valid(service, metric, m):
                continue
            points.setdefault(record.period, MeasuredPoint(
                record.period, m.achieved, m.target or metric.target, record.id, record.source.path, m.line,
                record.produced,
            ))  # fmt: skip
        ordered = sorted(points.values(), key=lambda p: (p.period, p.produced or date.min, p.record_id))
        out.append(Series(service, metric, tuple(ordered)))
    return tuple(out)


def all_series(handbook: Handbook) -> tuple[Series, ...]:
    """Every service's every metric, services by id."""
    return tuple(s for service_id in sorted(services(handbook)) for s in series_of(service_id, handbook))


def _value_of(record: Record, name: str) -> object | None:
    field = record.field(name)
    return field.values[0] if field is not None and field.values else None


def actions_naming(service_id: str, handbook: Handbook) -> tuple[Record, ...]:
    """The action records (of a record type of kind ``action``) that name the service as their
    subject: a field of type id (``source``, ``subject`` or any other) whose value is its id.
    Current and draft records both: an action raised is being dealt with before it is approved."""
    kinds = {rt.id: rt.kind for rt in handbook.record_types}
    return tuple(
        record
        for record in handbook.records
        if kinds.get(record.record_type or "") is RecordKind.ACTION
        and any(f.type is FieldType.ID and service_id in f.values for f in record.fields)
    )


def open_actions_of(service_id: str, handbook: Handbook) -> tuple[Record, ...]:
    """The actions naming the service (:func:`actions_naming`) that are not closed (no ``closed:`` day)."""
    return tuple(a for a in actions_naming(service_id, handbook) if _value_of(a, "closed") is None)


def _dealt_with(service_id: str, handbook: Handbook, latest_miss: MeasuredPoint) -> bool:
    """Whether an action deals with the misses: one naming the service that is open, or that was
    closed on or after the day the latest miss was recorded (one closed before it did not stop it)."""
    for action in actions_naming(service_id, handbook):
        closed = _value_of(action, "closed")
        if not isinstance(closed, date) or latest_miss.produced is None or closed >= latest_miss.produced:
            return True
    return False


def missed_findings(
    handbook: Handbook,
    today: date,
    window_months: int,
    in_a_row: int,
    in_window: int,
    withheld: frozenset[str] = frozenset(),
) -> list[Finding]:
    """``target-missed`` for every missed period of the audit window (on the measurement's line);
    ``target-missed-repeatedly`` for a metric missed in ``in_a_row`` periods in a row or ``in_window``
    periods of the audit window (on the metric's line in the service's page), unless an action deals
    with it (:func:`_dealt_with`).
    The messages name no value of a record in ``withheld`` (those the build's audience may not read)."""
    findings = []
    for series in all_series(handbook):
        service, metric = series.service, series.metric
        # a miss before the audit window is history the chart shows; the findings are what an auditor samples
        for p in series.misses_in_window(today, window_months):
            if p.target is not None:
                # a record the build's audience may not read keeps its figures to itself, here as on its page
                values = (
                    "the values are withheld from this audience"
                    if p.record_id in withheld
                    else f"achieved {with_unit(p.achieved, metric.unit)}, target {target_text(p.target, metric.unit)}"
                )
                findings.append(
                    Finding(p.path, p.line, Code.TARGET_MISSED, p.record_id,
                            f"{service.id} {metric.name} in {p.period} missed its target: {values}")
                )  # fmt: skip
        run = series.longest_run(today, window_months)
        misses = series.misses_in_window(today, window_months)
        if len(run) < in_a_row and len(misses) < in_window:
            continue
        if _dealt_with(service.id, handbook, misses[-1]):
            continue
        shown = run if len(run) >= in_a_row else misses
        periods = ", ".join(p.period for p in shown)
        how = (
            f"in {len(run)} periods in a row ({periods})"
            if shown is run
            else f"in {len(misses)} periods of the audit window ({periods})"
        )
        findings.append(
            Finding(service.source.path, metric.line, Code.TARGET_MISSED_REPEATEDLY, service.id,
                    f"{service.id} {metric.name} missed its target {how}; raise an action (a record of kind action) "
                    f"whose source is {service.id}, or, if the target is wrong, change it")
        )  # fmt: skip
    return findings


@dataclass(frozen=True)
class ServiceLevel:
    """One service's metric as a management dashboard sums it up: its latest period against its
    target, and how many of the periods measured in the audit window missed it."""

    series: Series
    latest: MeasuredPoint | None
    measured_in_window: int
    missed_in_window: int

    @property
    def latest_met(self) -> bool | None:
        return self.latest.met if self.latest is not None else None


def service_levels(handbook: Handbook, today: date, window_months: int) -> tuple[ServiceLevel, ...]:
    """Every service's every metric (services by id), summed up for a dashboard: a pure function of
    the handbook, today and the audit window (``clausewise_audit_window``)."""
    return tuple(
        ServiceLevel(s, s.latest, len(s.in_window(today, window_months)), len(s.misses_in_window(today, window_months)))
        for s in all_series(handbook)
    )
