"""Shared by the Python checks of `chiso serve` (serve_api.py,
serve_limits.py, serve_browser.py): "ok NAME" / "FAIL NAME" lines as
tests/run.sh counts them, and the exit status."""
import sys

failures = 0


def check(name, cond, *why):
    """Print ok or FAIL for NAME; on failure each `why` on its own line."""
    global failures
    if cond:
        print("ok " + name)
        return True
    failures += 1
    print("FAIL " + name)
    for w in why:
        print("  " + str(w)[:800])
    return False


def done():
    """Exit 1 when a check failed."""
    sys.exit(1 if failures else 0)


def chromium(window="1280,900", lang="vi", console_log=False):
    """Debian's headless chromium under chromium-driver (python3-selenium),
    with a fresh profile; the caller quits it."""
    import tempfile
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="chiso-chromium-"), "--window-size=" + window,
              "--lang=" + lang]:
        opts.add_argument(a)
    if console_log:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.set_page_load_timeout(300)
    return d
