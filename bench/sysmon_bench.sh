#!/usr/bin/env bash
# Sysmon reader benchmark: generates two files of EVENTS (default 5,000,000) JSON-lines events with
# distinct GUIDs, measures events/s and peak RSS on 1 M, 3 M, EVENTS and 2 x EVENTS, then measures
# EVTX on the shared sample files read REPEAT times (no EVTX writer exists to generate a large one).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-5000000}
repeat=${REPEAT:-2000}
work=${WORK:-/tmp/c2hunt-sysmon-bench}
mkdir -p "$work"
BUILD_NAME=bench BUILD_TYPE=Release ./scripts/build.sh -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF
bin=build/bench/bench/sysmon_bench
if [[ ! -s "$work/events.json" ]] || [[ $(wc -l < "$work/events.json") -ne $events ]]; then
  python3 bench/sysmon_generate.py "$events" "$work/events.json"
fi
if [[ ! -s "$work/events-b.json" ]] || [[ $(wc -l < "$work/events-b.json") -ne $events ]]; then
  python3 bench/sysmon_generate.py "$events" "$work/events-b.json" --seed 2 --first-process 1000000
fi
head -n 1000000 "$work/events.json" > "$work/events-1m.json"
head -n 3000000 "$work/events.json" > "$work/events-3m.json"
echo "JSON, 1M events:";     "$bin" "$work/events-1m.json"
echo "JSON, 3M events:";     "$bin" "$work/events-3m.json"
echo "JSON, $events events:"; "$bin" "$work/events.json"
echo "JSON, 2 x $events events (flat memory: same peak RSS once the process table is at its cap):"
"$bin" "$work/events.json" "$work/events-b.json"
shared=${C2HUNT_SHARED_DATA:-../shared/data}
if compgen -G "$shared/sysmon/*.evtx" > /dev/null; then
  echo "EVTX, the shared samples x$repeat:"; "$bin" --repeat "$repeat" "$shared"/sysmon/*.evtx
fi
