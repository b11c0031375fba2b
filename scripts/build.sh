#!/usr/bin/env bash
# Builds the WASM core into www/pkg/ (wasm-pack, wasm-bindgen, wasm-opt from binaryen 132), then
# www/precache.js (the build's files and id, for the service worker: scripts/precache.mjs).
# Assumes scripts/setup.sh has run. Usage: scripts/build.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
profile=--release
[ "${1:-}" = "--dev" ] && profile=--dev
# WASM_PACK_NO_UPDATE_CHECK-like quiet: wasm-pack's update check is harmless offline.
wasm-pack --quiet build "$profile" --target web --no-typescript --no-pack --out-dir www/pkg --out-name flowlens
ls -l www/pkg/flowlens_bg.wasm | awk '{printf "[build] www/pkg/flowlens_bg.wasm: %d bytes\n", $5}'
node scripts/precache.mjs
