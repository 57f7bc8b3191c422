#!/usr/bin/env python3
"""Prints the cumulative fuzzing record of docs/fuzzing.md from docs/fuzz-history.tsv (one line per
run of one target: executions and seconds, CPU seconds for runs recorded by scripts/fuzz.sh since it
measures them, wall seconds for the first runs). Append a run's build/<dir>/history.tsv lines to the
TSV (with a run label and "cpu"), then paste this table into docs/fuzzing.md.

usage: scripts/fuzz-table.py [docs/fuzz-history.tsv]"""
import collections
import sys

TARGET_EXECUTIONS, TARGET_SECONDS = 10_000_000, 3600
path = sys.argv[1] if len(sys.argv) > 1 else "docs/fuzz-history.tsv"
runs = collections.Counter()
executions = collections.Counter()
cpu = collections.Counter()
wall = collections.Counter()
for line in open(path):
    if line.startswith("#") or not line.strip():
        continue
    _, _, target, n, seconds, kind = line.rstrip("\n").split("\t")
    runs[target] += 1
    executions[target] += int(n)
    (cpu if kind == "cpu" else wall)[target] += int(seconds)
print("| Target | Runs | Executions | CPU s | + wall s (early runs) | Bound (10 M executions or 1 CPU-hour) |")
print("|---|---:|---:|---:|---:|---|")
for t in sorted(runs):
    reached = executions[t] >= TARGET_EXECUTIONS or cpu[t] >= TARGET_SECONDS
    share = max(executions[t] / TARGET_EXECUTIONS, cpu[t] / TARGET_SECONDS)
    status = "reached" if reached else f"not yet ({share:.0%})"
    print(f"| {t} | {runs[t]} | {executions[t]:,} | {cpu[t]:,} | {wall[t]:,} | {status} |")
