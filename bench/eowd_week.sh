#!/usr/bin/env bash
# Drives one EOWD week for N members through the real binary on the console:
# the invitations, every member signs up (6 slots per team of 10, so 4 wait),
# two presenters per team withdraw (two promotions), the agendas, the
# reminders and the digests. Prints commands handled per second and the peak
# resident set size.
# Usage: bench/eowd_week.sh [MEMBERS] (default 2000)   needs: build/ritualbot, GNU time
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
  printf '[rituals.eowd]\nenabled = true\n'
} > "$work/config.toml"

withdrawals=0
{
  echo ":time 2026-11-16T09:00:00Z"
  for ((i = 0; i < members; i++)); do echo "@u$i> /eowd signup Topic of u$i -- feedback on the approach"; done
  for ((i = 0; i < members; i++)); do
    if (( i % 10 < 2 )); then echo "@u$i> /eowd withdraw"; fi
  done
  echo ":time 2026-11-20T15:00:00Z"
} > "$work/script.txt"
withdrawals=$(grep -c "withdraw" "$work/script.txt")

commands=$((members + withdrawals))
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$top/build/ritualbot" --log-level info run --config "$work/config.toml" \
  --database "$work/bot.db" --virtual-clock 2026-11-16T08:00:00Z < "$work/script.txt" > "$work/out.txt" 2> "$work/log.txt"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc -l)
# Jobs are counted from the log: the console prints at most 500 outbox rows
# per step, so a big jump leaves the rest for later (they stay committed).
printf 'members=%d teams=%d commands=%d agendas=%d reminders_jobs=%d promotions=%d\n' "$members" "$teams" \
  "$commands" "$(grep -c 'ran eowd_close' "$work/log.txt" || true)" \
  "$(grep -c 'ran eowd_reminder' "$work/log.txt" || true)" "$(grep -c 'A slot freed up' "$work/out.txt" || true)"
printf 'wall=%.2fs commands_per_second=%.0f peak_rss=%.1fMiB\n' "$seconds" "$(echo "$commands / $seconds" | bc -l)" \
  "$(echo "$(cat "$work/rss") / 1024" | bc -l)"
