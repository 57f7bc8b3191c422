#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian 12's archive (idempotent).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-14 libclang-rt-14-dev
  libpcap-dev libssl-dev zlib1g-dev rapidjson-dev libsimdjson-dev libyaml-cpp-dev
  libcli11-dev libfmt-dev libpugixml-dev libevtx-dev libbfio-dev
  libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
  openssl curl tcpdump tshark python3 iproute2 ca-certificates time bc xxd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
