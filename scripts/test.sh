#!/usr/bin/env bash
# Every test, in three layers, from a fresh clone: installs what is missing, then
#   1. native: cargo fmt --check, cargo clippy, cargo test (unit, integration, CLI, hostile input,
#      property tests, the fuzz targets' smoke run, doc tests)
#   2. wasm: clippy on the wasm target (the library and its browser tests), wasm-bindgen-test suites in headless Chromium
#   3. end-to-end: the real page in Chromium (Playwright), served from www/, including a 78 MB
#      gzipped S3 object dropped into the page, offline use and the release's copies (zip, single file)
# then the CLI on that same 78 MB file, and a quick benchmark smoke run (never timed assertions),
# and checks that each layer really ran tests (a skipped suite still exits 0).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
passed() { # sum of "N passed" in cargo/wasm-bindgen-test output
  grep -Eo 'test result: ok\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}'
}

./scripts/setup.sh

step "1/3 native: fmt, clippy, cargo test"
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all -- --check; else echo "(rustfmt not installed: format check skipped)"; fi
if cargo clippy --version >/dev/null 2>&1; then cargo clippy --all-targets --quiet -- -D warnings; else echo "(clippy not installed: lint skipped)"; fi
cargo test --quiet 2>&1 | tee "$log/native"
native=$(passed "$log/native")
[ "$native" -gt 0 ] || { echo "no native test ran"; exit 1; }

step "1b/3 the emitted Athena SQL run in DuckDB (tests/sql/)"
cargo build --quiet
node --test --test-reporter=spec tests/sql/ 2>&1 | tee "$log/sql"
sql=$(grep -Eo '^ℹ pass [0-9]+' "$log/sql" | awk '{print $3}')
sqlfail=$(grep -Eo '^ℹ fail [0-9]+' "$log/sql" | awk '{print $3}')
[ "${sql:-0}" -gt 0 ] && [ "${sqlfail:-1}" -eq 0 ] || { echo "the SQL tests did not all pass"; exit 1; }

step "1c/3 the GitHub workflows' shape (tests/workflows.test.mjs)"
node --test --test-reporter=spec tests/workflows.test.mjs

step "2/3 wasm: wasm-bindgen-test in headless Chromium"
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=120
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --quiet --target wasm32-unknown-unknown --lib --test web -- -D warnings
fi
cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee "$log/wasm"
wasm=$(passed "$log/wasm")
[ "$wasm" -gt 0 ] || { echo "no wasm test ran"; exit 1; }

step "3/3 end-to-end: the page in Chromium"
./scripts/build.sh
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee "$log/e2e"
e2e=$(grep -Eo '^ℹ pass [0-9]+' "$log/e2e" | awk '{print $3}')
fail=$(grep -Eo '^ℹ fail [0-9]+' "$log/e2e" | awk '{print $3}')
[ "${e2e:-0}" -gt 0 ] && [ "${fail:-1}" -eq 0 ] || { echo "end-to-end tests did not all pass"; exit 1; }

step "the command line on the 78 MB gzipped S3 object"
cargo build --release --quiet
big=$(ls tests/e2e/out/*_6000000.log.gz)
./target/release/flowlens --count "$big" 2>&1 | tee "$log/big"
grep -q "6000001 lines, 6000000 records, 1 header lines, 0 blank lines, 0 ignored lines, 0 errors" "$log/big" \
  || { echo "the CLI did not decode every record of $big"; exit 1; }

step "benchmark smoke run (figures only, nothing asserted on time)"
./scripts/bench.sh --quick

step "all layers passed: native $native, SQL $sql, wasm $wasm, end-to-end $e2e tests; CLI and benchmark smoke ran"
