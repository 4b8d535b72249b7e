"""Every message as its reader sees it: the HTML body in Chromium at 800 px (a desktop mail pane) and 375 px (a
phone), screenshots kept in test-artifacts/messages/. No sideways scrolling, and on a phone the first action's link
is on the first screen.
"""

from pathlib import Path

import pytest

from notifications.render import make_message
from tests.notifications.samples import contexts
from tests.notifications.test_render import NAMES

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "messages"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE_SCREEN = 667
"""The height of a common phone's first screen in CSS pixels (iPhone SE / 8 at 375 x 667)."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]


def test_each_message_reads_at_desktop_and_phone_width(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for name in NAMES:
                page_file = tmp_path / f"{name}.html"
                page_file.write_text(make_message(name, contexts()[name]).html, encoding="utf-8")
                for width in (800, 375):
                    page = browser.new_page(viewport={"width": width, "height": PHONE_SCREEN})
                    page.goto(page_file.as_uri())
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
                    first = page.locator("a[href^='https://actioned.example.org/']").first
                    if width == 375 and first.count():
                        box = first.bounding_box()
                        assert box is not None
                        assert box["y"] + box["height"] <= PHONE_SCREEN, f"{name}: first link below the first screen"
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
                    page.close()
        finally:
            browser.close()
