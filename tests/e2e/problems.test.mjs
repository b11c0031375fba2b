// Problems belong to fields (issue 15): a pasted line with a redacted account, interface and
// address is still a record; the page marks the record and each field whose value does not fit,
// with the sentence as text, in English and Japanese, and the counts say how many records have
// problems. The sentence and the ports are still there. A screenshot goes to tests/e2e/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, decode, fullShot, open, shown, start, stop } from './harness.mjs';

const REDACTED = '2 XXXXXXXXXXXX eni-0xxxxxxxxxxxx 10.0.x.x 52.95.128.179  49152 443 6 10 840 1620000000 1620000060 ACCEPT OK';
const CLEAN = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const article = (page, line) => page.locator(`#results article.record[data-line="${line}"]`);

describe('records with problems', () => {
  test('a redacted line is a record: marked, explained, counted', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, `${REDACTED}\n${CLEAN}`, /^2 records \(1 with problems\)/);
      const a = article(page, 1);
      assert.equal(await a.getAttribute('data-problems'), '3');
      assert.match(await a.getAttribute('class'), /\bhas-problems\b/);
      // The sentence and the ports are still there.
      assert.match(await shown(a.locator('.summary')), /from port 49152 to HTTPS \(443\) at 52\.95\.128\.179/);
      assert.equal(await shown(a.locator('tr[data-key="dstport"] td.raw code')), '443');
      // The record's problems, as text, in field order.
      const items = a.locator('.problems li');
      assert.equal(await items.count(), 3);
      assert.deepEqual(
        await items.evaluateAll((li) => li.map((x) => [x.dataset.field, x.dataset.code])),
        [['account-id', 'redacted'], ['interface-id', 'redacted'], ['srcaddr', 'redacted']],
      );
      assert.match(await shown(items.nth(0)), /^⚠ Note: account-id `XXXXXXXXXXXX`: redacted/);
      assert.match(await shown(items.nth(2)), /What is left, 10\.0\.0\.0\/16, is private \(RFC 1918\)/);
      // Each field's row is marked, its marker labelled for readers.
      const row = a.locator('tr[data-key="srcaddr"]');
      assert.match(await row.getAttribute('class'), /\bproblem\b/);
      assert.equal(await row.getAttribute('data-problem'), 'redacted');
      assert.equal(await row.locator('.problem-mark').getAttribute('aria-label'), 'Note');
      assert.match(await shown(row.locator('td.text')), /^srcaddr `10\.0\.x\.x`: redacted/);
      // The raw line is the line as given (the double space kept).
      assert.equal(await row.locator('td.raw code').textContent(), '10.0.x.x');
      // The clean record has none.
      assert.equal(await article(page, 2).locator('.problems').count(), 0);
      assert.equal(await article(page, 2).locator('tr.problem').count(), 0);
      assert.equal(await page.locator('#counts').getAttribute('data-problems'), '1');
      await fullShot(page, join(OUT, 'problems-en.png'));

      // In Japanese.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => /うち問題のあるもの 1 件/.test(document.getElementById('counts').textContent));
      await page.waitForFunction(() => /^⚠ 注記: account-id `XXXXXXXXXXXX`: 伏せ字/.test(
        document.querySelector('#results article.record[data-line="1"] .problems li')?.textContent || ''));
      assert.equal(await article(page, 1).locator('tr[data-key="srcaddr"] .problem-mark').getAttribute('aria-label'), '注記');
      await fullShot(page, join(OUT, 'problems-ja.png'));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the filter finds them', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, `${REDACTED}\n${CLEAN}\n${CLEAN.replace(' 22 ', ' 70000 ')}`, /^3 records \(2 with problems\)/);
      await page.fill('#filter', 'problem');
      await page.press('#filter', 'Enter');
      await page.waitForFunction(() => /2 records of 3 match/.test(document.getElementById('filter-status').textContent));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
