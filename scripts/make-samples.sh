#!/usr/bin/env bash
# Regenerates samples/loopback-tls.pcap from real software on 127.0.0.1: an `openssl s_server`
# with a freshly generated self-signed certificate (OpenSSL's default "Internet Widgits" subject),
# a periodic curl client (a beacon-like schedule with jitter), and TLS 1.2 / 1.3 `openssl s_client`
# handshakes, all captured with tcpdump on the loopback interface. Needs root (tcpdump).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-samples/loopback-tls.pcap}
callbacks=${CALLBACKS:-12}
sleep_s=${SLEEP_SECONDS:-2}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=${PORT:-8443}

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$work/key.pem" -out "$work/cert.pem" \
  -subj "/C=AU/ST=Some-State/O=Internet Widgits Pty Ltd" >/dev/null 2>&1
openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -www \
  >/dev/null 2>&1 &
sleep 0.5
tcpdump -i lo -U -s 0 -w "$work/cap.pcap" "tcp port $port" >/dev/null 2>&1 &
tcpdump_pid=$!
sleep 1

# The beacon: curl to the raw IP (no SNI), every sleep_s seconds with up to 30% jitter.
for i in $(seq 1 "$callbacks"); do
  curl -sk --max-time 3 "https://127.0.0.1:$port/" -o /dev/null || true
  jitter=$(awk -v s="$sleep_s" -v r="$RANDOM" 'BEGIN { printf "%.3f", s * (1 - 0.3 * r / 32767) }')
  sleep "$jitter"
done
# One TLS 1.2 and one TLS 1.3 handshake with SNI, from OpenSSL's client.
echo | openssl s_client -connect "127.0.0.1:$port" -servername c2.example.test -tls1_2 >/dev/null 2>&1 || true
echo | openssl s_client -connect "127.0.0.1:$port" -servername c2.example.test -tls1_3 >/dev/null 2>&1 || true
sleep 1
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
mkdir -p "$(dirname "$out")"
cp "$work/cap.pcap" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
