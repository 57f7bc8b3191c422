#!/usr/bin/env python3
"""Grows a loopback capture of real TLS handshakes to a target size by replaying it with a new
client address per pass (127.P.Q.R), so every replayed connection is a distinct 5-tuple, and with
time shifted past the previous pass. Ethernet/IPv4 captures from `tcpdump -i lo` only."""
import struct
import sys


def ip_checksum(header: bytes) -> int:
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) | header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def main() -> None:
    if len(sys.argv) != 5:
        sys.exit("usage: pcap_replicate.py IN.pcap OUT.pcap TARGET_MB SERVER_PORT[-LAST]")
    src, dst, target_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    first, _, last = sys.argv[4].partition("-")
    server_ports = range(int(first), int(last or first) + 1)
    data = open(src, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("expected a little-endian classic pcap")
    nano = magic == 0xA1B23C4D
    linktype = struct.unpack("<I", data[20:24])[0]
    if linktype != 1:
        sys.exit("expected Ethernet link type")
    records = []
    off = 24
    while off + 16 <= len(data):
        ts_s, ts_f, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        records.append((ts_s, ts_f, orig, bytearray(data[off + 16:off + 16 + incl])))
        off += 16 + incl
    span = records[-1][0] - records[0][0] + 2
    target = int(target_mb * 1024 * 1024)
    with open(dst, "wb") as out:
        out.write(data[:24])
        written, p = 24, 0
        while written < target:
            client = bytes([127, 1 + (p >> 16) % 254, (p >> 8) & 0xFF, p & 0xFF or 1])
            for ts_s, ts_f, orig, pkt in records:
                pkt = bytearray(pkt)
                if len(pkt) >= 14 + 20 + 4 and pkt[12:14] == b"\x08\x00":
                    ihl = (pkt[14] & 0x0F) * 4
                    sport, dport = struct.unpack(">HH", pkt[14 + ihl:14 + ihl + 4])
                    if dport in server_ports:
                        pkt[26:30] = client
                    elif sport in server_ports:
                        pkt[30:34] = client
                    pkt[24:26] = b"\x00\x00"
                    struct.pack_into(">H", pkt, 24, ip_checksum(bytes(pkt[14:14 + ihl])))
                out.write(struct.pack("<IIII", ts_s + p * span, ts_f, len(pkt), orig))
                out.write(pkt)
                written += 16 + len(pkt)
                if written >= target:
                    break
            p += 1
    print(f"{dst}: {written / 1048576:.0f} MiB, {p} passes of {len(records)} packets", file=sys.stderr)


if __name__ == "__main__":
    main()
