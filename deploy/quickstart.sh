#!/usr/bin/env bash
# Installs what is missing, builds, and starts ritualbot on the console with
# config/example.toml and an SQLite file (ritualbot.db in the current directory).
# Extra arguments go to `ritualbot run`, e.g. --virtual-clock 2026-11-16T08:00:00Z.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/deploy/install-deps.sh"
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRITUALBOT_TESTS=OFF >/dev/null
cmake --build "$top/build" --target ritualbot -j "$(nproc)"
echo "ritualbot is starting on the console. Type '@alice> /ritual help' and press Enter; ':quit' or Ctrl-D stops it." >&2
exec "$top/build/ritualbot" run --config "$top/config/example.toml" --database "${RITUALBOT_DB:-ritualbot.db}" "$@"
