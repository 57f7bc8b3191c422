#!/usr/bin/env python3
"""Writes hostile classic-pcap (Ethernet/IPv4) captures for the resource-bound benchmarks:

  synflood N   N half-open connections: one SYN each from random addresses and ports
  ooo N        N connections whose client data arrives out of order, overlapping, with holes
               never filled (so every one holds a reassembly buffer), 1000 connections in flight
  udp N        N one-packet UDP flows (random ports), the shape of a UDP scan or flood
  tls N        N long TLS connections: a real handshake (re-addressed) then 40 data records

Every capture also carries MIXIN real TLS connections to 198.51.100.77:443 from 10.66.66.X (copied
from a real capture, default samples/loopback-tls.pcap) at the start, middle and end, so a run can
check that the handshakes an attacker hides in a flood are still reported.

usage: gen_hostile_pcap.py KIND N OUT.pcap [--real samples/loopback-tls.pcap] [--seed 1] [--mixin 3]
"""
import argparse
import random
import struct

ETH = bytes.fromhex("020000000001020000000002") + b"\x08\x00"
MIXIN_SERVER = bytes([198, 51, 100, 77])
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def ipv4_tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0x4000, 64, 6, 0, src, dst)
    return ETH + ip + tcp + payload


def ipv4_udp(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 1, 0, 64, 17, 0, src, dst)
    return ETH + ip + udp + payload


class Writer:
    def __init__(self, path):
        self.out = open(path, "wb", buffering=1 << 22)
        self.out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.packets = 0

    def packet(self, ts_us, frame):
        self.out.write(struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000, len(frame), len(frame)))
        self.out.write(frame)
        self.packets += 1

    def close(self):
        self.out.close()


def read_tcp_connections(path):
    """The TCP connections of an Ethernet/IPv4 classic pcap: list of packets (dt_us, from_client,
    seq_off, ack_off, flags, payload) per connection, sequence numbers relative to each side's ISN."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic != 0xA1B2C3D4 or struct.unpack("<I", data[20:24])[0] != 1:
        raise SystemExit(f"{path}: expected a little-endian microsecond Ethernet pcap")
    conns, order = {}, []
    off = 24
    while off + 16 <= len(data):
        ts_s, ts_us, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
            continue
        ihl = (frame[14] & 0x0F) * 4
        ip_total = struct.unpack("!H", frame[16:18])[0]
        t = 14 + ihl
        sport, dport, seq, ack, doff, flags = struct.unpack("!HHIIBB", frame[t:t + 14])
        payload = frame[t + (doff >> 4) * 4:14 + ip_total]
        key = (min(sport, dport), max(sport, dport))
        if key not in conns:
            if not (flags & SYN) or (flags & ACK):
                continue
            conns[key] = {"client": sport, "t0": ts_s * 1000000 + ts_us, "isn": {}, "packets": []}
            order.append(key)
        c = conns[key]
        from_client = sport == c["client"]
        c["isn"].setdefault(from_client, seq)
        peer_isn = c["isn"].get(not from_client, ack - 1 if flags & ACK else 0)
        c["packets"].append((ts_s * 1000000 + ts_us - c["t0"], from_client, seq - c["isn"][from_client],
                             ack - peer_isn if flags & ACK else 0, flags, payload))
    return [conns[k]["packets"] for k in order]


def replay(w, packets, t0, client, server, cport, sport, isn=(1000, 5000)):
    for dt, from_client, seq, ack, flags, payload in packets:
        if from_client:
            frame = ipv4_tcp(client, server, cport, sport, isn[0] + seq, isn[1] + ack, flags, payload)
        else:
            frame = ipv4_tcp(server, client, sport, cport, isn[1] + seq, isn[0] + ack, flags, payload)
        w.packet(t0 + dt, frame)
    return t0 + (packets[-1][0] if packets else 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["synflood", "ooo", "udp", "tls"])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--real", default="samples/loopback-tls.pcap")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mixin", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    real = read_tcp_connections(a.real)
    handshake = real[0]
    mixin_at = {a.n * k // a.mixin for k in range(a.mixin)}  # the last one goes after the flood
    mixed = 0
    w = Writer(a.out)
    t = 1_700_000_000_000_000
    step = 10  # microseconds between flood packets: 2M SYNs span 20 s, below every idle timeout

    def mixin(now):
        nonlocal mixed
        mixed += 1
        replay(w, handshake, now, bytes([10, 66, 66, mixed]), MIXIN_SERVER, 40000 + mixed, 443)

    # The long TLS connections stay open: the handshake without its closing packets.
    opening = [p for p in handshake if not p[4] & (FIN | 0x04)]
    for i in range(a.n):
        if i in mixin_at and mixed < a.mixin:
            mixin(t)
        if a.kind == "synflood":
            src = struct.pack("!I", rng.getrandbits(32) | 0x01000000)
            dst = bytes([192, 0, 2, 1 + (i & 63)])
            w.packet(t, ipv4_tcp(src, dst, rng.randrange(1024, 65536), 443, rng.getrandbits(32), 0, SYN))
            t += step
        elif a.kind == "udp":
            src = bytes([10, 1 + (i >> 24 & 0x7F), i >> 16 & 0xFF, i >> 8 & 0xFF])
            w.packet(t, ipv4_udp(src, bytes([192, 0, 2, i & 0xFF]), rng.randrange(1024, 65536),
                                 rng.randrange(1, 65536), bytes([i & 0xFF])))
            t += step
        elif a.kind == "ooo":
            # Batches of 1000 interleaved connections: SYNs, then segments 2..8 of each in a shuffled,
            # overlapping order, segment 1 never sent (a hole that keeps the buffer allocated).
            if i % 1000 == 0:
                batch = range(i, min(i + 1000, a.n))
                segs = []
                for j in batch:
                    cl = bytes([10, 2 + (j >> 16 & 0x7F), j >> 8 & 0xFF, j & 0xFF])
                    w.packet(t, ipv4_tcp(cl, bytes([192, 0, 2, 80]), 20000 + j % 40000, 443, 0, 0, SYN))
                    t += step
                    for k in range(1, 9):
                        lo = k * 500 - rng.randrange(0, 200)  # overlaps the previous segment
                        segs.append((cl, 20000 + j % 40000, lo, bytes([k]) * (500 + rng.randrange(0, 300))))
                rng.shuffle(segs)
                for cl, port, lo, data in segs:
                    w.packet(t, ipv4_tcp(cl, bytes([192, 0, 2, 80]), port, 443, 1 + lo, 1, ACK | PSH, data))
                    t += step
        else:  # tls
            if i % 200 == 0:  # 200 connections in flight, each a handshake then 40 data records
                batch = list(range(i, min(i + 200, a.n)))
                for j in batch:
                    cl = bytes([10, 3 + (j >> 16 & 0x7F), j >> 8 & 0xFF, j & 0xFF])
                    replay(w, opening, t, cl, bytes([192, 0, 2, 43]), 30000 + j % 30000, 443)
                    t += 100
                record = b"\x17\x03\x03\x03\xe8" + bytes(1000)
                base = max(p[2] + len(p[5]) for p in opening if p[1])
                for r in range(40):
                    for j in batch:
                        cl = bytes([10, 3 + (j >> 16 & 0x7F), j >> 8 & 0xFF, j & 0xFF])
                        w.packet(t, ipv4_tcp(cl, bytes([192, 0, 2, 43]), 30000 + j % 30000, 443,
                                             1000 + base + r * len(record), 5000 + 1, ACK | PSH, record))
                        t += step
    while mixed < a.mixin:
        mixin(t)
        t += 1_000_000
    w.close()
    print(f"{a.out}: {a.kind} n={a.n} packets={w.packets} mixed-in handshakes={mixed}")


if __name__ == "__main__":
    main()
