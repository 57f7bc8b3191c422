#!/usr/bin/env bash
# Configures and builds c2hunt into build/<name> (default build/release); extra args go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${BUILD_NAME:-release}
cmake -S . -B "build/$name" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "build/$name" -j"$(nproc)"
