#!/usr/bin/env bash
# Builds the benchmark captures from real OpenSSL handshakes on loopback (needs root for tcpdump):
#   OUT/handshakes.pcap  full TLS 1.2 and 1.3 handshakes (s_time -new) against one s_server whose
#                        chain is leaf + CA, replayed with new client addresses up to SIZE_MB
#   OUT/certs.pcap       TLS 1.2 handshakes against servers presenting CERTS distinct certificates,
#                        replayed up to SIZE_MB
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/out}
size_mb=${SIZE_MB:-320}
certs=${CERTS:-1000}
seconds=${SECONDS_PER_RUN:-8}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout ca.key -out ca.pem -subj "/O=c2hunt bench/CN=Bench CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/O=c2hunt bench/CN=bench.test" 2>/dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 90 -out leaf.pem 2>/dev/null
cat leaf.pem ca.pem >chain.pem

capture() {  # capture FILE FILTER -- command...
  local file=$1 filter=$2
  shift 2
  tcpdump -i lo -U -s 0 -B 65536 -w "$file" "$filter" >/dev/null 2>&1 &
  local pid=$!
  sleep 1
  "$@"
  sleep 1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

handshakes() {
  openssl s_server -quiet -accept 127.0.0.1:14433 -cert chain.pem -key leaf.key -www >/dev/null 2>&1 &
  local srv=$!
  sleep 0.5
  openssl s_time -connect 127.0.0.1:14433 -new -tls1_2 -time "$seconds" >/dev/null 2>&1 || true
  openssl s_time -connect 127.0.0.1:14433 -new -tls1_3 -time "$seconds" >/dev/null 2>&1 || true
  openssl s_time -connect 127.0.0.1:14433 -new -tls1_2 -www / -time "$seconds" >/dev/null 2>&1 || true
  kill "$srv"
}
capture base-handshakes.pcap "tcp port 14433" handshakes

many_certs() {
  mkdir -p certs
  for i in $(seq 1 "$certs"); do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $((30 + i % 700)) \
      -keyout "certs/$i.key" -out "certs/$i.pem" -subj "/C=US/O=Org $i $RANDOM/CN=host$i.bench.test" 2>/dev/null
  done
  local batch=25
  for ((start = 1; start <= certs; start += batch)); do
    local pids=()
    for ((i = start; i < start + batch && i <= certs; i++)); do
      openssl s_server -quiet -accept "127.0.0.1:$((20000 + i))" -cert "certs/$i.pem" -key "certs/$i.key" -www \
        >/dev/null 2>&1 &
      pids+=($!)
    done
    sleep 0.3
    for ((i = start; i < start + batch && i <= certs; i++)); do
      for k in 1 2; do
        echo | timeout 3 openssl s_client -connect "127.0.0.1:$((20000 + i))" -tls1_2 >/dev/null 2>&1 || true
      done
    done
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  done
}
capture base-certs.pcap "tcp portrange 20001-$((20000 + certs))" many_certs

python3 "$here/pcap_replicate.py" base-handshakes.pcap "$out/handshakes.pcap" "$size_mb" 14433
python3 "$here/pcap_replicate.py" base-certs.pcap "$out/certs.pcap" "$size_mb" "20001-$((20000 + certs))"
ls -la "$out"
