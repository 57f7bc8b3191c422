#!/usr/bin/env bash
# Resource bounds of `c2hunt connections` on generated hostile captures (bench/gen_hostile_pcap.py):
# SYN flood, out-of-order/overlapping segments, tiny UDP flows, long TLS connections, each with real
# TLS handshakes to 198.51.100.77 mixed in. Prints per capture: peak RSS against the cap, run time,
# the eviction/drop/reassembly counters, and whether the mixed-in handshakes were still reported.
# Two sizes per kind show whether time grows linearly. Release build, no sanitizers.
# Usage: bench/resource_bounds.sh [SCALE]   (SCALE 1 = 2M SYNs, 200k ooo, 1M UDP, 20k TLS; default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
max_conn=${MAX_CONNECTIONS:-100000}
work=${WORK:-/tmp/c2hunt-resource-bounds}
mkdir -p "$work"
BUILD_NAME=bench BUILD_TYPE=Release ./scripts/build.sh -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF >/dev/null
bin=build/bench/bin/c2hunt
real=samples/loopback-tls.pcap
[ -f /work/benchcap/handshakes.pcap ] && [ -n "${REAL_HANDSHAKES:-}" ] && real=/work/benchcap/handshakes.pcap
count() { awk -v s="$scale" -v n="$1" 'BEGIN { printf "%d", n * s }'; }
printf "%-9s %9s %8s %9s %9s %8s %s\n" kind n time_s rss_MiB cap mixin counters
for kind_n in "synflood $(count 2000000)" "ooo $(count 200000)" "udp $(count 1000000)" "tls $(count 20000)"; do
  set -- $kind_n
  kind=$1
  for n in $(($2 / 2)) "$2"; do
    pcap="$work/$kind-$n.pcap"
    python3 bench/gen_hostile_pcap.py "$kind" "$n" "$pcap" --real "$real" >/dev/null
    /usr/bin/time -v "$bin" connections --stats --max-connections "$max_conn" "$pcap" -o /dev/null \
      2>"$work/$kind-$n.stats" || true
    rss_kb=$(awk '/Maximum resident set size/ {print $6}' "$work/$kind-$n.stats")
    secs=$(awk '/Elapsed \(wall clock\)/ {n = split($8, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/$kind-$n.stats")
    "$bin" connections --max-connections "$max_conn" "$pcap" -o "$work/$kind-$n.json" 2>/dev/null || true
    mixin=$(grep -c '"destination.ip":"198.51.100.77".*"tls.client.ja3":"[0-9a-f]\{32\}"' "$work/$kind-$n.json" || true)
    counters=$(grep -Eo 'pcap\.(connections|connections_evicted|connections_idle_timeout|reassembly_segments_dropped|tcp_out_of_order_segments|reassembly_gaps|tls_handshakes)[ =:]+[0-9]+' \
      "$work/$kind-$n.stats" | sed 's/pcap\.//; s/[ =:]\+/=/' | tr '\n' ' ')
    printf "%-9s %9s %8s %9s %9s %8s %s\n" "$kind" "$n" "$secs" "$((rss_kb / 1024))" "$max_conn" "$mixin/3" "$counters"
    rm -f "$pcap" "$work/$kind-$n.json"
  done
done
