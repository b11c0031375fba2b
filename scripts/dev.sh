#!/usr/bin/env bash
# One command from a fresh clone: installs what is missing, builds the WASM, serves www/ on localhost.
# Usage: scripts/dev.sh [PORT]   (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-${PORT:-8000}}"
./scripts/setup.sh
./scripts/build.sh
echo "[serve] flowlens at http://127.0.0.1:$port/  (Ctrl+C to stop)"
exec python3 scripts/serve.py "$port"   # www/, with the headers a host should send
