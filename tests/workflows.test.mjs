// The GitHub workflows cannot run here; their shape is checked instead (README "Host it for your
// team"): Pages tests before it deploys, refreshes the snapshot on a weekly schedule; CI tests every
// push and pull request; Release tests, then builds scripts/release.sh's copies.
// Run: node --test tests/workflows.test.mjs (scripts/test.sh runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';

/**
 * Reads the YAML the workflows are written in (no dependency): block mappings and sequences,
 * `- key: value` items, flow sequences `[a, b]`, quoted and plain scalars, `|` block scalars,
 * comments. Throws on what it does not know, so that a workflow it misreads fails the test.
 */
export function readYaml(text) {
  const lines = [];
  for (const raw of text.split('\n')) {
    lines.push({ indent: raw.length - raw.trimStart().length, text: raw.trim(), raw });
  }
  let i = 0;
  const skip = () => {
    while (i < lines.length && (lines[i].text === '' || lines[i].text.startsWith('#'))) i++;
  };
  const stripComment = (s) => {
    let q = null;
    for (let k = 0; k < s.length; k++) {
      const c = s[k];
      if (q) {
        if (c === q) q = null;
      } else if (c === '"' || c === "'") q = c;
      else if (c === '#' && (k === 0 || s[k - 1] === ' ')) return s.slice(0, k).trimEnd();
    }
    return s;
  };
  const scalar = (s) => {
    s = stripComment(s).trim();
    if (s === '') return null;
    if (s.startsWith('[')) {
      if (!s.endsWith(']')) throw new Error(`unreadable flow sequence: ${s}`);
      const inner = s.slice(1, -1).trim();
      return inner === '' ? [] : inner.split(',').map((x) => scalar(x));
    }
    if (s.startsWith('{')) throw new Error(`flow mappings are not read: ${s}`);
    if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return s.slice(1, -1);
    if (s === 'true' || s === 'false') return s === 'true';
    if (/^-?\d+$/.test(s)) return Number(s);
    return s;
  };
  const blockScalar = (indent) => {
    const out = [];
    while (i < lines.length && (lines[i].text === '' || lines[i].indent > indent)) {
      out.push(lines[i].raw);
      i++;
    }
    const min = Math.min(...out.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    return `${out.map((l) => l.slice(min)).join('\n').trimEnd()}\n`;
  };
  // `key: rest` at `indent`: the value is rest, a block scalar, or a nested block below.
  const keyValue = (rest, indent) => {
    const v = stripComment(rest).trim();
    if (v === '|' || v === '>') return blockScalar(indent);
    if (v !== '') return scalar(v);
    skip();
    if (i < lines.length && (lines[i].indent > indent || (lines[i].indent === indent && lines[i].text.startsWith('- ')))) {
      return block(lines[i].indent);
    }
    return null;
  };
  const KEY = /^("[^"]*"|'[^']*'|[^\s:'"][^:]*?):(\s|$)(.*)$/;
  function block(indent) {
    skip();
    if (lines[i].text.startsWith('- ') || lines[i].text === '-') {
      const seq = [];
      while (i < lines.length) {
        skip();
        if (i >= lines.length || lines[i].indent !== indent || !lines[i].text.startsWith('-')) break;
        const item = lines[i].text.slice(1).trim();
        const m = KEY.exec(item);
        if (m) {
          // A mapping item: its first key on the dash's line, the others below at its column.
          const col = indent + lines[i].raw.slice(indent).indexOf(item);
          lines[i] = { indent: col, text: item, raw: ' '.repeat(col) + item };
          seq.push(mapping(col));
        } else {
          i++;
          seq.push(scalar(item));
        }
      }
      return seq;
    }
    return mapping(indent);
  }
  function mapping(indent) {
    const map = {};
    while (i < lines.length) {
      skip();
      if (i >= lines.length || lines[i].indent !== indent) break;
      if (lines[i].text.startsWith('- ')) break;
      const m = KEY.exec(lines[i].text);
      if (!m) throw new Error(`unreadable line ${i + 1}: ${lines[i].raw}`);
      i++;
      const key = scalar(m[1]);
      map[key] = keyValue(m[3], indent);
    }
    if (i < lines.length && lines[i].indent > indent && lines[i].text !== '') throw new Error(`unexpected indent at line ${i + 1}: ${lines[i].raw}`);
    return map;
  }
  skip();
  return block(0);
}

const workflow = (name) => readYaml(readFileSync(new URL(`../.github/workflows/${name}`, import.meta.url), 'utf8'));
// YAML reads a bare `on:` key as the string 'on'.
const triggers = (wf) => wf.on;
const needsOf = (job) => [].concat(job.needs ?? []);
// Every job `name` waits for, directly or not.
function before(jobs, name, seen = new Set()) {
  for (const n of needsOf(jobs[name])) {
    if (!seen.has(n)) {
      seen.add(n);
      before(jobs, n, seen);
    }
  }
  return seen;
}
const runs = (job) => (job.steps || []).map((s) => s.run || '').join('\n');
const uses = (job) => (job.steps || []).map((s) => s.uses || '').filter(Boolean);

test('the YAML reader reads what the workflows use, and refuses what it does not know', () => {
  const y = readYaml(`# c\na:\n  b: [x, 'y z']\n  c: |\n    one\n    two\n  d:\n    - e: 1\n      f: "g # h" # i\n    - plain\n`);
  assert.deepEqual(y, { a: { b: ['x', 'y z'], c: 'one\ntwo\n', d: [{ e: 1, f: 'g # h' }, 'plain'] } });
  assert.throws(() => readYaml('a: {b: 1}\n'));
});

test('Pages: the tests run before the deploy; the snapshot is refreshed before the build; weekly', () => {
  const wf = workflow('pages.yml');
  const on = triggers(wf);
  assert.deepEqual(on.push.branches, ['main']);
  assert.ok(Array.isArray(on.schedule) && on.schedule.length === 1, 'a schedule');
  const cron = on.schedule[0].cron.split(/\s+/);
  assert.equal(cron.length, 5);
  assert.match(cron[4], /^[0-6]$/, 'once a week (a day of the week)');
  assert.equal(cron[2], '*');
  assert.ok('workflow_dispatch' in on);
  const { jobs } = wf;
  const deploy = Object.keys(jobs).find((n) => uses(jobs[n]).some((u) => u.startsWith('actions/deploy-pages@')));
  assert.ok(deploy, 'a deploy job');
  const tester = Object.keys(jobs).find((n) => /(^|\n)\.\/scripts\/test\.sh(\s|$)/.test(runs(jobs[n])));
  assert.ok(tester, 'a job runs ./scripts/test.sh');
  assert.ok(before(jobs, deploy).has(tester), `${deploy} waits for ${tester}`);
  const builder = Object.keys(jobs).find((n) => uses(jobs[n]).some((u) => u.startsWith('actions/upload-pages-artifact@')));
  assert.ok(before(jobs, builder).has(tester), 'the site is built after the tests');
  assert.ok(before(jobs, deploy).has(builder));
  const steps = jobs[builder].steps.map((s) => s.run || s.uses || '');
  const at = (re) => steps.findIndex((s) => re.test(s));
  assert.ok(at(/scripts\/refresh-snapshot\.sh/) >= 0, 'the snapshot is refreshed');
  assert.ok(at(/scripts\/refresh-snapshot\.sh/) < at(/scripts\/build\.sh/), 'before the build (whose precache lists it)');
  assert.ok(at(/scripts\/build\.sh/) < at(/^actions\/upload-pages-artifact@/));
  assert.ok(at(/scripts\/release\.sh/) >= 0, 'the downloadable copies are built');
  assert.equal(jobs[builder].steps.find((s) => /upload-pages-artifact/.test(s.uses || '')).with.path, 'www');
  assert.equal(wf.permissions.pages, 'write');
  assert.equal(wf.permissions['id-token'], 'write');
});

test('CI: the tests on every push and pull request', () => {
  const wf = workflow('ci.yml');
  const on = triggers(wf);
  assert.ok('push' in on && 'pull_request' in on);
  assert.equal(on.push, null, 'every branch');
  assert.ok(Object.values(wf.jobs).some((j) => /(^|\n)\.\/scripts\/test\.sh(\s|$)/.test(runs(j))));
});

test('Release: the tests, then scripts/release.sh, its files attached to a tag v*', () => {
  const wf = workflow('release.yml');
  assert.deepEqual(triggers(wf).push.tags, ['v*']);
  const { jobs } = wf;
  const tester = Object.keys(jobs).find((n) => /\.\/scripts\/test\.sh/.test(runs(jobs[n])));
  const releaser = Object.keys(jobs).find((n) => /\.\/scripts\/release\.sh/.test(runs(jobs[n])));
  assert.ok(tester && releaser && before(jobs, releaser).has(tester));
  assert.match(runs(jobs[releaser]), /gh release create .*dist\//);
  assert.equal(wf.permissions.contents, 'write');
});

test('the scripts the workflows run exist and are executable', () => {
  for (const name of ['test.sh', 'build.sh', 'release.sh', 'refresh-snapshot.sh']) {
    assert.ok(statSync(new URL(`../scripts/${name}`, import.meta.url)).mode & 0o111, `scripts/${name} is executable`);
  }
});
