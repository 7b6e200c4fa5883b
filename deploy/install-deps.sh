#!/usr/bin/env bash
# Installs the Debian packages in deploy/packages.txt that are missing.
# A no-op (and no root needed) when everything is already there.
# With --tests also those marked "tests" (deploy/test.sh passes it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
with_tests=0
[[ "${1:-}" == "--tests" ]] && with_tests=1
missing=()
while read -r pkg marker; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ "$marker" == "tests" && $with_tests -eq 0 ]] && continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done < "$here/packages.txt"
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing missing packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
