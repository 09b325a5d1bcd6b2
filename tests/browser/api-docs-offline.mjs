// Opens the API documentation page of `archivum serve` (/api/docs) in Debian's headless chromium
// and records every request the page makes: hospitals run offline, so each must go to the archive
// itself. Also checks that the page renders the API and shows no button that needs the internet
// ("Ask AI", "Generate SDK", "Deploy"). Prints one line per check ("ok …" or "FAIL …", and each
// outside request); exit code 1 if any failed.
// Usage: node api-docs-offline.mjs BASE-URL
import { chromium } from 'playwright-core';

const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
const report = (ok, what) => { console.log(`${ok ? 'ok' : 'FAIL'} ${what}`); failed ||= !ok; };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const outside = [];
  const origin = new URL(base).origin;
  page.on('request', r => { const url = r.url(); if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url); });
  await page.goto(`${base}/api/docs`, { waitUntil: 'domcontentloaded' });
  const rendered = await page.getByText('Archivum administration API', { exact: false }).first().waitFor({ timeout: 60_000 }).then(() => true, () => false);
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  report(rendered, 'the page renders the API document');
  for (const url of outside) console.log(`outside request: ${url}`);
  report(outside.length === 0, `no request leaves the archive (${outside.length} did)`);
  const text = await page.locator('body').innerText();
  for (const online of ['Ask AI', 'Generate SDK', 'Deploy']) report(!text.includes(online), `no "${online}" button`);
} catch (e) {
  report(false, `${e}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
