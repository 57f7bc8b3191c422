#!/usr/bin/env bash
# Checks the README's two commands on a fresh, minimal Debian 12: builds a `debootstrap
# --variant=minbase bookworm` root (no compiler, no libraries), clones this repository into it,
# and runs the command given (default: the first README command) inside it as root. The test
# command finds ../shared/data when SHARED is given (bind-mounted read-only beside the clone).
# Usage (root, needs the Debian archive): scripts/fresh-debian-check.sh ROOT_DIR [COMMAND] [SHARED]
#   scripts/fresh-debian-check.sh /var/tmp/fresh ./scripts/run-sample.sh
#   scripts/fresh-debian-check.sh /var/tmp/fresh ./scripts/test.sh ../shared
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${1:?usage: fresh-debian-check.sh ROOT_DIR [COMMAND] [SHARED]}
command=${2:-./scripts/run-sample.sh}
shared=${3:-}
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
[ -x "$root/bin/bash" ] || debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
cp /etc/resolv.conf "$root/etc/"
rm -rf "$root/root/c2hunt"
git clone -q "$repo" "$root/root/c2hunt"
mounted=()
cleanup() { for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || true; done; }
trap cleanup EXIT
for m in proc sys dev; do mount --bind "/$m" "$root/$m" && mounted+=("$root/$m"); done
if [ -n "$shared" ]; then
  mkdir -p "$root/root/shared"
  mount --bind -o ro "$shared" "$root/root/shared" && mounted+=("$root/root/shared")
fi
chroot "$root" /bin/bash -c "cd /root/c2hunt && $command"
