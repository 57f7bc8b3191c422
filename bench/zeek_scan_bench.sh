#!/usr/bin/env bash
# End-to-end `c2hunt scan` on generated Zeek logs of 1M, 3M and 10M connections (1, 3 and 10 days
# of zeek_generate.py output): parse-only lines/s (zeek_parse_bench), scan wall and CPU time, peak
# RSS, and recall of the planted beacons (every truth.tsv beacon must be in the alerts at medium or
# above; every other medium-or-above alert is counted as a false positive).
# Build first: BUILD_NAME=bench BUILD_TYPE=Release ./scripts/build.sh -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF
# Usage: bench/zeek_scan_bench.sh [tsv|json] [sizes...]   (data under /tmp, never in the repo)
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-tsv}
shift || true
sizes=${*:-1 3 10}
build=build/${BUILD_NAME:-bench}
data=${ZEEK_BENCH_DATA:-/tmp/c2hunt_zeek_scan_bench_$format}
work=$(mktemp -d /tmp/c2hunt_zeek_scan_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
source bench/zeek_bench_data.sh
max=0
for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done
zeek_bench_days "$format" "$data" "$max"

printf "%-5s %10s %12s %9s %9s %10s %8s %6s\n" size lines "parse l/s" "scan s" "cpu s" "RSS MiB" recall FP
for n in $sizes; do
  dirs=()
  for day in $(seq 0 $((n - 1))); do dirs+=("$data/day$day"); done
  parse=$("$build/bench/zeek_parse_bench" "${dirs[@]}")
  /usr/bin/time -v "$build/bin/c2hunt" scan --format json --min-level medium --stats -o "$work/alerts.jsonl" \
    "${dirs[@]}" 2>"$work/scan.stderr" || true
  python3 - "$work" "$n" "$parse" "${dirs[@]}" <<'PY'
import json, re, sys
work, n, parse, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
f = dict(zip(parse.split()[0::2], parse.split()[1::2]))
lines = int(f["lines"])
rate = lines / float(f["cpu_s"]) if float(f["cpu_s"]) > 0 else 0
err = open(f"{work}/scan.stderr").read()
def tv(label):
    m = re.search(re.escape(label) + r": (\S+)", err)
    return m.group(1) if m else "?"
wall = tv("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(x) for x in wall.split(":")] if wall != "?" else [0]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(tv("User time (seconds)")) + float(tv("System time (seconds)"))
rss = int(tv("Maximum resident set size (kbytes)")) / 1024
planted = set()
for d in dirs:
    for row in open(f"{d}/truth.tsv"):
        if row.startswith("#"): continue
        day, orig, resp, port = row.split("\t")[:4]
        planted.add((orig, resp, int(port)))
found, fp = set(), 0
for line in open(f"{work}/alerts.jsonl"):
    a = json.loads(line)
    key = (a.get("source.ip"), a.get("destination.ip"), a.get("destination.port"))
    if key in planted: found.add(key)
    else: fp += 1
print(f"{n+'M':<5} {lines:>10} {rate:>12.0f} {secs:>9.1f} {cpu:>9.1f} {rss:>10.0f} {len(found):>3}/{len(planted):<4} {fp:>6}")
missed = sorted(planted - found)
for k in missed[:10]:
    print(f"      missed beacon {k[0]} -> {k[1]}:{k[2]}")
if len(missed) > 10:
    print(f"      ... and {len(missed) - 10} more missed")
for c in ("channels.created", "channels.dropped_connections_over_cap", "scan.connections"):
    m = re.search(r"^\s*" + re.escape(c) + r"\s*[=:]?\s*(\d+)", err, re.M)
    if m: print(f"      {c} {m.group(1)}")
PY
done
