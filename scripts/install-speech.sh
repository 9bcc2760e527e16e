#!/usr/bin/env bash
# Debian's espeak-ng reads answers aloud (POST /api/voice/speak). Without it the assistant
# still runs; only "Nghe câu trả lời" is unavailable, so a failure here does not stop the install.
set -euo pipefail
cd "$(dirname "$0")"
./apt-install.sh espeak-ng espeak-ng "Đọc câu trả lời / Reading answers aloud" \
    || echo "Không cài được espeak-ng / could not install espeak-ng: voice output is off" >&2
