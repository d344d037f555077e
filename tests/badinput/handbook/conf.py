"""The bad-input corpus's valid handbook: every case is a mutation of it."""

extensions = ["clausewise"]
project = "Bad-input corpus"
root_doc = "index"
exclude_patterns = ["_build"]

clausewise_today = "2026-11-23"
clausewise_catalogue = "catalogue.yaml"
clausewise_governed_paths = ["policies/", "procedures/", "roles/", "records/"]
clausewise_sms_start = "2026-09-01"
