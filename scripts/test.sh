#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 (this is what .ci/run runs):
#   1. installs every dependency with apt (compiler and CMake included);
#   2. builds with g++ and warnings as errors, runs every test under ctest;
#   3. builds with clang 14 + AddressSanitizer + UndefinedBehaviorSanitizer (and the libFuzzer
#      targets), runs every test again;
#   4. runs each libFuzzer target for FUZZ_SECONDS (default 20).
# C2HUNT_QUICK=1 stops after step 2.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

echo "== release build (g++, -Werror) and tests"
BUILD_NAME=release ./scripts/build.sh -DC2HUNT_WERROR=ON
# Real tcpdump captures of each link type (lo: Ethernet; any: SLL and SLL2) for the link-layer tests.
if [ "$(id -u)" -eq 0 ]; then
  ./scripts/make-link-captures.sh build/link-captures >/dev/null
  export C2HUNT_LINK_CAPTURES=$PWD/build/link-captures
fi
ctest --test-dir build/release --output-on-failure -j"$jobs"

[ "${C2HUNT_QUICK:-0}" = 1 ] && exit 0

echo "== sanitizer build (clang 14, ASan+UBSan, with the libFuzzer targets) and tests"
# One clang build serves both the sanitizer test run and the fuzz targets.
CC=clang-14 CXX=clang++-14 BUILD_NAME=asan BUILD_TYPE=RelWithDebInfo ./scripts/build.sh \
  -DC2HUNT_WERROR=ON -DC2HUNT_SANITIZE=ON -DC2HUNT_FUZZ=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs"

echo "== ThreadSanitizer: the record handoff, then the scan on two threads"
# TSAN_OPTIONS makes any race report fail the run. The handoff test builds on its own in seconds.
clang++-14 -std=c++20 -O1 -g -fsanitize=thread -Isrc src/c2hunt/pipeline/record_handoff.cc \
  tests/pipeline/record_handoff_test.cc src/c2hunt/records/connection.cc src/c2hunt/util/ip_address.cc \
  -lgtest -lgtest_main -lfmt -pthread -o build/record_handoff_tsan
TSAN_OPTIONS=halt_on_error=1:exitcode=66 ./build/record_handoff_tsan
# The whole binary under TSan, on a generated Zeek day large enough that both threads score
# channels with beacon analysis (the shared inputs are too small to start the second scorer), and
# on the shared captures, logs and host events.
CC=clang-14 CXX=clang++-14 cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DC2HUNT_TESTS=OFF \
  -DC2HUNT_JEMALLOC=OFF -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
cmake --build build/tsan -j"$jobs" --target c2hunt
tsan_day=$(mktemp -d)
python3 bench/zeek_generate.py --out "$tsan_day" --connections 60000 --hosts 300 --beacons 20 >/dev/null
tsan_inputs=("$tsan_day")
shared=${C2HUNT_SHARED_DATA:-../shared/data}
for f in "$shared"/zeek/otrf-apt29-day1-nashua "$shared"/pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng \
    "$shared"/sysmon/otrf__msf-lsass01_sysmon-1-3-22.json "$shared"/suricata/slips__test-cc-capture-1.pcap.eve.json; do
  [ -e "$f" ] && tsan_inputs+=("$f")
done
TSAN_OPTIONS=halt_on_error=1:exitcode=66 ./build/tsan/bin/c2hunt scan --threads 2 --min-level informational \
  -o /dev/null "${tsan_inputs[@]}"
rm -rf "$tsan_day"

echo "== bounded fuzz runs"
FUZZ_BUILD_NAME=asan ./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
