#!/usr/bin/env bash
# Builds and runs the beacon recall/false-positive evaluation (bench/beacon_eval_bench.cc).
# Arguments go to the program: [beacon_trials=50] [benign_trials=1000] [--full]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_NAME=bench ./scripts/build.sh -DC2HUNT_BENCH=ON -DC2HUNT_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
./build/bench/bench/beacon_eval_bench "$@"
