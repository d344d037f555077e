"""Editing without a terminal, in a real browser: the sample's "Edit this page" on a procedure
page is visible and inside the screen at desktop and phone width, and is left out of print.
Playwright and Chromium as in ``test_browser.py``, whose fixtures these tests reuse."""

from __future__ import annotations

import pytest
from test_browser import browser, site  # noqa: F401 - fixtures: Chromium, the sample served

#: The sample's repository (its conf.py) and a procedure page of it.
REPOSITORY = "https://github.com/fernhill/sms"
PROCEDURE = "procedures/incident-management"


@pytest.mark.parametrize("width", [1280, 400])
def test_edit_this_page_is_visible_on_a_procedure_page(browser: object, site: str, width: int) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(f"{site}/{PROCEDURE}.html")
        edit = page.locator("a.clausewise-edit-link")
        assert edit.count() == 1
        assert edit.is_visible()
        assert edit.inner_text().strip().endswith("Edit this page")
        assert edit.get_attribute("href") == f"{REPOSITORY}/edit/main/{PROCEDURE}.md"
        box = edit.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        # under the page's title, above the status box: seen without scrolling
        assert box["y"] + box["height"] <= 900
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.emulate_media(media="print")
        assert not edit.is_visible()
    finally:
        context.close()
