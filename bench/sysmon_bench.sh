#!/usr/bin/env bash
# Sysmon reader benchmark: generates EVENTS (default 5,000,000) JSON-lines events, measures events/s
# and peak RSS on the first million and on all of them (flat memory = the same RSS), then measures
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
head -n 1000000 "$work/events.json" > "$work/events-1m.json"
head -n 3000000 "$work/events.json" > "$work/events-3m.json"
echo "JSON, 1M events:";     "$bin" "$work/events-1m.json"
echo "JSON, 3M events:";     "$bin" "$work/events-3m.json"
echo "JSON, $events events:"; "$bin" "$work/events.json"
shared=${C2HUNT_SHARED_DATA:-../shared/data}
if compgen -G "$shared/sysmon/*.evtx" > /dev/null; then
  echo "EVTX, the shared samples x$repeat:"; "$bin" --repeat "$repeat" "$shared"/sysmon/*.evtx
fi
