#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
set -euo pipefail
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null; then
    SUDO="sudo"
else
    echo "Các bài kiểm thử trình duyệt cần Chromium: hãy chạy 'apt-get install chromium' với quyền root." >&2
    echo "The browser tests need Chromium: run 'apt-get install chromium' as root." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium >/dev/null || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium >/dev/null; }
chromium --version
