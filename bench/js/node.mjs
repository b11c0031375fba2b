// The JavaScript-engine measurements in Node: loads bench/pkg (built with wasm-pack --target web)
// synchronously and runs suite.mjs. Usage: node bench/js/node.mjs DATA RANGES [--reps N] [--lookups N]
// Prints one JSON object per measurement on stdout.
import { readFileSync } from 'node:fs';
import * as mod from '../pkg/flowlens_bench_wasm.js';
import { runSuite } from './suite.mjs';

const [data, ranges] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
mod.initSync({ module: readFileSync(new URL('../pkg/flowlens_bench_wasm_bg.wasm', import.meta.url)) });
const rows = runSuite({
  engine: 'node',
  mod,
  data: new Uint8Array(readFileSync(data)),
  rangesText: readFileSync(ranges, 'utf8'),
  reps: opt('--reps', 3),
  lookups: opt('--lookups', 1_000_000),
  log: (s) => console.error(`[node] ${s}`),
});
for (const r of rows) console.log(JSON.stringify(r));
