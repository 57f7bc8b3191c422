#!/usr/bin/env python3
"""Writes N synthetic Sysmon events as flat NXLog/OTRF-style JSON lines (the shape of the OTRF
datasets): process creates (EID 1), network connections (EID 3), DNS queries (EID 22) and process
ends (EID 5). Processes end after a few events each, so a reader's live process table stays small:
memory must stay flat however many events the file has.

The events come from `events()`, which sysmon_evtx_generate.py renders as EVTX: the same arguments
give the same events in both formats.

usage: sysmon_generate.py N OUT.json [--seed S] [--first-process K]
"""
import argparse
import random

IMAGES = [
    r"C:\Windows\System32\svchost.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
    r"C:\Users\alice\Downloads\tool.exe",
    r"C:\Windows\System32\rundll32.exe",
]
USER = r"CORP\alice"
PARENT_IMAGE = r"C:\Windows\explorer.exe"
PARENT_COMMAND_LINE = r"C:\Windows\Explorer.EXE"
GUID = "{81056205-%04x-64dc-%04x-000000000800}"


class Event:
    """One Sysmon event: System values and the EventData fields (name, text) in Sysmon's order."""
    __slots__ = ("eid", "record", "stamp", "computer", "fields")

    def __init__(self, eid, record, stamp, computer, fields):
        self.eid = eid
        self.record = record      # EventRecordID, from 1
        self.stamp = stamp        # (day of March 2024, hour, minute, second, millisecond), UTC
        self.computer = computer
        self.fields = fields

    def utc_time(self):
        return "2024-03-%02d %02d:%02d:%02d.%03d" % self.stamp


def events(n, seed=1, first_process=0):
    """Yields n Events; `first_process` offsets the process serials so that files differ in GUIDs."""
    rnd = random.Random(seed)
    live = []  # [guid, pid, image, events_left]
    serial = first_process
    for rec in range(n):
        t = rec // 50  # ~50 events per second of log time
        day, rest = 1 + (t // 86400) % 28, t % 86400
        stamp = (day, rest // 3600, (rest // 60) % 60, rest % 60, rec % 1000)
        utc = "2024-03-%02d %02d:%02d:%02d.%03d" % stamp
        if len(live) < 64 or rnd.random() < 0.05:
            serial += 1
            guid = GUID % (serial & 0xFFFF, (serial >> 16) & 0xFFFF)
            pid = str(1000 + serial % 60000)
            image = IMAGES[serial % len(IMAGES)]
            live.append([guid, pid, image, rnd.randint(5, 40)])
            yield Event(1, rec + 1, stamp, "WS%02d.corp.example" % (serial % 50), [
                ("UtcTime", utc), ("ProcessGuid", guid), ("ProcessId", pid), ("Image", image),
                ("CommandLine", '"%s" --run %d' % (image, serial)), ("User", USER),
                ("IntegrityLevel", "Medium"), ("Hashes", "SHA256=%064X" % serial),
                ("ParentProcessGuid", GUID % (0x5678, 0x12)), ("ParentProcessId", "4544"),
                ("ParentImage", PARENT_IMAGE), ("ParentCommandLine", PARENT_COMMAND_LINE)])
            continue
        i = rnd.randrange(len(live))
        guid, pid, image, left = live[i]
        computer = "WS%02d.corp.example" % (serial % 50)
        head = [("UtcTime", utc), ("ProcessGuid", guid), ("ProcessId", pid), ("Image", image)]
        if left <= 0:
            yield Event(5, rec + 1, stamp, computer, head + [("User", USER)])
            live[i] = live[-1]
            live.pop()
            continue
        live[i][3] -= 1
        if rnd.random() < 0.75:
            yield Event(3, rec + 1, stamp, computer, head + [
                ("User", USER), ("Protocol", "tcp"), ("Initiated", "true"), ("SourceIsIpv6", "false"),
                ("SourceIp", "10.1.%d.%d" % (rec % 250, 1 + rec % 250)), ("SourceHostname", "-"),
                ("SourcePort", str(49152 + rec % 16000)), ("DestinationIsIpv6", "false"),
                ("DestinationIp", "203.0.%d.%d" % ((rec >> 8) % 250, rec % 250)),
                ("DestinationHostname", "-"), ("DestinationPort", "443")])
        else:
            yield Event(22, rec + 1, stamp, computer, head[:3] + [
                ("QueryName", "host%d.example.com" % (rec % 5000)), ("QueryStatus", "0"),
                ("QueryResults", "type:  5 cdn%d.example.net;::ffff:203.0.%d.%d;" % (
                    rec % 500, (rec >> 8) % 250, rec % 250)),
                ("Image", image)])


HEAD = ('{"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational",'
        '"Hostname":"%s","EventID":%d,"RecordNumber":%d')


def json_line(e):
    parts = [HEAD % (e.computer, e.eid, e.record)]
    for name, value in e.fields:
        parts.append(',"%s":"%s"' % (name, value.replace("\\", "\\\\").replace('"', '\\"')))
    parts.append("}\n")
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-process", type=int, default=0,
                    help="serial of the first process, so that several files have distinct GUIDs")
    a = ap.parse_args()
    with open(a.out, "w", buffering=1 << 22) as f:
        lines = []
        for e in events(a.n, a.seed, a.first_process):
            lines.append(json_line(e))
            if len(lines) >= 10000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))


if __name__ == "__main__":
    main()
