#!/usr/bin/env bash
# Runs every fuzz target that has not reached the fuzzing bound of docs/fuzzing.md (10 million
# executions or one CPU-hour, cumulative over docs/fuzz-history.tsv) until it does, JOBS targets at
# a time, then appends the runs to docs/fuzz-history.tsv under LABEL. A target stops at whichever
# bound it reaches first: FUZZ_RUNS for the executions, SIGINT from the watch below for the CPU
# time (libFuzzer then prints its final statistics and scripts/fuzz.sh records the run).
# A stopped campaign (Ctrl-C) keeps what finished; run it again to go on.
# Usage: scripts/fuzz-campaign.sh [JOBS] [LABEL]    (FUZZ_NICE=19 to run beside other work;
# FUZZ_BUILD_NAME=asan reuses the sanitizer build of scripts/test.sh instead of building build/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}
label=${2:-"campaign (scripts/fuzz-campaign.sh)"}
record=${FUZZ_HISTORY:-docs/fuzz-history.tsv}
if [ -z "${FUZZ_BUILD_NAME:-}" ]; then
  CC=clang-14 CXX=clang++-14 BUILD_NAME=fuzz BUILD_TYPE=RelWithDebInfo ./scripts/build.sh \
    -DC2HUNT_FUZZ=ON -DC2HUNT_TESTS=OFF -DC2HUNT_WERROR=ON
  export FUZZ_BUILD_NAME=fuzz
fi
build=build/$FUZZ_BUILD_NAME
# "target executions_left cpu_seconds_left" for each target short of the bound.
mapfile -t plan < <(python3 - "$build/fuzz" "$record" <<'PY'
import collections, os, sys
execs, cpu = collections.Counter(), collections.Counter()
for line in open(sys.argv[2]):
    if line.startswith("#") or not line.strip():
        continue
    _, _, target, n, seconds, kind = line.rstrip("\n").split("\t")
    execs[target] += int(n)
    if kind == "cpu":
        cpu[target] += int(seconds)
for t in sorted(os.listdir(sys.argv[1])):
    if not t.endswith("_fuzz"):
        continue
    runs_left, cpu_left = 10_000_000 - execs[t], 3600 - cpu[t]
    if runs_left > 0 and cpu_left > 0:
        print(t, runs_left, cpu_left)
PY
)
if [ ${#plan[@]} -eq 0 ]; then
  echo "fuzz-campaign: every target has reached the bound"
  exit 0
fi
history=$build/history.tsv
touch "$history"
before=$(wc -l <"$history")

# Interrupts the target's libFuzzer process once it has used `limit` CPU seconds.
stop_at_cpu() {  # stop_at_cpu TARGET LIMIT
  local t=$1 limit=$2 tck pid cpu
  tck=$(getconf CLK_TCK)
  while sleep 10; do
    pid=$(pgrep -f "^$build/fuzz/$t -max_total_time" | head -1) || continue
    cpu=$(awk -v tck="$tck" '{print int(($14 + $15) / tck)}' "/proc/$pid/stat" 2>/dev/null) || continue
    if [ "$cpu" -ge "$limit" ]; then
      kill -INT "$pid" 2>/dev/null || true
      return
    fi
  done
}
run_target() {  # run_target TARGET RUNS_LEFT CPU_LEFT
  stop_at_cpu "$1" "$3" &
  local watch=$! rc=0
  # The time bound is only a backstop: a niced target may get a small share of the CPU.
  FUZZ_RUNS=$2 ./scripts/fuzz.sh $(($3 * 20)) "$1" || rc=$?
  kill "$watch" 2>/dev/null || true
  return $rc
}

failed=0
pids=()
for entry in "${plan[@]}"; do
  read -r t runs_left cpu_left <<<"$entry"
  echo "fuzz-campaign: $t: up to $runs_left executions or $cpu_left CPU-s"
  run_target "$t" "$runs_left" "$cpu_left" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done

tail -n +"$((before + 1))" "$history" |
  awk -F'\t' -v OFS='\t' -v label="$label" '{print $1, label, $2, $3, $4, "cpu"}' >>"$record"
echo "fuzz-campaign: runs appended to $record; scripts/fuzz-table.py $record prints the table"
exit $failed
