#!/usr/bin/env bash
# The org-scale figures of bench/README.md ("Slack at org scale"): the release
# binary against the fake Slack at 250, 20,000 and 100,000 members, one team
# and teams of 100, window 64. Each line runs build/bench/ritualbot_slack_bench
# twice: 20,000 `/ritual help` commands (the answer rides in the ack), then
# 20,000 `/update` + 20,000 DM answers (each committed before its ack, its
# reply posted by chat.postMessage; the run waits for the last reply, paced to
# one a second per person after 3, so the 250-member run, 80 answers each,
# takes about 100 s). 250 members also run `/okr status x`.
# 5,000 members (one team, and teams of 100) answer all four questions, the
# third being the risk question: "blocked by nobody" (no team named), then,
# in teams of 1,000, "blocked by team1 ..." (a blocker named in every answer).
# 20,000 and 100,000 members start as on any day after the first
# (--known-users 1: every member stored, users.list read again behind the
# socket), which is where the memory figures mean something: on a first start
# users.list reads 200 users a page at Tier 2, so a run of a few seconds has
# learned only 4,000 of them. One line is such a first start.
# The bot runs without $SSL_CERT_FILE, as on a stock Debian host (the
# machine of bench/README.md sets it; with it, the CA bundle is read whole at
# start: about 1 MiB more peak RSS and 25 ms more start-up).
# Usage: bench/slack_org.sh   needs: build/ritualbot, build/bench/ritualbot_slack_bench
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bench="$top/build/bench/ritualbot_slack_bench"
bot="$top/build/ritualbot"
run() {  # members teams extra-args...
  local members=$1 teams=$2
  shift 2
  echo "== members $members, teams $teams $*  (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  env -u SSL_CERT_FILE "$bench" --binary "$bot" --n 20000 --members "$members" --teams "$teams" --window 64 "$@" |
    grep -E "slash commands|DM answers|start to first|CPU time|peak RSS"
}
run 250 1 --slash "/okr status x" --dms 0
run 250 1 --slash "/ritual help" --dms 0
run 250 25 --dms 20000
run 5000 1 --dms 20000
run 5000 50 --dms 20000
run 5000 5 --dms 20000 --risk "blocked by team1 on the token API"
run 20000 200 --slash "/ritual help" --dms 0  # a first start
for members in 20000 100000; do
  for teams in 1 $((members / 100)); do
    run "$members" "$teams" --slash "/ritual help" --dms 0 --known-users 1
    run "$members" "$teams" --dms 20000 --known-users 1
  done
done
