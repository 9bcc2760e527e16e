#!/usr/bin/env bash
# Debian's PostgreSQL server binaries, for the tests that run the storage layer against a
# real PostgreSQL (a throwaway cluster started by the tests themselves). Without them
# those tests are skipped; the assistant itself does not need PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"
if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
./apt-install.sh initdb postgresql "Kiểm thử PostgreSQL / PostgreSQL tests" \
    || echo "Không cài được PostgreSQL / could not install PostgreSQL: its tests will be skipped" >&2
