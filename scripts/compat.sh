#!/usr/bin/env bash
# Compatibility suite: the official Apache RocketMQ C++ client (PyPI `rocketmq` 0.4.4,
# librocketmq.so + Python bindings) against PeakMQ's mqnamesrv and mqbroker.
# Needs the debug build (scripts/test.sh builds it); installs the client into .venv-compat.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-compat
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import rocketmq.client" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "rocketmq==0.4.4" pytest
fi
"$venv/bin/pytest" -q compat "$@"
