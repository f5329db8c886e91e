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
