#!/usr/bin/env python3
"""Writes a realistic day of Zeek conn.log and ssl.log (TSV or JSON) for N internal hosts, with
planted beacons (fixed period, jitter, small sizes) among human-like background traffic, and the
beacons' ground truth to a side file (truth.tsv)."""
import argparse, json, os, random

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--connections", type=int, default=1_000_000)
p.add_argument("--hosts", type=int, default=500)
p.add_argument("--beacons", type=int, default=20)
p.add_argument("--format", choices=["tsv", "json"], default="tsv")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--day", type=int, default=0, help="day index: shifts times and names the rotated files")
a = p.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)
DAY0 = 1_700_006_400.0 + 86400 * a.day  # a midnight UTC

CONN_FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration",
               "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history",
               "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"]
CONN_TYPES = ["time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count",
              "string", "bool", "bool", "count", "string", "count", "count", "count", "count", "set[string]"]
SSL_FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "version", "cipher", "curve",
              "server_name", "resumed", "established", "ssl_history", "cert_chain_fps", "ja3", "ja3s"]
SSL_TYPES = ["time", "string", "addr", "port", "addr", "port", "string", "string", "string", "string", "bool",
             "bool", "string", "vector[string]", "string", "string"]

hosts = [f"10.1.{i // 250}.{1 + i % 250}" for i in range(a.hosts)]
# The same sites, servers and certificates every day (a network visits the same places day after
# day), so a multi-day set grows in connections, not in distinct destinations; only the beacons
# and the timing change with --seed.
site_rng = random.Random(20231115)
popular = [(f"{site_rng.randint(13, 220)}.{site_rng.randint(0, 255)}.{site_rng.randint(0, 255)}.{site_rng.randint(1, 254)}",
            f"site{i}.example.com") for i in range(3000)]
cum = []  # Zipf-like popularity
acc = 0.0
for r in range(len(popular)):
    acc += 1.0 / (r + 1)
    cum.append(acc)
ja3s = ["%032x" % site_rng.getrandbits(128) for _ in range(12)]
fps = ["%064x" % site_rng.getrandbits(256) for _ in range(500)]
ciphers = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

def uid():
    v = rng.getrandbits(102)
    out = ["C"]
    for _ in range(17):
        v, r = divmod(v, 62)
        out.append(ALNUM[r])
    return "".join(out)

def human_time():
    # Working hours heavier than nights.
    while True:
        t = rng.random() * 86400
        h = t / 3600
        if rng.random() < (0.9 if 8 <= h <= 18 else 0.15):
            return DAY0 + t

events = []
beacons = []
n_beacon_conns = 0
for b in range(a.beacons):
    host = rng.choice(hosts)
    dst = f"{rng.randint(23, 200)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    period = rng.choice([30, 60, 120, 300, 600, 900])
    jitter = rng.choice([0.0, 0.1, 0.2, 0.3])
    port = rng.choice([443, 443, 8443, 8080])
    t = DAY0 + rng.random() * period
    count = 0
    while t < DAY0 + 86400:
        events.append((t, host, dst, port, "c2-%d.example.net" % b, True))
        t += period * (1 + rng.uniform(-jitter, jitter))
        count += 1
    n_beacon_conns += count
    beacons.append((host, dst, port, period, jitter, count))
background = max(0, a.connections - n_beacon_conns)
for i in range(background):
    dst, name = rng.choices(popular, cum_weights=cum)[0] if rng.random() < 0.8 else ("10.0.0.53", None)
    port = 53 if name is None else rng.choice([443, 443, 443, 80, 443])
    events.append((human_time(), rng.choice(hosts), dst, port, name, False))
events.sort()

def fmt(v, tsv):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "T" if v else "F"
    if isinstance(v, list):
        return ",".join(v) if v else "(empty)"
    return str(v)

import time as _time
stamp = _time.strftime("%Y-%m-%d-00-00-00", _time.gmtime(DAY0))
conn_f = open(os.path.join(a.out, f"conn.{stamp}.log"), "w")
ssl_f = open(os.path.join(a.out, f"ssl.{stamp}.log"), "w")
if a.format == "tsv":
    for f, fields, types, path in ((conn_f, CONN_FIELDS, CONN_TYPES, "conn"), (ssl_f, SSL_FIELDS, SSL_TYPES, "ssl")):
        f.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
        f.write(f"#path\t{path}\n#open\t2023-11-15-00-00-00\n#fields\t" + "\t".join(fields) + "\n#types\t" + "\t".join(types) + "\n")

def write(f, fields, values):
    if a.format == "tsv":
        f.write("\t".join(fmt(v, True) for v in values) + "\n")
    else:
        f.write(json.dumps({k: v for k, v in zip(fields, values) if v is not None}, separators=(",", ":")) + "\n")

for (t, host, dst, port, name, beacon) in events:
    u = uid()
    sport = rng.randint(49152, 65535)
    if port == 53:
        vals = [f"{t:.6f}", u, host, sport, dst, 53, "udp", "dns", round(rng.uniform(0.0005, 0.05), 6),
                rng.randint(30, 60), rng.randint(50, 300), "SF", True, True, 0, "Dd", 1, 80, 1, 200, None]
        write(conn_f, CONN_FIELDS, vals)
        continue
    if beacon:
        ob, rb, dur = rng.randint(300, 700), rng.randint(200, 900), round(rng.uniform(0.2, 1.5), 6)
    else:
        ob, rb = int(rng.lognormvariate(7, 1.2)), int(rng.lognormvariate(9, 1.8))
        dur = round(rng.lognormvariate(0.5, 1.5), 6)
    op, rp = 4 + ob // 1200, 4 + rb // 1400
    tls = port != 80
    vals = [f"{t:.6f}", u, host, sport, dst, port, "tcp", "ssl" if tls else "http", dur, ob, rb, "SF", True, False,
            0, "ShADadFf", op, ob + 40 * op, rp, rb + 40 * rp, None]
    write(conn_f, CONN_FIELDS, vals)
    if tls:
        sv = [f"{t:.6f}", u, host, sport, dst, port, "TLSv13" if rng.random() < 0.7 else "TLSv12",
              rng.choice(ciphers), "x25519", name, False, True, "CsiI", [rng.choice(fps)],
              rng.choice(ja3s), rng.choice(ja3s)]
        write(ssl_f, SSL_FIELDS, sv)
if a.format == "tsv":
    conn_f.write("#close\t2023-11-16-00-00-00\n")
    ssl_f.write("#close\t2023-11-16-00-00-00\n")
conn_f.close()
ssl_f.close()
truth = os.path.join(a.out, "truth.tsv")
new = not os.path.exists(truth)
with open(truth, "a") as f:
    if new:
        f.write("#day\torig_h\tresp_h\tresp_p\tperiod_s\tjitter\tconnections\n")
    for b in beacons:
        f.write("\t".join(map(str, (a.day,) + b)) + "\n")
print(f"{len(events)} connections ({n_beacon_conns} beacon) in {a.out}")
