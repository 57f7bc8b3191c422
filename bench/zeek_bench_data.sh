# Sourced by zeek_bench.sh and zeek_scan_bench.sh: generates DAYS simulated days of 1M connections
# (one rotated conn/ssl pair per day, planted beacons in each day's truth.tsv) under DATA, once.
# Usage: zeek_bench_days FORMAT DATA DAYS
zeek_bench_days() {
  local format=$1 data=$2 days=$3 day
  mkdir -p "$data"
  for day in $(seq 0 $((days - 1))); do
    [ -e "$data/day$day/done" ] && continue
    mkdir -p "$data/day$day"
    python3 bench/zeek_generate.py --out "$data/day$day" --connections 1000000 --hosts 2000 --beacons 30 \
      --format "$format" --seed $((day + 1)) --day "$day" >/dev/null
    touch "$data/day$day/done"
  done
}
