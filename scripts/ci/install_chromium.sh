#!/usr/bin/env bash
# Debian's chromium for the publication-site browser tests (tests/e2e/test_site.py).
# Idempotent: does nothing when /usr/bin/chromium is there. Never downloads Playwright's own
# browser build. When chromium cannot be installed (no root, no apt-get, no registry), it says so
# and exits 0: the browser tests then skip with that reason.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium: apt-get not found; browser tests will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install_chromium: not root and no sudo; browser tests will be skipped" >&2
        exit 0
    fi
fi
echo "install_chromium: installing Debian's chromium (once)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium >/dev/null 2>&1; then
    # The package lists may be missing or stale on a fresh machine.
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium >/dev/null 2>&1 || true
fi
if [ -x "$CHROMIUM" ]; then
    echo "install_chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium installed)" >&2
else
    echo "install_chromium: could not install chromium; browser tests will be skipped" >&2
fi
exit 0
