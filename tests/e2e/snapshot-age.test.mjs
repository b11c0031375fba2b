// The ip-ranges line says, as text, why the live file is not in use and how old the copy in use
// is: the bundled snapshot ages in every team's copy of the page until it is rebuilt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, decode, SEED, WAIT, BUNDLED_DATE } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const created = (date) => {
  const [y, mo, d, h, mi, s] = date.split('-').map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
};

test('the bundled snapshot used because the live file failed: both said as text, with its age', async () => {
  const now = created(BUNDLED_DATE) + 100.5 * 86_400_000;
  const { page, errors } = await open(env, { live: 'abort', route: (p) => p.clock.setFixedTime(new Date(now)) });
  await decode(page, SEED, /1 record/);
  await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'bundled', null, { timeout: WAIT });
  const note = page.locator('#ipranges-note');
  await note.waitFor({ state: 'visible', timeout: WAIT });
  const text = await note.textContent();
  assert.match(text, /The live file could not be loaded/);
  assert.match(text, /This copy of AWS’s ranges is 100 days old/);
  await page.selectOption('#lang', 'ja');
  await page.waitForFunction(() => /100 日前/.test(document.getElementById('ipranges-note').textContent), null, { timeout: WAIT });
  assert.deepEqual(errors, []);
});

test('a fresh copy says nothing more', async () => {
  const now = created(BUNDLED_DATE) + 3 * 86_400_000;
  const { page, errors } = await open(env, { live: 'same', route: (p) => p.clock.setFixedTime(new Date(now)) });
  await decode(page, SEED, /1 record/);
  await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'live', null, { timeout: WAIT });
  assert.equal(await page.locator('#ipranges-note').isHidden(), true);
  assert.deepEqual(errors, []);
});
