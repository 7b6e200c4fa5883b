#!/usr/bin/env bash
# Weekly prompts and answers for N members through the Matrix transport and
# the fake homeserver (in one process: tests/matrix_bench_test.cpp). Prints
# sends/s for the prompts, messages handled/s for the answers (each answer is
# a /sync event, one SQLite transaction, and a reply sent with PUT), and the
# peak RSS of the process, fake homeserver included.
# Usage: bench/matrix_week.sh [MEMBERS] (default 500)   needs: build/tests/ritualbot_tests, GNU time
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
members=${1:-500}
rss=$(mktemp)
trap 'rm -f "$rss"' EXIT
RITUALBOT_BENCH_MEMBERS=$members /usr/bin/time -f "%M" -o "$rss" "$top/build/tests/ritualbot_tests" \
  --gtest_also_run_disabled_tests --gtest_filter='MatrixBench.*' 2>/dev/null | grep -E '^members=|PASSED|FAILED'
printf 'peak_rss=%.1fMiB (bot and fake homeserver in one process)\n' "$(echo "$(cat "$rss") / 1024" | bc -l)"
