#!/bin/sh
# Install Debian's Chromium for the browser test (tests/lab/test_browser.py) when it is missing and
# we may: as root on a machine with apt-get (CI runs `make test` as root on Debian 12).
# Anywhere else (macOS, a normal user) it does nothing and the browser test skips, naming
# what to install. Playwright's own browser download is not used: it is not reachable in CI.
[ -x /usr/bin/chromium ] && exit 0
[ "$(id -u)" = 0 ] || exit 0
command -v apt-get >/dev/null 2>&1 || exit 0
echo "Installing Debian's chromium for the browser test (apt-get, ~25 s)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
else
    echo "could not install chromium: the browser test will be skipped" >&2
fi
exit 0
