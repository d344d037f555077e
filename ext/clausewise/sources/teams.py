"""The members of the forge teams a role's ``github:`` names, from the file the workflow writes.

``clausewise_approval``'s ``"by": "owner"`` lets a member of a document's owner role approve
its changes; a role names its people in ``members:`` and its teams in ``github:``
(``@org/team``). Who is in a team is the forge's to say, so the workflow asks its API before the
build and writes the answer as JSON into the handbook (``clausewise_team_members``)::

    {"example-org/change-and-release": ["daniel-k", "sam-b"], "example-org/sms": ["marcus-r"]}

and the build reads only that file: it stays offline, and the same file gives the same findings.
A file that is missing is no team known (the finding of a change then says so); one that cannot
be read is one ``invalid-metadata`` finding on it, and no team known.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from clausewise.core.findings import Code, Finding

#: The largest team file read: a few hundred teams of a few dozen logins is far less.
MAX_TEAM_FILE_BYTES = 1_000_000
EXPECTED = 'expected a JSON object of each team to its members\' logins, e.g. {"org/team": ["alice", "bob"]}'


@dataclass(frozen=True)
class Teams:
    """The team file as read: each team (``org/team``, lower case, no '@') -> its logins (lower case)."""

    path: str = ""  # as configured ("" when none is)
    found: bool = False
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, handle: str) -> frozenset[str] | None:
        """The logins of the team ``@org/team`` (any case); ``None`` when the file does not list it."""
        return self.members.get(handle.removeprefix("@").casefold())


def read_teams(srcdir: Path, path: str) -> tuple[Teams, list[Finding]]:
    """The team file at ``path`` (relative to the handbook's folder ``srcdir``)."""
    if not path:
        return Teams(), []
    root = srcdir.resolve()
    file = (srcdir / path).resolve()
    if not file.is_relative_to(root):
        return Teams(path), [_problem(path, 0, "leads outside the handbook's folder (a symbolic link?), so it is "
                                               "not read; write the team file inside the handbook")]  # fmt: skip
    if not file.exists():
        return Teams(path), []
    try:
        if file.stat().st_size > MAX_TEAM_FILE_BYTES:
            return Teams(path), [_problem(path, 0, f"is larger than {MAX_TEAM_FILE_BYTES} bytes, so it is not read")]
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        return Teams(path), [_problem(path, 0, f"cannot be read ({exc.strerror or exc})")]
    except UnicodeDecodeError:
        return Teams(path), [_problem(path, 0, "is not UTF-8 text; " + EXPECTED)]
    except json.JSONDecodeError as exc:
        return Teams(path), [_problem(path, exc.lineno, f"is not valid JSON ({exc.msg}); {EXPECTED}")]
    if not isinstance(data, dict):
        return Teams(path), [_problem(path, 1, f"is a JSON {type(data).__name__}; {EXPECTED}")]
    members: dict[str, frozenset[str]] = {}
    for team, logins in data.items():
        if "/" not in team or not isinstance(logins, list) or not all(isinstance(x, str) for x in logins):
            return Teams(path), [
                _problem(path, 0, f"lists {team!r}: {json.dumps(logins)[:80]}, where a team 'org/team' and a list "
                                  f"of logins are expected; {EXPECTED}")
            ]  # fmt: skip
        members[team.removeprefix("@").casefold()] = frozenset(x.strip().removeprefix("@").casefold() for x in logins)
    return Teams(path, True, members), []


def _problem(path: str, line: int, what: str) -> Finding:
    return Finding(
        path, line, Code.INVALID_METADATA, "",
        f"the team file {path!r} (clausewise_team_members) {what}; until it is fixed no team's members are known, "
        f"so only roles' members: and github: users may approve for their role",
    )  # fmt: skip
