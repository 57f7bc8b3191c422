#!/usr/bin/env bash
# Throughput of `c2hunt connections` beside tshark's JA3 extraction and a bare libpcap read loop,
# on the same captures (default: the ones bench/make-tls-captures.sh writes). Prints MB/s,
# handshakes/s, CPU-seconds per GB and peak RSS for each, and c2hunt's speed-up over tshark: by
# wall time, and by CPU time (the per-core figure, which other jobs on a shared machine disturb less).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
caps=("$@")
[ ${#caps[@]} -gt 0 ] || caps=("$here/out/handshakes.pcap" "$here/out/certs.pcap")
BUILD_NAME=bench BUILD_TYPE=Release "$root/scripts/build.sh" -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF >/dev/null
bin=$root/build/bench

measure() {  # measure LABEL FILE -- command...; prints "wall user+sys maxrss_kb"
  local tfile
  tfile=$(mktemp)
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$tfile" "$@" >/dev/null 2>"$tfile.err" || true
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tfile"
  rm -f "$tfile" "$tfile.err"
}

# The median (by CPU time) of RUNS runs, for the tools whose run lasts about a second: one run of
# that length swings by 20 % on a shared machine. tshark's run is tens of seconds, which averages
# the same noise within itself, so it runs once.
RUNS=${RUNS:-3}
measure_median() {  # measure_median LABEL FILE -- command...
  local i
  for ((i = 0; i < RUNS; i++)); do measure "$@"; done | sort -k2,2n | sed -n "$(((RUNS + 1) / 2))p"
}

printf "%-14s %-10s %9s %9s %12s %10s %10s\n" capture tool MB/s hs/s CPU-s/GB RSS-MB wall-s
for cap in "${caps[@]}"; do
  mb=$(stat -c %s "$cap" | awk '{print $1 / 1e6}')
  hs=$("$bin/bin/c2hunt" connections --stats -o /dev/null "$cap" 2>&1 | awk '$1 == "pcap.tls_handshakes" {print $2}')
  hs=${hs:-0}
  name=$(basename "$cap" .pcap)
  read -r w c r < <(measure_median c2hunt "$cap" "$bin/bin/c2hunt" connections -o /dev/null "$cap")
  c2_wall=$w c2_cpu=$c
  printf "%-14s %-10s %9.0f %9.0f %12.2f %10.0f %10.2f\n" "$name" c2hunt "$(echo "$mb / $w" | bc -l)" \
    "$(echo "$hs / $w" | bc -l)" "$(echo "$c / ($mb / 1000)" | bc -l)" "$(echo "$r / 1024" | bc -l)" "$w"
  read -r w c r < <(measure tshark "$cap" tshark -n -r "$cap" -Y "tls.handshake.type == 1" -T fields -e tls.handshake.ja3)
  ts_wall=$w ts_cpu=$c
  printf "%-14s %-10s %9.0f %9.0f %12.2f %10.0f %10.2f\n" "$name" tshark "$(echo "$mb / $w" | bc -l)" \
    "$(echo "$hs / $w" | bc -l)" "$(echo "$c / ($mb / 1000)" | bc -l)" "$(echo "$r / 1024" | bc -l)" "$w"
  read -r w c r < <(measure_median pcap "$cap" "$bin/bench/pcap_read_loop_bench" "$cap")
  printf "%-14s %-10s %9.0f %9s %12.2f %10.0f %10.2f\n" "$name" libpcap-loop "$(echo "$mb / $w" | bc -l)" - \
    "$(echo "$c / ($mb / 1000)" | bc -l)" "$(echo "$r / 1024" | bc -l)" "$w"
  printf "%-14s c2hunt is %.1fx tshark by wall time, %.1fx by CPU time; %.0f MB per CPU-second (%d handshakes, %.0f MB)\n" \
    "$name" "$(echo "$ts_wall / $c2_wall" | bc -l)" "$(echo "$ts_cpu / $c2_cpu" | bc -l)" "$(echo "$mb / $c2_cpu" | bc -l)" "$hs" "$mb"
  # The issue's goals, judged on this run: 30x tshark on one thread, 1 GB per CPU-second, and under
  # cisco/mercury's 0.8 CPU-seconds per GB (its own fingerprint only, on a capture like these).
  yes_no() { if [ "$(echo "$1" | bc -l)" -eq 1 ]; then echo met; else echo "not met"; fi; }
  printf "%-14s goals: 30x tshark %s; 1 GB/s per core %s; below mercury's 0.8 CPU-s/GB %s\n" "$name" \
    "$(yes_no "$ts_cpu / $c2_cpu >= 30")" "$(yes_no "$mb / $c2_cpu >= 1000")" "$(yes_no "$c2_cpu / ($mb / 1000) < 0.8")"
done
