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

echo "== ThreadSanitizer: the record handoff between the scan's reading and engine threads"
# Small enough to build on its own in seconds; TSAN_OPTIONS makes any race report fail the run.
clang++-14 -std=c++20 -O1 -g -fsanitize=thread -Isrc src/c2hunt/pipeline/record_handoff.cc \
  tests/pipeline/record_handoff_test.cc src/c2hunt/records/connection.cc src/c2hunt/util/ip_address.cc \
  -lgtest -lgtest_main -lfmt -pthread -o build/record_handoff_tsan
TSAN_OPTIONS=halt_on_error=1:exitcode=66 ./build/record_handoff_tsan

echo "== bounded fuzz runs"
FUZZ_BUILD_NAME=asan ./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
