#!/usr/bin/env bash
# Benchmarks of flowlens, measured in one run and reported as ratios (see bench/README.md).
#
#   scripts/bench.sh [--records N] [--quick] [--reps N] [--profile]
#
# Builds what it needs (bench/ is a crate of its own, with its own target dir), generates the data
# (bench/data/, cached by generator, record count and ip-ranges.json), then measures:
#   native (flowlens-bench), WASM + JavaScript in Node and in headless Chromium, the real page end
#   to end (the file dropped on www/, built with scripts/build.sh, in Chromium), and, in the full
#   run only, Python flowlogs-reader and awsipranges (bench/.venv) and Vector's VRL (bench/vrl).
# Prints the results table and writes bench/RESULTS.md (a --quick run writes
# bench/data/RESULTS-quick.md instead, so that CI smoke runs never replace the full results).
# --quick: 20k records, no Python, no VRL (CI smoke run; nothing is asserted on times).
# --profile: also counts instructions of the native parse + classification with callgrind (slow).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

records=1000000 quick=0 reps=3 profile=0 records_set=0
args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=${2//_/}; records_set=1; shift 2 ;;
    --quick) quick=1; shift ;;
    --reps) reps=$2; shift 2 ;;
    --profile) profile=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$quick" = 1 ] && [ "$records_set" = 0 ] && records=20000
lookups=1000000
say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
t0=$(date +%s)

RANGES=www/data/ip-ranges.json
DATA_DIR=bench/data
mkdir -p "$DATA_DIR"

say "building the native runner (bench/target)"
(cd bench && cargo build --quiet --release -p flowlens-bench)
BIN=bench/target/release/flowlens-bench

say "building the WASM workloads (bench/pkg, wasm-pack --target web)"
wasm-pack --quiet build bench/wasm --release --target web --no-typescript \
  --out-dir "$ROOT/bench/pkg" --out-name flowlens_bench_wasm

# Data: cached by generator source, ip-ranges.json and record count.
gen_id=$(cat bench/src/generate.rs bench/src/rng.rs "$RANGES" | sha1sum | cut -c1-10)
DATA="$DATA_DIR/flows-$records-$gen_id.log"
if [ ! -f "$DATA" ] || { [ "$quick" = 0 ] && [ ! -f "$DATA.gz" ]; }; then
  say "generating $DATA"
  gz=""; [ "$quick" = 0 ] && gz="--gzip"
  "$BIN" gen --ranges "$RANGES" --out "$DATA" --records "$records" $gz
fi

RESULTS="$DATA_DIR/results.jsonl"
: > "$RESULTS"

say "native"
gzarg=""; [ -f "$DATA.gz" ] && gzarg="--gz $DATA.gz"
"$BIN" run --ranges "$RANGES" --data "$DATA" $gzarg --reps "$reps" --lookups "$lookups" >> "$RESULTS"

say "Node $(node --version)"
node bench/js/node.mjs "$DATA" "$RANGES" --reps "$reps" --lookups "$lookups" >> "$RESULTS"

say "Chromium ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
node bench/js/chromium.mjs "$DATA" "$RANGES" --reps "$reps" --lookups "$lookups" >> "$RESULTS"

say "the page, end to end: the file dropped on www/ in Chromium (building www/pkg first)"
scripts/build.sh >&2
node bench/js/page-bench.mjs "$DATA" --reps "$reps" >> "$RESULTS"

if [ "$quick" = 0 ]; then
  if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c 'import flowlogs_reader, awsipranges' 2>/dev/null; then
    say "setting up bench/.venv (flowlogs-reader, awsipranges from PyPI)"
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet --disable-pip-version-check flowlogs-reader awsipranges
  fi
  say "Python flowlogs-reader (first 200k records) and awsipranges (5k lookups)"
  bench/.venv/bin/python bench/py/baselines.py flowlogs-reader "$DATA" --limit 200000 >> "$RESULTS"
  "$BIN" addrs --ranges "$RANGES" --out "$DATA_DIR/addrs.txt" --n 100000
  bench/.venv/bin/python bench/py/baselines.py awsipranges "$RANGES" "$DATA_DIR/addrs.txt" --limit 5000 >> "$RESULTS"

  say "building VRL (bench/vrl; ~4 min and ~850 MB the first time)"
  (cd bench/vrl && cargo build --quiet --release)
  say "VRL parse_aws_vpc_flow_log"
  bench/vrl/target/release/flowlens-bench-vrl "$DATA" >> "$RESULTS"
fi

PROFILE=""
if [ "$profile" = 1 ]; then
  say "callgrind profile of the native parse + classification (20k records)"
  small="$DATA_DIR/flows-20000-$gen_id.log"
  [ -f "$small" ] || "$BIN" gen --ranges "$RANGES" --out "$small" --records 20000
  rm -f "$DATA_DIR"/callgrind.out.*
  valgrind --tool=callgrind --callgrind-out-file="$DATA_DIR/callgrind.out.bench" \
    "$BIN" run --ranges "$RANGES" --data "$small" --reps 1 --only parse_classify >/dev/null 2>&1
  # Functions of flowlens and the hot library code they call, inclusive cost; awk reads to the
  # end (no early close under pipefail).
  callgrind_annotate --inclusive=yes "$DATA_DIR/callgrind.out.bench" 2>/dev/null \
    | awk '/^ *[0-9,]+ \(/ && (/PROGRAM TOTALS/ || /flowlens::|malloc|free|sip|lossy/) && n++ < 30' \
    | sed -E "s#$ROOT/##g; s# \[[^]]*\]\$##; s#/rustc/[0-9a-f]+/library/#std:#; s#/root/.cargo/registry/src/[^/]+/#crate:#" > "$DATA_DIR/profile.txt"
  PROFILE="$DATA_DIR/profile.txt"
elif [ "$quick" = 0 ] && [ -f "$DATA_DIR/profile.txt" ]; then
  PROFILE="$DATA_DIR/profile.txt"
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || commit="$commit + uncommitted changes in src/"
v5=$(grep -c '^version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id' "$DATA" || true)
objects=$(grep -c '^version ' "$DATA" || true)
cat > "$DATA_DIR/meta.json" <<JSON
{"args": "$args", "date": "$(date -u +%Y-%m-%dT%H:%MZ)", "machine": "$(nproc) cores, $(uname -m), rustc $(rustc --version | awk '{print $2}'), Node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1 | awk '{print $1" "$2}')",
 "commit": "$commit", "data": "$DATA", "records": $records, "bytes": $(stat -c %s "$DATA"),
 "mix": "$objects S3 objects with header lines, $v5 of them v5; ~5% IPv6, ~10% REJECT, ~2% NODATA/SKIPDATA, ~half the public peers in AWS ranges",
 "notes": "bench/NOTES.md"}
JSON
out=bench/RESULTS.md
[ "$quick" = 1 ] && out="$DATA_DIR/RESULTS-quick.md"
node bench/js/report.mjs "$RESULTS" "$DATA_DIR/meta.json" "$out" $PROFILE
say "wrote $out in $(( $(date +%s) - t0 )) s"
