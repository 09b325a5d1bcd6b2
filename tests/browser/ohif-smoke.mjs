// Opens the OHIF viewer served by `archivum serve` in Debian's headless chromium:
//   1. the study list (/viewer/) must show the stored study (its patient, as OHIF lists the name);
//   2. the viewer (/viewer/viewer?StudyInstanceUIDs=…) must paint the image: a viewport canvas
//      whose pixels are not all one value.
// Screenshots of both go to OUT. Prints one line per check ("ok …" or "FAIL …"); exit code 1 if any failed.
// The browser signs in on the archive's login page as ARCHIVUM_USER / ARCHIVUM_PASSWORD (the
// environment), as a person would; the viewer's DICOMweb requests then carry the session cookie.
// Usage: node ohif-smoke.mjs BASE-URL STUDY-UID PATIENT-AS-LISTED OUT-FOLDER
import { chromium } from 'playwright-core';

const [base, studyUid, patientId, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // What Debian's chromium needs headless here (no sandbox as root, no GPU), and WebGL through SwiftShader.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'],
});
let failed = false;
const report = (ok, what) => { console.log(`${ok ? 'ok' : 'FAIL'} ${what}`); failed ||= !ok; };
try {
  const user = process.env.ARCHIVUM_USER;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', e => console.log(`page error: ${e}`));
  page.on('response', async r => {
    if (r.status() >= 400) console.log(`HTTP ${r.status()} ${r.request().method()} ${r.url()} (Accept: ${r.request().headers()['accept']})`);
  });

  await page.goto(`${base}/viewer/`, { waitUntil: 'domcontentloaded' });
  if (user) {
    // Sent to the login page first; signing in brings the browser back to the viewer.
    report(page.url().includes('/login?returnUrl='), `an unsigned browser is sent to the login page (${page.url()})`);
    await page.fill('#user', user);
    await page.fill('#password', process.env.ARCHIVUM_PASSWORD ?? '');
    await Promise.all([page.waitForURL(u => u.pathname.startsWith('/viewer'), { timeout: 30_000 }), page.click('button[type=submit]')]);
    report(new URL(page.url()).pathname === '/viewer/', `signed in, back at the viewer (${page.url()})`);
  }
  const listed = await page.getByText(patientId, { exact: false }).first().waitFor({ timeout: 60_000 }).then(() => true, () => false);
  await page.screenshot({ path: `${out}/study-list.png` });
  report(listed, `study list shows the patient "${patientId}"`);

  await page.goto(`${base}/viewer/viewer?StudyInstanceUIDs=${studyUid}`, { waitUntil: 'domcontentloaded' });
  let painted = { distinct: 0, lit: 0, total: 0 };
  for (let attempt = 0; attempt < 60 && painted.distinct < 16; attempt++) {
    await page.waitForTimeout(1000);
    painted = await page.evaluate(() => {
      let best = { distinct: 0, lit: 0, total: 0 };
      for (const canvas of document.querySelectorAll('canvas')) {
        if (canvas.width < 64 || canvas.height < 64) continue;
        const context = canvas.getContext('2d');
        if (!context) continue;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const values = new Set();
        let lit = 0;
        for (let i = 0; i < data.length; i += 4) {
          const luminance = (data[i] + data[i + 1] + data[i + 2]) / 3;
          if (luminance > 10) lit++;
          values.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
        }
        if (values.size > best.distinct) best = { distinct: values.size, lit, total: data.length / 4 };
      }
      return best;
    });
  }
  await page.screenshot({ path: `${out}/viewer.png` });
  report(painted.distinct >= 16 && painted.lit > painted.total / 100,
    `viewport painted: ${painted.distinct} distinct colours, ${painted.lit} of ${painted.total} pixels lit`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
