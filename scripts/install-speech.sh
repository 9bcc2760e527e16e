#!/usr/bin/env bash
# Debian's espeak-ng reads answers aloud (POST /api/voice/speak). Without it the assistant
# still runs; only "Nghe câu trả lời" is unavailable.
set -euo pipefail
if command -v espeak-ng >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null; then
    SUDO="sudo"
else
    echo "Đọc câu trả lời cần espeak-ng: hãy chạy 'apt-get install espeak-ng' với quyền root." >&2
    echo "Reading answers aloud needs espeak-ng: run 'apt-get install espeak-ng' as root." >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q espeak-ng >/dev/null || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q espeak-ng >/dev/null; } \
    || echo "Không cài được espeak-ng / could not install espeak-ng: voice output is off" >&2
