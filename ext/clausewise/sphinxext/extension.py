"""``setup()``: what clausewise registers with Sphinx (settings, the Domain,
directives, event handlers) and with sphinx-needs (need fields)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from clausewise._version import __version__
from clausewise.core.settings import declarations
from clausewise.sphinxext import config, events, heap, printed, safety, search
from clausewise.sphinxext.directives import DIRECTIVES
from clausewise.sphinxext.domain import ClausewiseDomain
from clausewise.sphinxext.placeholders import clausewise_placeholder
from clausewise.sphinxext.render import (
    clausewise_html,
    depart_labelled_entry_html,
    labelled_entry,
    search_words,
    skip_node,
    visit_clausewise_html,
    visit_labelled_entry_html,
)

STATIC = Path(__file__).parent / "static"


def _add_static(app: Sphinx) -> None:
    if hasattr(app.config, "html_static_path") and str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_needs")
    for name, default, rebuild in declarations():
        app.add_config_value(name, default, rebuild)
    app.add_domain(ClausewiseDomain)
    app.add_node(clausewise_placeholder)
    # a stacked table's cell: its column's heading as data-label in HTML; a plain cell elsewhere
    app.add_node(labelled_entry, html=(visit_labelled_entry_html, depart_labelled_entry_html))
    # the parts every page repeats, written as HTML text: made for the HTML builders only
    app.add_node(clausewise_html, html=(visit_clausewise_html, None))
    app.add_node(search_words, html=(skip_node, None))  # their words, for the search index only
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    # the directives that read files check them first (a no-op with clausewise_safe_mode off)
    for name, guarded in safety.DIRECTIVES.items():
        app.add_directive(name, guarded, override=True)
    # before sphinx-needs reads its own config (priority 10 and up) ...
    app.connect("config-inited", config.on_config_inited, priority=5)
    # ... and the need types once it has resolved the handbook's own (priority 12)
    app.connect("config-inited", config.register_need_types, priority=13)
    app.connect("builder-inited", _add_static)
    app.connect("builder-inited", events.leave_out_pages)
    app.connect("builder-inited", events.on_builder_inited)
    app.connect("env-get-outdated", events.on_env_get_outdated)
    app.connect("source-read", events.on_source_read)
    # before Sphinx's collectors (500) copy images and downloads and take titles for the navigation
    app.connect("doctree-read", safety.on_doctree_read, priority=100)
    app.connect("html-page-context", events.on_html_page_context)
    app.connect("html-page-context", events.add_matrix_script)
    app.connect("html-page-context", events.add_actions_script)
    app.connect("html-page-context", search.on_html_page_context)
    app.connect("doctree-read", events.on_doctree_read, priority=400)
    app.connect("env-updated", events.on_env_updated)
    app.connect("doctree-resolved", events.on_doctree_resolved)
    # the PDF's single-page build: pages marked and summarised before the placeholders are filled
    app.connect("builder-inited", printed.add_print_stylesheet)
    app.connect("doctree-resolved", printed.on_doctree_resolved, priority=400)
    app.connect("doctree-resolved", printed.after_filling, priority=600)
    # after sphinx-needs has written needs.json (default priority 500)
    app.connect("build-finished", events.on_build_finished, priority=900)
    # the last build's environment, loaded between these two, lives to the end of the build: no
    # collection while it loads, and out of the garbage collector's reach from then until the end
    app.connect("config-inited", heap.pause_while_loading, priority=1000)
    app.connect("builder-inited", heap.freeze_loaded, priority=1000)
    # ... and, after an edit to a few pages, what reading and assembling the handbook made
    app.connect("env-before-read-docs", heap.count_pages_read, priority=1000)
    app.connect("env-updated", heap.freeze_assembled, priority=1000)
    app.connect("build-finished", heap.give_back, priority=1000)
    app.add_css_file("clausewise.css")
    # env_version: raised when what clausewise puts into a page's doctree while reading changes, so that
    # an environment pickled before is read again (4: the Revision history section is not searched;
    # 5: a record's is made when its page is written)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 5}
