#!/usr/bin/env bash
# The panel tests drive Debian's Chromium (never a downloaded browser). Install it when missing and we may;
# otherwise say exactly what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "pretest: installing Debian's chromium for the webview tests (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  exit 0
fi
echo "pretest: /usr/bin/chromium is missing; the webview tests need it. Install it with: sudo apt-get install -y chromium" >&2
exit 1
