#!/usr/bin/env bash
# `npm run test:e2e` on a fresh machine: Debian's chromium drives the pages, and building code-server's native
# modules (the first run installs code-server into .test-tools/) needs libkrb5-dev and pkg-config. Install what is
# missing when we are root and have apt-get; otherwise say exactly what to run. Nothing is installed when present.
set -euo pipefail
cd "$(dirname "$0")/../.."
needed=(chromium)
# code-server already built in .test-tools: its build dependencies are not needed again.
if [ ! -d .test-tools/code-server/node_modules/code-server/lib/vscode/out ]; then needed+=(libkrb5-dev pkg-config); fi
missing=()
for pkg in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "pretest:e2e: installing ${missing[*]} (apt-get): chromium for the browser, libkrb5-dev and pkg-config to build code-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi
echo "pretest:e2e: missing Debian packages ${missing[*]}; the e2e tests need them (chromium drives the pages; libkrb5-dev and pkg-config build code-server). Install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
