"""Take the README's screenshot: the playground in headless Chromium after 4 s of training.

python scripts/take_screenshot.py [docs/playground.png] [query-string]
"""

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser_support import chromium, playground_frame, streamlit_server


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/playground.png")
    query = sys.argv[2] if len(sys.argv) > 2 else "k=4&n=120&optimum=1"
    with streamlit_server() as (url, _), sync_playwright() as p, chromium(p) as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 860})
        page.goto(f"{url}/?{query}")
        frame = playground_frame(page)
        page.get_by_role("button", name="Play").click()
        time.sleep(4)
        page.get_by_role("button", name="Pause").click()
        frame.locator("#overlay").click(position={"x": 330, "y": 200})
        time.sleep(1.5)
        page.screenshot(path=str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
