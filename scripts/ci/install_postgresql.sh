#!/bin/sh
# Debian's PostgreSQL server for tests/e2e/test_postgres_instance.py (the test starts and stops its
# own server in a temporary directory). Idempotent and quick when installed; never fails `make test`:
# where it cannot install (no apt-get, not root and no sudo, no network), the test is skipped and
# says why.
set -u
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_postgresql.sh: no apt-get here; the PostgreSQL instance test will be skipped"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install_postgresql.sh: not root and no password-less sudo; the PostgreSQL instance test will be skipped"
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends postgresql >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q --no-install-recommends postgresql >/dev/null 2>&1; } \
    || echo "install_postgresql.sh: could not install postgresql; the PostgreSQL instance test will be skipped"
exit 0
