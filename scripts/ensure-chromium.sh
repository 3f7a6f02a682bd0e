#!/usr/bin/env bash
# Installs Debian's chromium (and a CJK font) for the H5 end-to-end tests when it is missing (never downloads a browser
# through npm). Needs apt access; prints where the browser is.
set -euo pipefail
# A Chinese font too: without one every page screenshot shows boxes instead of the UI text.
has_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && has_font; then
  exit 0
fi
echo "chromium or a Chinese font not found: installing chromium and fonts-noto-cjk with apt-get" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
command -v chromium
