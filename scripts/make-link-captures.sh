#!/usr/bin/env bash
# Captures one local TLS handshake (openssl s_server/s_client on 127.0.0.1) with real tcpdump in
# three link types: EN10MB (-i lo), LINUX_SLL and LINUX_SLL2 (-i any). Needs root (or capture rights).
# Usage: scripts/make-link-captures.sh OUTDIR   -> OUTDIR/lo-en10mb.pcap, any-sll.pcap, any-sll2.pcap
set -euo pipefail
out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
  -subj /CN=link.test >/dev/null 2>&1
openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -quiet >/dev/null 2>&1 &
server_pid=$!
sleep 0.5
capture() {  # interface, link type, file
  tcpdump -U -i "$1" -y "$2" -s 0 -w "$out/$3" "tcp port $port" >/dev/null 2>&1 &
  local pid=$!
  sleep 1
  echo Q | timeout 5 openssl s_client -connect "127.0.0.1:$port" >/dev/null 2>&1 || true
  sleep 1
  kill -INT "$pid"
  wait "$pid" || true
}
capture lo EN10MB lo-en10mb.pcap
capture any LINUX_SLL any-sll.pcap
capture any LINUX_SLL2 any-sll2.pcap
ls -l "$out"
