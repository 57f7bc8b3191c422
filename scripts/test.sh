#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12: installs dependencies, builds with warnings as
# errors, runs every test (normal build, then the sanitizer build and bounded fuzz runs when
# C2HUNT_QUICK is unset).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_NAME=release ./scripts/build.sh -DC2HUNT_WERROR=ON
ctest --test-dir build/release --output-on-failure -j"$(nproc)"
