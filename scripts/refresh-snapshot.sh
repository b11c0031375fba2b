#!/usr/bin/env bash
# Replaces the bundled AWS ip-ranges snapshot (www/data/ip-ranges.json) with AWS's current file,
# after checking it: the CLI must accept it (`flowlens --ip-ranges FILE`, the checks the page makes
# of a user's file: JSON of AWS's shape, no prefix wider than AWS ever lists) and decode the seed
# record with it; its createDate must be a date, not older than the snapshot's. Then writes
# www/precache.js again (the snapshot is part of the build the service worker caches).
# The Pages workflow runs it before each build (a weekly schedule too), so a team's copy never ages
# more than a week. Nothing changes, and the script says why, when:
#   - www/data/ip-ranges.pinned exists (a team that wants a fixed snapshot commits that file), or
#   - the download or a check fails (the snapshot in the repository stays in use).
# Usage: scripts/refresh-snapshot.sh [URL_OR_FILE]   (default: AWS's URL; a file, for tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
src="${1:-https://ip-ranges.amazonaws.com/ip-ranges.json}"
snapshot=www/data/ip-ranges.json
say() { printf '[refresh-snapshot] %s\n' "$*"; }
keep() { say "kept the snapshot in the repository: $*"; [ -n "${GITHUB_ACTIONS:-}" ] && echo "::warning::ip-ranges snapshot not refreshed: $*"; exit 0; }

[ -e www/data/ip-ranges.pinned ] && keep "pinned (www/data/ip-ranges.pinned)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$src" ]; then
  cp "$src" "$tmp/ip-ranges.json"
else
  curl -fsSL --retry 3 --max-time 60 -o "$tmp/ip-ranges.json" "$src" || keep "download of $src failed"
fi
date_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8-sig"))["createDate"])' "$1" 2>/dev/null || true; }
new=$(date_of "$tmp/ip-ranges.json")
old=$(date_of "$snapshot")
[[ "$new" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}$ ]] || keep "no createDate in the new file"
[[ "$new" < "$old" ]] && keep "the new file ($new) is older than the snapshot ($old)"
cargo build --release --quiet --bin flowlens
out=$(./target/release/flowlens --ip-ranges "$tmp/ip-ranges.json" tests/data/seed.log 2>&1) || keep "flowlens refused it: $out"
grep -q "15.152.63.145 (AWS" <<<"$out" || keep "the seed record's AWS address was not recognised with it"
cp "$tmp/ip-ranges.json" "$snapshot"
say "www/data/ip-ranges.json: createDate $old -> $new"
if [ -d www/pkg ]; then node scripts/precache.mjs; fi
