#!/usr/bin/env bash
# Builds the downloadable copies of the page (README "Download"):
#   dist/flowlens-site-<version>.zip  the site (www/ as built), for any static server
#   dist/flowlens.html                the single-file build, which works from disk (file://)
# Usage: scripts/release.sh [--no-build] [OUT_DIR]   (--no-build: use www/pkg/ as it is built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
out="${1:-dist}"
if [ "$build" = 1 ]; then ./scripts/build.sh; else node scripts/precache.mjs; fi
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
mkdir -p "$out"
out=$(cd "$out" && pwd)
zip="$out/flowlens-site-$version.zip"
rm -f "$zip" "$out/flowlens.html"
# The site in a folder of its own; wasm-pack's leftovers beside the module are not part of it.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R www "$stage/flowlens-site-$version"
rm -f "$stage/flowlens-site-$version/pkg/.gitignore" "$stage/flowlens-site-$version/pkg/package.json" "$stage/flowlens-site-$version/pkg/README.md"
(cd "$stage" && python3 -m zipfile -c "$zip" "flowlens-site-$version")
node scripts/single-file.mjs www "$out/flowlens.html"
for f in "$zip" "$out/flowlens.html"; do
  printf '[release] %s: %s bytes\n' "$f" "$(wc -c < "$f")"
done
