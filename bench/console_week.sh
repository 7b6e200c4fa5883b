#!/usr/bin/env bash
# Drives one whole week for N members through the real binary on the console:
# every member gets a prompt, answers four questions, the digests are posted.
# Prints messages handled per second and the peak resident set size.
# Usage: bench/console_week.sh [MEMBERS] (default 2000)   needs: build/ritualbot, GNU time
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
members=${1:-2000}
teams=$(( (members + 9) / 10 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  for ((t = 0; t < teams; t++)); do
    printf '[[teams]]\nname = "team%d"\nchannel = "#team%d"\ntimezone = "Europe/Berlin"\nmanagers = ["m%d"]\nmembers = [' "$t" "$t" "$t"
    for ((i = t * 10; i < (t + 1) * 10 && i < members; i++)); do printf '"u%d",' "$i"; done
    printf ']\n\n'
  done
} > "$work/config.toml"

{
  echo ":time 2026-11-19T14:00:00Z"
  for q in "Worked on the parser for the release" "It is twice as fast now" "Blocked by platform on auth" "The release"; do
    for ((i = 0; i < members; i++)); do echo "@u$i> $q"; done
  done
  echo ":time 2026-11-20T15:00:00Z"
} > "$work/script.txt"

messages=$((members * 4))
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$top/build/ritualbot" --log-level warn run --config "$work/config.toml" \
  --database "$work/bot.db" --virtual-clock 2026-11-16T08:00:00Z < "$work/script.txt" > "$work/out.txt"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc -l)
printf 'members=%d teams=%d answers=%d lines_out=%d\n' "$members" "$teams" "$messages" "$(wc -l < "$work/out.txt")"
printf 'wall=%.2fs answers_per_second=%.0f peak_rss=%.1fMiB\n' "$seconds" "$(echo "$messages / $seconds" | bc -l)" \
  "$(echo "$(cat "$work/rss") / 1024" | bc -l)"
