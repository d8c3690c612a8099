// Writes the README's pictures (docs/images/): the business app's page fitted to a 1,600 px
// window, and a simulated call on it stepped to its last step. Regenerate them with
//   tools/readme-images.sh
// which compiles the flows, simulates the call, then runs this with Debian's chromium.
// Usage: node tools/node/readme-images.js GRAPH_PAGE CALL_PAGE OUT_DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [graphPage, callPage, outDir] = process.argv.slice(2);
if (!graphPage || !callPage || !outDir) {
  console.error('usage: node tools/node/readme-images.js GRAPH_PAGE CALL_PAGE OUT_DIR');
  process.exit(2);
}
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-readme-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto('file://' + path.resolve(graphPage));
    await page.click('#fit');
    await page.screenshot({ path: path.join(outDir, 'business-phone.png'), fullPage: true });
    await page.goto('file://' + path.resolve(callPage));
    await page.keyboard.press('End');
    await page.screenshot({ path: path.join(outDir, 'business-phone-call.png') });
    if (errors.length) throw new Error('the pages logged errors: ' + errors.join('; '));
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
