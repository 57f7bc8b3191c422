#!/usr/bin/env bash
# Zeek log parsing benchmark: generates 1M, 3M and 10M connections (one rotated conn/ssl pair per
# simulated day of 1M connections) and prints lines/s, elapsed time and peak RSS of the reader.
# Usage: bench/zeek_bench.sh [tsv|json]   (needs a build with -DC2HUNT_BENCH=ON in build/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-tsv}
bin=build/${BUILD_NAME:-dev}/bench/zeek_parse_bench
data=${ZEEK_BENCH_DATA:-/tmp/c2hunt_zeek_bench_$format}
source bench/zeek_bench_data.sh
zeek_bench_days "$format" "$data" 10
for n in 1 3 10; do
  dirs=()
  for day in $(seq 0 $((n - 1))); do dirs+=("$data/day$day"); done
  /usr/bin/time -v "$bin" "${dirs[@]}" 2>/tmp/zeek_bench_time.txt | sed "s/^/${n}M $format: /"
  grep -E "Maximum resident|Elapsed \(wall" /tmp/zeek_bench_time.txt | sed "s/^\s*/${n}M $format: /"
done
