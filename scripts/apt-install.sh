#!/usr/bin/env bash
# apt-install.sh COMMAND PACKAGE WHAT: install a Debian package unless COMMAND exists.
# Exits 1 when it cannot (no root, no sudo, apt failed); callers decide if that is fatal.
set -euo pipefail
command_name="$1" package="$2" what="$3"
if command -v "$command_name" >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null; then
    SUDO="sudo"
else
    echo "$what cần gói $package: hãy chạy 'apt-get install $package' với quyền root." >&2
    echo "$what needs the $package package: run 'apt-get install $package' as root." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q "$package" >/dev/null || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "$package" >/dev/null; }
