#!/usr/bin/env bash
# Sysmon reader benchmark: generates EVENTS (default 5,000,000) synthetic Sysmon events twice, as
# JSON lines (sysmon_generate.py) and as an EVTX log (sysmon_evtx_generate.py: the same events),
# then prints events/s, events per CPU-second and peak RSS of reading 1 M, 3 M (JSON), EVENTS and
# (JSON) 2 x EVENTS events into a live process table; last, the real shared EVTX samples read
# REPEAT times. EVTX=0 skips the generated EVTX runs (libevtx reads ~10k events/s: minutes for 5 M).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-5000000}
repeat=${REPEAT:-200}
work=${WORK:-/tmp/c2hunt-sysmon-bench}
mkdir -p "$work"
BUILD_NAME=bench BUILD_TYPE=Release ./scripts/build.sh -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF
bin=build/bench/bench/sysmon_bench

# Generates once per (script, arguments): the arguments are kept beside the output.
generate() {  # generate OUT SCRIPT N [ARGS...]
  local out=$1 script=$2
  shift 2
  local stamp="$out.args"
  if [[ ! -s "$out" || ! -s "$stamp" || "$(cat "$stamp")" != "$script $*" ]]; then
    python3 "bench/$script" "$@" > "$out.files"
    echo "$script $*" > "$stamp"
  fi
}

generate "$work/events.json" sysmon_generate.py "$events" "$work/events.json"
generate "$work/events-b.json" sysmon_generate.py "$events" "$work/events-b.json" --seed 2 --first-process 1000000
head -n 1000000 "$work/events.json" > "$work/events-1m.json"
head -n 3000000 "$work/events.json" > "$work/events-3m.json"
echo "JSON, 1M events:";     "$bin" "$work/events-1m.json"
echo "JSON, 3M events:";     "$bin" "$work/events-3m.json"
echo "JSON, $events events:"; "$bin" "$work/events.json"
echo "JSON, 2 x $events events (flat memory: same peak RSS once the process table is at its cap):"
"$bin" "$work/events.json" "$work/events-b.json"

if [[ ${EVTX:-1} != 0 ]]; then
  # The same seed gives the same first events: the 1 M file holds the first 1 M events of the big one.
  # A file holds at most 65535 chunks; the writer lists the files it wrote (more when it overflows).
  first=$(( events < 1000000 ? events : 1000000 ))
  generate "$work/events-1m.evtx" sysmon_evtx_generate.py "$first" "$work/events-1m.evtx"
  generate "$work/events.evtx" sysmon_evtx_generate.py "$events" "$work/events.evtx"
  mapfile -t evtx_1m < "$work/events-1m.evtx.files"
  mapfile -t evtx_all < "$work/events.evtx.files"
  echo "EVTX, $first events (${#evtx_1m[@]} file(s), $(du -ch "${evtx_1m[@]}" | tail -1 | cut -f1)):"
  "$bin" "${evtx_1m[@]}"
  echo "EVTX, $events events (${#evtx_all[@]} file(s), $(du -ch "${evtx_all[@]}" | tail -1 | cut -f1)):"
  "$bin" "${evtx_all[@]}"
fi

shared=${C2HUNT_SHARED_DATA:-../shared/data}
if compgen -G "$shared/sysmon/*.evtx" > /dev/null; then
  echo "EVTX, the shared samples (real Windows logs) x$repeat:"; "$bin" --repeat "$repeat" "$shared"/sysmon/*.evtx
fi
