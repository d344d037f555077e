"""Sphinx configuration of the Fernhill Managed Services SMS handbook.

clausewise configures myst-parser and sphinx-needs itself (need types, fields,
links); this file holds only what a handbook chooses.
"""

project = "Fernhill Managed Services — Service Management System"
author = "Fernhill Managed Services Ltd"
copyright = "2024-2026, Fernhill Managed Services Ltd"

extensions = ["clausewise"]

# Only these are pages of the handbook; the tool's own code and tests are not.
root_doc = "index"
include_patterns = [
    "index.md",
    "docs/**",
    "policies/**",
    "procedures/**",
    "external/**",
    "services/**",
    "suppliers/**",
    "records/**",
]
exclude_patterns = ["_build", ".nox", ".venv"]

# --- clausewise ---------------------------------------------------------------
clausewise_organisation = "Fernhill Managed Services Ltd"
# The folders whose pages are governed documents and records; external/ holds the
# documents of external origin (contracts, SLAs, laws, the standard itself).
clausewise_governed_paths = [
    "policies/",
    "procedures/",
    "docs/roles/",
    "external/",
    "services/",
    "suppliers/",
    "records/",
]
# The clause catalogue: a bundled name or a YAML file in this repository.
clausewise_catalogue = "iso20000-1-2018"
# "Today" for every date rule: leave empty for the real date; CLAUSEWISE_TODAY overrides.
clausewise_today = ""
# Severity per finding code ("error", "warning", "info" or "off"), e.g.:
# clausewise_severity = {"uncovered-clause": "error"}
# A review is "due soon" this many days before its date.
clausewise_due_soon_days = 30
# Links that make a document depend on another: when the target changes after
# this document's review, the document is flagged `upstream-changed`.
clausewise_upstream_links = ["implements", "owner", "satisfies"]
# Where commits are shown; revision histories link to <url>/commit/<sha>.
# The sample organisation's (fictional) repository: revision histories link its commits, and every
# governed page has "Edit this page" (and each record grid "add") into GitHub's web editor.
clausewise_repository_url = "https://github.com/fernhill/sms"
# Or any other forge's link to a commit, with {sha} where the commit goes (wins over the above), e.g.
# clausewise_commit_url = "https://gitlab.example/group/handbook/-/commit/{sha}"
# Documents first committed on or before this date may carry review dates from
# before git (an import from another system); empty: the first commit's date.
# This repository's own history is the tool's development: the sample's pages were
# committed up to 2026-11-30, long after the review dates they carry, as if imported
# from another system. `clausewise demo` replays them into the history their
# metadata describes, and `python3 -m nox -s docs` builds that replay, not this folder.
clausewise_history_start = "2026-11-30"
# The day the SMS started: record schedules begin here unless a record type sets `start`.
clausewise_sms_start = "2024-01-01"
# Document control (POL-002): every change to a policy, procedure, role or document of
# external origin that reaches main from this day must be approved by a member of the
# owning role (its members: on the role's page, and its github: users and teams) other
# than its author: the pull request's approving review, which the workflow records as
# a git note. A change without one is approval-missing.
clausewise_approval = {"required": True, "by": "owner", "since": "2026-01-01"}
# Supplier categories (PRC-006) and how often each is reviewed (PRC-019): a critical supplier
# quarterly (4 months leaves a month for the meeting), an important one at least yearly, the
# others at contract renewal. Contracts ending within 180 days are reported (the default).
clausewise_supplier_review = {"critical": "4 months", "important": "12 months", "other": "none"}
# sphinx-build fails (exit status 1) when a finding is this severe: "error", "warning" or "never".
clausewise_fail_on = "error"
# Who may read which classification (POL-002, documented information): all staff
# read the published handbook, so confidential records show their metadata only;
# the auditor's build (nox -s docs-auditor, the audit pack) has them in full.
clausewise_audiences = {
    "staff": ["public", "internal"],
    "auditor": ["public", "internal", "confidential"],
}

# The eight recurring activities that keep the SMS alive, and the documents
# (with their record types) that show each is done: the dashboard's last table.
clausewise_activities = {
    "Run the SMS": ["PRC-001"],
    "Measure and monitor": ["PRC-018", "PRC-015"],
    "Manage suppliers": ["PRC-019", "PRC-006"],
    "Keep customers satisfied": ["PRC-020", "PRC-004"],
    "Improve": ["PRC-021"],
    "Internal audit": ["PRC-022"],
    "Management review": ["PRC-023"],
    "Training and awareness": ["PRC-024"],
}

# --- MyST and HTML -------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_title = "Fernhill SMS handbook"
html_favicon = "docs/_static/favicon.svg"

# --- customers -------------------------------------------------------------------
# Complaints are answered within 10 working days (PRC-020): 14 calendar days.
clausewise_complaint_response_days = 14
