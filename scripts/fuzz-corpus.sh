#!/usr/bin/env bash
# Makes seed corpora for the fuzz targets at run time: from ../shared/data when present (never
# copied into the repo) and from the repo's own samples and config. Usage: fuzz-corpus.sh DIR TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
shared=${C2HUNT_SHARED_DATA:-../shared/data}
mkdir -p "$dir"
n=0
seed() {  # seed TARGET NAME < bytes
  mkdir -p "$dir/$1"
  cat >"$dir/$1/$2"
}
payloads() {  # payloads TARGET TSHARK_FILTER FIELD: hex fields from every pcap, one seed each
  local t=$1 filter=$2 field=$3 f
  for f in "$shared"/pcap/*.pcap* samples/*.pcap; do
    [ -f "$f" ] || continue
    tshark -n -r "$f" -Y "$filter" -T fields -e "$field" 2>/dev/null | head -40 | tr ',' '\n' | while read -r hex; do
      [ -n "$hex" ] || continue
      n=$((n + 1))
      echo "$hex" | xxd -r -p | seed "$t" "$(basename "$f").$n.$RANDOM"
    done || true  # tshark exits 2 on a capture that is cut short; its packets before the cut still seed
  done
}
# A pcapng on a raw-IP and an Ethernet interface (one UDP packet each, then one more on the first),
# which libpcap reads only one interface at a time: the path of the interface passes.
mixed_link_pcapng() {
  python3 - <<'PY'
import struct, sys
def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack(">II", kind, 12 + len(body)) + body + struct.pack(">I", 12 + len(body))
def udp(sport):
    payload = b"c2hunt"
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 0, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return ip + struct.pack(">HHHH", sport, 53, 8 + len(payload), 0) + payload
def packet(interface, frame):
    return block(6, struct.pack(">IIIII", interface, 0, 1000000, len(frame), len(frame)) + frame)
ether = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00"
out = block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1))
out += block(1, struct.pack(">HHI", 101, 0, 65535)) + block(1, struct.pack(">HHI", 1, 0, 65535))
out += packet(0, udp(1000)) + packet(1, ether + udp(1001)) + packet(0, udp(1002))
sys.stdout.buffer.write(out)
PY
}
for t in "$@"; do
  case "$t" in
    pcap_fuzz)
      for f in "$shared"/pcap/*.pcap* samples/*.pcap; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 300000 ] && seed "$t" "$(basename "$f")" <"$f"
      done
      mixed_link_pcapng | seed "$t" mixed-link.pcapng ;;
    pcapng_interface_filter_fuzz)
      # Two leading bytes choose the interface kept and the packets already read.
      for f in "$shared"/pcap/*.pcapng; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 300000 ] && { printf '\0\0'; cat "$f"; } | seed "$t" "$(basename "$f")"
      done
      { printf '\1\1'; mixed_link_pcapng; } | seed "$t" mixed-link.pcapng ;;
    tls_*_fuzz) payloads "$t" "tls.handshake" tcp.payload ;;
    x509_fuzz) payloads "$t" "tls.handshake.certificate" tls.handshake.certificate ;;
    quic_*_fuzz) payloads "$t" "quic" udp.payload ;;
    dns_*_fuzz) payloads "$t" "dns" udp.payload ;;
    zeek_*_fuzz)
      for f in "$shared"/zeek/*/*.log; do [ -f "$f" ] && head -c 20000 "$f" | seed "$t" "$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
    suricata_*_fuzz)
      for f in "$shared"/suricata/*.json; do [ -f "$f" ] && head -n 30 "$f" | seed "$t" "$(basename "$f")"; done ;;
    sysmon_xml_fuzz)
      for f in "$shared"/sysmon/xml/*.xml; do [ -f "$f" ] && head -c 30000 "$f" | seed "$t" "$(basename "$f")"; done ;;
    sysmon_json_fuzz)
      for f in "$shared"/sysmon/*.json; do [ -f "$f" ] && head -n 40 "$f" | seed "$t" "$(basename "$f")"; done ;;
    evtx_fuzz)
      for f in "$shared"/sysmon/*.evtx; do [ -f "$f" ] && seed "$t" "$(basename "$f")" <"$f"; done ;;
    config_fuzz)
      for f in config/*.yaml; do [ -f "$f" ] && seed "$t" "$(basename "$f")" <"$f"; done ;;
  esac
  mkdir -p "$dir/$t"
done
