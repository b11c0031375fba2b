import { readFileSync } from 'node:fs';
import { start, stop, open, decode, WAIT } from './harness.mjs';
const env = await start();
try {
  const { page, errors } = await open(env);
  const docs = readFileSync(new URL('../data/aws-docs-examples.log', import.meta.url), 'utf8');
  await decode(page, docs, /7 records/);
  await page.waitForSelector('#explore:not([hidden])', { timeout: WAIT });
  await page.screenshot({ path: '/tmp/shots/1.png', fullPage: false });
  await page.fill('#filter', 'action=REJECT');
  await page.press('#filter', 'Enter');
  await page.waitForFunction(() => document.getElementById('explore').dataset.count === '2', null, { timeout: WAIT });
  await page.locator('#record-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#record-detail article', { timeout: WAIT });
  await page.locator('#explore').screenshot({ path: '/tmp/shots/2a.png' });
  await page.locator('#records-section').screenshot({ path: '/tmp/shots/2b.png' });
  await page.fill('#filter', 'dstport = (');
  await page.press('#filter', 'Enter');
  await page.waitForTimeout(500);
  await page.locator('#explore').screenshot({ path: '/tmp/shots/3.png' });
  console.log('status', await page.textContent('#filter-status'));
  console.log('errors', errors);
} finally { await stop(env); }
