#!/usr/bin/env bash
# Installs what PeakMQ needs on a fresh Debian machine (idempotent).
# As root it runs apt-get itself; otherwise it prints the exact command to run.
set -euo pipefail
need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists jemalloc 2>/dev/null || need+=(libjemalloc-dev)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
for extra in "$@"; do
  case "$extra" in
    sysstat) command -v sar >/dev/null 2>&1 || need+=(sysstat) ;;
    strace) command -v strace >/dev/null 2>&1 || need+=(strace) ;;
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    *) dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra") ;;
  esac
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "PeakMQ needs: ${need[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "setup: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
