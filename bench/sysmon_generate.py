#!/usr/bin/env python3
"""Writes N synthetic Sysmon events as flat NXLog/OTRF-style JSON lines (the shape of the OTRF
datasets): process creates (EID 1), network connections (EID 3), DNS queries (EID 22) and process
ends (EID 5). Processes end after a few events each, so a reader's live process table stays small:
memory must stay flat however many events the file has.

usage: sysmon_generate.py N OUT.json [--seed S] [--first-process K]
"""
import argparse
import random

IMAGES = [
    r"C:\\Windows\\System32\\svchost.exe",
    r"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
    r"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    r"C:\\Users\\alice\\Downloads\\tool.exe",
    r"C:\\Windows\\System32\\rundll32.exe",
]
HEAD = ('{"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational",'
        '"Hostname":"WS%02d.corp.example","EventID":%d,"RecordNumber":%d,"UtcTime":"2024-03-%02d %02d:%02d:%02d.%03d",'
        '"ProcessGuid":"{81056205-%04x-64dc-%04x-000000000800}","ProcessId":"%d"')
EID1 = (',"Image":"%s","CommandLine":"\\"%s\\" --run %d","User":"CORP\\\\alice","IntegrityLevel":"Medium",'
        '"Hashes":"SHA256=%064X","ParentProcessGuid":"{81056205-%04x-64dc-%04x-000000000800}",'
        '"ParentProcessId":"%d","ParentImage":"C:\\\\Windows\\\\explorer.exe","ParentCommandLine":"C:\\\\Windows\\\\Explorer.EXE"}\n')
EID3 = (',"Image":"%s","User":"CORP\\\\alice","Protocol":"tcp","Initiated":"true","SourceIsIpv6":"false",'
        '"SourceIp":"10.1.%d.%d","SourceHostname":"-","SourcePort":"%d","DestinationIsIpv6":"false",'
        '"DestinationIp":"203.0.%d.%d","DestinationHostname":"-","DestinationPort":"443"}\n')
EID22 = (',"Image":"%s","QueryName":"host%d.example.com","QueryStatus":"0",'
         '"QueryResults":"type:  5 cdn%d.example.net;::ffff:203.0.%d.%d;"}\n')
EID5 = ',"Image":"%s","User":"CORP\\\\alice"}\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-process", type=int, default=0,
                    help="serial of the first process, so that several files have distinct GUIDs")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    live = []  # (guid_a, guid_b, pid, image, events_left)
    serial = a.first_process
    with open(a.out, "w", buffering=1 << 22) as f:
        lines = []
        for rec in range(a.n):
            t = rec // 50  # ~50 events per second of log time
            day, rest = 1 + (t // 86400) % 28, t % 86400
            stamp = (day, rest // 3600, (rest // 60) % 60, rest % 60, rec % 1000)
            if len(live) < 64 or rnd.random() < 0.05:
                serial += 1
                ga, gb, pid = serial & 0xFFFF, (serial >> 16) & 0xFFFF, 1000 + serial % 60000
                image = IMAGES[serial % len(IMAGES)]
                live.append([ga, gb, pid, image, rnd.randint(5, 40)])
                lines.append(HEAD % ((serial % 50, 1, rec) + stamp + (ga, gb, pid)) +
                             EID1 % (image, image, serial, serial, 0x5678, 0x12, 4544))
                continue
            i = rnd.randrange(len(live))
            ga, gb, pid, image, left = live[i]
            host = serial % 50
            if left <= 0:
                lines.append(HEAD % ((host, 5, rec) + stamp + (ga, gb, pid)) + EID5 % image)
                live[i] = live[-1]
                live.pop()
            elif rnd.random() < 0.75:
                lines.append(HEAD % ((host, 3, rec) + stamp + (ga, gb, pid)) +
                             EID3 % (image, rec % 250, 1 + rec % 250, 49152 + rec % 16000, (rec >> 8) % 250, rec % 250))
                live[i][4] -= 1
            else:
                lines.append(HEAD % ((host, 22, rec) + stamp + (ga, gb, pid)) +
                             EID22 % (image, rec % 5000, rec % 500, (rec >> 8) % 250, rec % 250))
                live[i][4] -= 1
            if len(lines) >= 10000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))


if __name__ == "__main__":
    main()
