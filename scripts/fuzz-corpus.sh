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
for t in "$@"; do
  case "$t" in
    pcap_fuzz)
      for f in "$shared"/pcap/*.pcap* samples/*.pcap; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 300000 ] && seed "$t" "$(basename "$f")" <"$f"
      done ;;
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
