#!/usr/bin/env bash
# From a fresh Debian 12: installs dependencies, builds, and runs c2hunt on the shipped sample capture.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_NAME=release ./scripts/build.sh
./build/release/bin/c2hunt scan --format text --min-level low samples/loopback-tls.pcap
