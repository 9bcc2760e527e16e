#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
set -euo pipefail
cd "$(dirname "$0")"
if command -v chromium-browser >/dev/null; then
    exit 0
fi
./apt-install.sh chromium chromium "Các bài kiểm thử trình duyệt / The browser tests"
chromium --version
