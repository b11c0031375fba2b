import { start, stop, open, decode, WAIT, SEED } from './harness.mjs';
const env = await start();
try {
  const { page, errors, requests } = await open(env); page.on('console', m => console.log('console:', m.type(), m.text()));
  await page.waitForTimeout(3000); console.log('status', await page.textContent('#status'), errors);
  const ws = page.workers();
  console.log('workers', ws.length, ws.map(w => w.url()));
  for (const w of ws) {
    console.log(await w.evaluate(async () => {
      let ev; try { ev = eval('1+1'); } catch (e) { ev = 'blocked: ' + e.name; }
      let f; try { await fetch('https://example.com/x'); f = 'sent'; } catch (e) { f = 'refused: ' + e.message; }
      return { ev, f };
    }));
  }
  console.log(requests.filter(r => r.url().includes('example.com')).length, 'requests to example.com');
  console.log('errors', errors);
} finally { await stop(env); }
