"""Project-wide pytest hooks. Keep this file to hooks that every test needs.

pytest_setup_options: the Chrome options dash.testing's `dash_duo` fixture uses:
headless Debian Chromium that runs as root, and no background network traffic.
"""

from selenium.webdriver.chrome.options import Options


def pytest_setup_options():
    options = Options()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return options
