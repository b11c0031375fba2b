#!/usr/bin/env bash
# Installs everything flowlens needs to build and test, and does nothing for what is already there.
# Safe to run again; quick when the tools are installed. See README "Set-up".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm target of the machine's Rust toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock
#    (the two must match). No --locked: the registry lacks one of its locked dependencies.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); takes about 2 minutes"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. wasm-pack.
if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack; takes about 2 minutes"
  cargo install wasm-pack --locked
fi

# 4. npm dev tools: binaryen 132 (wasm-opt; Debian's v108 breaks the module), playwright-core,
#    @duckdb/node-api (prebuilt binaries; runs the emitted Athena SQL in tests/sql/) and axe-core
#    (the accessibility scan of tests/e2e/a11y.test.mjs).
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -d node_modules/@duckdb/node-api ] || [ ! -d node_modules/axe-core ] \
   || [ package.json -nt node_modules/.flowlens-installed ]; then
  say "installing npm dev tools (binaryen, playwright-core)"
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.flowlens-installed
fi

# 5. Chromium and ChromeDriver from Debian (never a browser download by a test tool).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

say "ready: $(rustc --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), $(wasm-pack --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
