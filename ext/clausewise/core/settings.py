"""clausewise's settings, read once from Sphinx's config into a typed object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from clausewise.core.findings import validate_severity_overrides
from clausewise.sources.metadata import parse_date

TODAY_ENV = "CLAUSEWISE_TODAY"

#: (name, default, rebuild) for every ``clausewise_*`` setting in ``conf.py``.
#: Settings that only change findings and generated pages need no re-read
#: ("" rebuild): clausewise recomputes those on every build anyway.
Rebuild = Literal["", "env", "html"]
SETTINGS: tuple[tuple[str, Any, Rebuild], ...] = (
    ("clausewise_today", "", ""),
    ("clausewise_catalogue", "iso20000-1-2018", "env"),
    # "env": the {finding-codes} table on the owner's guide shows the severities
    ("clausewise_severity", {}, "env"),
    ("clausewise_governed_paths", ["policies/", "procedures/", "docs/roles/", "records/"], "env"),
    ("clausewise_organisation", "", "html"),
    ("clausewise_due_soon_days", 30, ""),
    ("clausewise_upstream_links", ["implements", "owner", "satisfies"], ""),
    ("clausewise_repository_url", "", ""),
    ("clausewise_history_start", "", ""),
    ("clausewise_sms_start", "", ""),
    ("clausewise_records_path", "records/", "env"),
    ("clausewise_activities", {}, ""),
    ("clausewise_as_of", "", "env"),
)


class SettingError(ValueError):
    """A setting that cannot be used; the message says which and how to fix it."""


@dataclass(frozen=True)
class ClausewiseConfig:
    today: date
    catalogue: str
    severity: dict[str, str] = field(default_factory=dict)
    governed_paths: tuple[str, ...] = ()
    organisation: str = ""
    due_soon_days: int = 30
    upstream_links: tuple[str, ...] = ("implements", "owner", "satisfies")
    repository_url: str = ""
    history_start: date | None = None
    sms_start: date | None = None
    records_path: str = "records/"
    activities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    as_of: date | None = None  # a historical build: the handbook as it stood that day

    @classmethod
    def from_values(cls, values: dict[str, Any], environ: dict[str, str] | None = None) -> ClausewiseConfig:
        """Build from ``clausewise_*`` values; ``CLAUSEWISE_TODAY`` overrides ``clausewise_today``."""
        environ = dict(os.environ) if environ is None else environ
        return cls(
            today=resolve_today(values.get("clausewise_today", ""), environ.get(TODAY_ENV, "")),
            catalogue=str(values.get("clausewise_catalogue", "iso20000-1-2018")),
            severity=_severity(values.get("clausewise_severity") or {}),
            governed_paths=tuple(
                p if p.endswith("/") else p + "/" for p in values.get("clausewise_governed_paths") or ()
            ),
            organisation=str(values.get("clausewise_organisation") or ""),
            due_soon_days=_days(values.get("clausewise_due_soon_days", 30)),
            upstream_links=_links(values.get("clausewise_upstream_links", ["implements", "owner", "satisfies"])),
            repository_url=str(values.get("clausewise_repository_url") or "").rstrip("/"),
            history_start=_optional_date("clausewise_history_start", values.get("clausewise_history_start")),
            sms_start=_optional_date("clausewise_sms_start", values.get("clausewise_sms_start")),
            records_path=str(values.get("clausewise_records_path") or "records/").rstrip("/") + "/",
            activities=_activities(values.get("clausewise_activities") or {}),
            as_of=_optional_date("clausewise_as_of", values.get("clausewise_as_of")),
        )

    def is_governed_path(self, path: str) -> bool:
        """Pages under a governed folder must carry metadata (their index pages excepted)."""
        return any(path.startswith(p) for p in self.governed_paths) and not path.endswith(("/index.md", "/index.rst"))


def resolve_today(configured: Any, from_env: str) -> date:
    """The one "today" every date rule uses: the environment, else conf.py, else the real date."""
    for origin, value in ((f"environment variable {TODAY_ENV}", from_env), ("clausewise_today", configured)):
        if isinstance(value, date):
            return value
        if value:
            parsed = parse_date(str(value).strip())
            if parsed is None:
                raise SettingError(f"{origin} is {value!r}; expected a date as YYYY-MM-DD, e.g. 2026-11-23")
            return parsed
    return date.today()


def _severity(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise SettingError(
            "clausewise_severity must be a dict of finding code to severity, e.g. {'uncovered-clause': 'error'}"
        )
    problems = validate_severity_overrides(raw)
    if problems:
        raise SettingError("; ".join(problems))
    return {str(k): str(v) for k, v in raw.items()}


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingError(f"clausewise_due_soon_days is {value!r}; expected a whole number of days, e.g. 30")
    return value


def _links(value: Any) -> tuple[str, ...]:
    from clausewise.rules.staleness import UPSTREAM_LINKS

    if not isinstance(value, list | tuple) or any(v not in UPSTREAM_LINKS for v in value):
        raise SettingError(f"clausewise_upstream_links is {value!r}; expected a list of: {', '.join(UPSTREAM_LINKS)}")
    return tuple(value)


def _optional_date(name: str, value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value).strip())
    if parsed is None:
        raise SettingError(f"{name} is {value!r}; expected a date as YYYY-MM-DD")
    return parsed


def _activities(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list | tuple) and all(isinstance(i, str) for i in v)
        for k, v in value.items()
    ):
        raise SettingError(
            "clausewise_activities must map each activity's name to a list of document ids, "
            "e.g. {'Internal audit': ['PRC-022']}"
        )
    return {k: tuple(v) for k, v in value.items()}
