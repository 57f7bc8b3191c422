#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan+UBSan) and runs each for a bounded time with seed
# corpora made at run time from ../shared/data and the repo's own samples. Fails on any crash,
# leak or sanitizer report. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# For long campaigns: FUZZ_JOBS=2 scripts/fuzz.sh 3600 (FUZZ_RUNS=N also stops a target after N
# executions; FUZZ_NICE=19 runs the targets at low priority beside other work).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
# FUZZ_BUILD_NAME=asan reuses the sanitizer test build of scripts/test.sh (configured with
# -DC2HUNT_FUZZ=ON there); otherwise a fuzz-only build goes to build/fuzz.
build=build/${FUZZ_BUILD_NAME:-fuzz}
if [ -z "${FUZZ_BUILD_NAME:-}" ]; then
  CC=clang-14 CXX=clang++-14 BUILD_NAME=fuzz BUILD_TYPE=RelWithDebInfo ./scripts/build.sh \
    -DC2HUNT_FUZZ=ON -DC2HUNT_TESTS=OFF -DC2HUNT_WERROR=ON
fi
bin=$build/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/*_fuzz; do [ -x "$f" ] && targets+=("$(basename "$f")"); done
fi
./scripts/fuzz-corpus.sh "$build/corpus" "${targets[@]}"
stats=$build/stats.tsv
: >"$stats"
failed=0
run_one() {
  local t=$1 log=$build/$1.log
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  local limit=()
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  # fuzz/<target>.options (the OSS-Fuzz convention) caps the input length where the format's unit
  # is small: libFuzzer's cost per execution grows with the input, so a log-line target spends its
  # time on a few lines, not on 20 KB files that add nothing a few lines do not.
  local opts=fuzz/$t.options
  if [ -f "$opts" ]; then
    local max_len
    max_len=$(awk -F'=' '/^[[:space:]]*max_len[[:space:]]*=/ {gsub(/[[:space:]]/, "", $2); print $2}' "$opts")
    [ -n "$max_len" ] && limit+=(-max_len="$max_len")
  fi
  # CPU time (user + system) is what the record counts: wall time overstates it on a busy machine.
  local rc=0
  /usr/bin/time -f "%U %S" -o "$build/$t.time" nice -n "${FUZZ_NICE:-0}" \
    "$bin/$t" -max_total_time="$seconds" "${limit[@]}" -print_final_stats=1 -rss_limit_mb=2048 -timeout="$timeout" \
    -artifact_prefix="$build/artifacts/$t/" "$build/corpus/$t" >"$log" 2>&1 || rc=$?
  # A campaign stopped with SIGINT (kill -INT the target) still counts what it ran.
  if [ "$rc" -eq 0 ] || grep -q "libFuzzer: run interrupted" "$log"; then
    local runs cpu
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    cpu=$(awk 'END {printf "%.0f", $1 + $2}' "$build/$t.time")
    printf "%s\t%s\t%s\n" "$t" "${runs:-0}" "$cpu" >>"$stats"
    # Every run is kept, so docs/fuzzing.md can state cumulative executions and CPU time.
    printf "%s\t%s\t%s\t%s\n" "$(date -u +%FT%TZ)" "$t" "${runs:-0}" "$cpu" >>"$build/history.tsv"
    echo "fuzz: $t ok (${runs:-?} executions in ${cpu} CPU-s)${rc:+$([ "$rc" -ne 0 ] && echo ', interrupted')}"
  else
    echo "fuzz: $t FAILED; last lines of $log:"
    tail -30 "$log"
    return 1
  fi
}
# libFuzzer's timeout is wall-clock: a target at nice 19 beside busy work can wait seconds for the
# CPU, so a niced campaign gets a timeout that only a real hang reaches (FUZZ_TIMEOUT overrides).
timeout=${FUZZ_TIMEOUT:-10}
[ -z "${FUZZ_TIMEOUT:-}" ] && [ "${FUZZ_NICE:-0}" -gt 0 ] && timeout=300
jobs=${FUZZ_JOBS:-$(nproc)}
pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit $failed
