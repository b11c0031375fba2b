#!/usr/bin/env bash
# Fuzzing: one libFuzzer target per entry point of flowlens (fuzz/fuzz_targets/, bodies in
# fuzz/src/targets.rs).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#                               installs cargo-fuzz if missing, runs every target (or the ones
#                               named) SECONDS each (default 60) under a memory limit, prints
#                               executions, executions per second and corpus size per target;
#                               exit 1 on a crash (an input that panics, or that makes the target
#                               use more than RSS_LIMIT_MB of memory, default 1024, or allocate
#                               more than that at once)
#   scripts/fuzz.sh --smoke     quick check for the test command: replays the committed seed corpus
#                               and a few thousand inputs mutated from it through the same target
#                               code as a plain test (tests/fuzz_smoke.rs). It needs neither
#                               cargo-fuzz nor libFuzzer: installing and building those takes
#                               minutes on a fresh machine.
# cargo-fuzz passes nightly-only flags to rustc; RUSTC_BOOTSTRAP=1 lets a stable rustc take them.
# The code is safe Rust, so no sanitizer is used (-s none); debug assertions (overflow checks) are on.
# Crashes land in fuzz/artifacts/<target>/ (replay: cargo fuzz run <target> <file>); the corpus grows
# in fuzz/corpus/<target>/, of which only the seed-* files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "${1:-}" = "--smoke" ]; then
  exec cargo test --quiet --test fuzz_smoke
fi
seconds=${1:-60}
case "$seconds" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...] | --smoke" >&2; exit 2 ;; esac
shift || true
rss_limit=${RSS_LIMIT_MB:-1024}

export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (about a minute)"
  cargo install cargo-fuzz --locked
fi
flags=(--sanitizer none --debug-assertions)
cargo fuzz build "${flags[@]}"

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failed=()
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t: ${seconds}s"
  if ! cargo fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb="$rss_limit" -malloc_limit_mb="$rss_limit" \
    -print_final_stats=1 >"$log/$t" 2>&1; then
    failed+=("$t")
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log/$t" || tail -20 "$log/$t"
  fi
  runs=$(grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$log/$t" | grep -Eo '[0-9]+$' || echo "?")
  speed=$(grep -Eo 'exec/s: *[0-9]+' "$log/$t" | tail -1 | grep -Eo '[0-9]+$' || echo "?")
  peak=$(grep -Eo '^stat::peak_rss_mb: *[0-9]+' "$log/$t" | grep -Eo '[0-9]+$' || echo "?")
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  echo "$t: $runs executions, $speed exec/s, corpus $corpus files, peak RSS $peak MB"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]} (inputs in fuzz/artifacts/)"
  exit 1
fi
echo "no crash"
