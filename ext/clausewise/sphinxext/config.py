"""Reading the handbook's configuration into clausewise and sphinx-needs, on ``config-inited``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.api import add_field, add_need_type, get_need_types
from sphinx_needs.config import DEFAULT_NEED_TYPES

from clausewise.core.model import Catalogue, FieldSpec
from clausewise.core.settings import ClausewiseConfig, SettingError, declarations
from clausewise.pipeline import assembly
from clausewise.sources import catalogue as catalogue_mod
from clausewise.sources import gitlog
from clausewise.sphinxext.needs_config import (
    NEED_TYPES,
    NEEDS_FIELDS,
    need_type_prefix,
    needs_fields,
    needs_settings,
    record_need_fields,
)

logger = logging.getLogger(__name__)


def sphinx_app(env: BuildEnvironment) -> Sphinx:
    """The application of ``env``.

    ``env.app`` is deprecated in Sphinx 9 and ``sphinx_needs.api.add_need`` still
    takes the application, so this one place reads the private attribute.
    """
    return env._app


def app_settings(app: Sphinx) -> ClausewiseConfig:
    """The settings ``config-inited`` read (kept on the application: they are not pickled)."""
    return app.clausewise_config  # type: ignore[attr-defined]


def settings_of(env: BuildEnvironment) -> ClausewiseConfig:
    return app_settings(sphinx_app(env))


@cache
def _load_catalogues(
    names: tuple[str, ...], srcdir: Path, versions: tuple[tuple[Path, float], ...]
) -> tuple[Catalogue, ...]:
    return catalogue_mod.load_all(names, srcdir)[0]


def catalogue_paths(app: Sphinx) -> tuple[Path, ...]:
    """The configured catalogues' files, in order: each one in the handbook, or a bundled one."""
    srcdir = Path(app.srcdir)
    return tuple(catalogue_mod.locate(name, srcdir) for name in app_settings(app).catalogue_names)


def handbook_catalogues(app: Sphinx) -> tuple[Catalogue, ...]:
    """The configured catalogues, loaded once per version of their files."""
    versions = tuple((path, path.stat().st_mtime) for path in catalogue_paths(app))
    return _load_catalogues(app_settings(app).catalogue_names, Path(app.srcdir), versions)


def stop_build(message: str) -> NoReturn:
    """End the build on a setting that cannot be used: one clear line, exit code 2.

    Sphinx 9 prints a crash report with a traceback for any exception, its own
    ``ConfigError`` included; an owner who mistyped a date in ``conf.py`` needs
    the sentence, not the report. ``SystemExit`` passes through Sphinx's handler;
    this is the one place in the package that raises it.
    """
    logger.error("clausewise: %s", message, type="clausewise", subtype="config")
    raise SystemExit(2)


def register_needs_fields(levels: tuple[str, ...]) -> None:
    """clausewise's need fields, through sphinx-needs' API: on ``config-inited``,
    once the settings say which classification levels exist, and before
    sphinx-needs reads its configuration (sphinx-needs' ``setup`` has cleared its
    registry by then)."""
    for name, spec in needs_fields(levels).items():
        add_field(name, spec["description"], schema=spec["schema"], nullable=spec["nullable"])


def register_record_fields(app: Sphinx, declared: Mapping[str, tuple[FieldSpec, ...]]) -> None:
    """The need fields of the record fields the handbook's record types declare (on
    ``builder-inited``, once every page's front matter has been read, and before sphinx-needs
    makes its schema of the fields on ``env-before-read-docs``). A name the handbook's own
    ``needs_fields`` declares keeps that declaration."""
    need_fields = record_need_fields(declared)
    app.clausewise_record_fields = declared  # type: ignore[attr-defined]
    app.clausewise_need_fields = need_fields  # type: ignore[attr-defined]
    taken = set(app.config.needs_fields or {})
    for name, spec in need_fields.items():
        if name not in taken:
            add_field(name, spec["description"], schema=spec["schema"], nullable=spec["nullable"])


def record_fields_of(app: Sphinx) -> tuple[Mapping[str, tuple[FieldSpec, ...]], Mapping[str, Mapping[str, Any]]]:
    """What :func:`register_record_fields` found: the declarations, and the need fields made of them."""
    return getattr(app, "clausewise_record_fields", {}), getattr(app, "clausewise_need_fields", {})


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Settings, sphinx-needs' configuration and the catalogue (before sphinx-needs reads its own)."""
    try:
        app.clausewise_config = ClausewiseConfig.from_values(  # type: ignore[attr-defined]
            {name: config[name] for name, _, _ in declarations()}
        )
    except SettingError as exc:
        stop_build(str(exc))
    own_fields = sorted(set(config.needs_fields or {}) & NEEDS_FIELDS.keys())
    if own_fields:
        stop_build(
            f"conf.py: needs_fields declares {', '.join(map(repr, own_fields))}, which clausewise declares "
            f"itself; rename the handbook's own field"
        )
    register_needs_fields(app_settings(app).classification_levels)
    if config.needs_types == [dict(need_type) for need_type in DEFAULT_NEED_TYPES]:
        # not configured: a handbook offers clausewise's types, not sphinx-needs' req, spec, impl ...
        config["needs_types"] = []
    for name, value in needs_settings(app_settings(app).id_patterns).items():
        if name == "needs_links":
            # keep what the handbook adds of its own, but clausewise's entries win
            value = {**(config[name] or {}), **value}
        config[name] = value
    # front matter's `title` becomes the page's heading: metadata lives in one place
    config.myst_title_to_header = True
    cfg = app_settings(app)
    # a link that loops or leads nowhere is reported (broken-symlink) and never followed
    broken = assembly.broken_link_exclusions(Path(app.srcdir), cfg)
    if broken:
        config.exclude_patterns = [*config.exclude_patterns, *broken]
    if cfg.as_of is not None and config.html_theme == "furo":
        banner = historical_banner(app, cfg.as_of)
        config.html_theme_options = {**(config.html_theme_options or {}), "announcement": banner}
    try:
        handbook_catalogues(app)
    except catalogue_mod.CatalogueError as exc:
        stop_build(str(exc))


def register_need_types(app: Sphinx, config: Config) -> None:
    """clausewise's need types, added to the handbook's own ``needs_types`` (on
    ``config-inited`` after sphinx-needs has resolved them, priority 12)."""
    taken = sorted(set(get_need_types(app)) & NEED_TYPES.keys())
    if taken:
        stop_build(
            f"conf.py: needs_types declares {', '.join(map(repr, taken))}, a need type clausewise defines; "
            f"rename the handbook's own type"
        )
    ids = app_settings(app).id_patterns
    for directive, (title, colour) in NEED_TYPES.items():
        add_need_type(app, directive, title, need_type_prefix(directive, ids), colour, "node")


def historical_banner(app: Sphinx, day: date) -> str:
    """The notice every page of an "as of" build carries."""
    try:
        sha, _ = gitlog.head_state(Path(app.srcdir))
        at = f" (commit {sha[:7]})"
    except gitlog.GitUnavailableError:
        at = ""
    return f"Historical view: this is the handbook as it stood on {day}{at}. It is not the version in force today."
