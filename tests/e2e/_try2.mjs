import { readFileSync } from 'node:fs';
import { start, stop, open, decode, WAIT } from './harness.mjs';
const env = await start();
try {
  const { page, errors } = await open(env);
  const docs = readFileSync(new URL('../data/aws-docs-examples.log', import.meta.url), 'utf8');
  await decode(page, docs, /7 records/);
  await page.fill('#filter', 'dstport in (22, 3389');
  await page.press('#filter', 'Enter');
  await page.waitForTimeout(1000);
  console.log(await page.textContent('#filter-status'));
  await page.fill('#filter', 'srcaddr = 10.0.0.1 and colour = red');
  await page.press('#filter', 'Enter');
  await page.waitForTimeout(1000);
  console.log(JSON.stringify(await page.textContent('#filter-status mark')), await page.$eval('#filter', (b) => [b.selectionStart, b.selectionEnd]));
  console.log('errors', errors);
} finally { await stop(env); }
