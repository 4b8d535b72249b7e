"""The return's accessible web version, for the agency's website (publishing the response is expected): the HTML
written beside the Word document by ``actioned returns compile``, opened in Chromium as a visitor would. Its language is
British English, it says who it is from, its headings are real headings in order, its table has a caption and real
column and row headers, every image (there are none today) has alternative text, axe-core (WCAG 2.2 AA) finds
nothing, and it does not scroll sideways on a phone. Screenshots at 375 and 1280 px in test-artifacts/returns/.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.settings import Settings
from tests.web.conftest import CHROMIUM, browser

__all__ = ["browser"]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "returns"
TODAY = date(2021, 2, 24)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]


def test_the_web_version_is_accessible(answered: Settings, cli_in_process, browser: Any, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = cli_in_process(
        "returns", "compile", "safe-to-share", "--agency", "wiltshire-police", "--out", str(tmp_path), "--today",
        TODAY.isoformat(),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (html,) = tmp_path.glob("*.html")
    page = browser.new_page()
    page.goto(html.as_uri())
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.title() == (
        "Response of Wiltshire Police to the HMICFRS report Safe to share? Report on Liberty and Southall Black "
        "Sisters' super-complaint on policing and immigration status"
    )
    assert page.locator("meta[name=author]").get_attribute("content") == "Wiltshire Police"
    headings = page.locator("h1, h2, h3").evaluate_all("els => els.map(e => [e.tagName, e.textContent.trim()])")
    assert headings[0] == ["H1", "RESPONSE OF WILTSHIRE POLICE TO THE HMICFRS REPORT"]
    assert ["H2", "Chief Officer comments"] in headings
    assert ["H2", "Portfolio lead comments"] in headings
    assert ["H2", "Police and Crime Commissioner's comments"] in headings
    assert [h for h, _ in headings].count("H1") == 1
    table = page.locator("table")
    assert table.locator("caption").inner_text() == "The recommendations and Wiltshire Police's response to each"
    assert table.locator("thead th[scope=col]").count() == 2
    assert table.locator("tbody th[scope=row]").count() == 4  # one per recommendation: 1, 4, 5 and 8
    assert page.locator("img:not([alt])").count() == 0
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"web-version-{width}.png"), full_page=True)
        if width == 375:
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        found = Axe().run(page)
        assert found.violations_count == 0, found.generate_report()
    page.close()
