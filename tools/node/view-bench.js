// Times drawing flow pages in headless Chromium: for each page, the median over fresh tabs of
// the time from navigation start to two animation frames after `load` (laid out and painted).
// Usage: node view-bench.js RUNS PAGE.html...   (`cargo bench -p switchboard-view --bench page`
// runs it on the pages it writes.)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

(async () => {
  const [runsArg, ...pages] = process.argv.slice(2);
  const runs = Number(runsArg) || 10;
  if (pages.length === 0) {
    console.error('usage: node view-bench.js RUNS PAGE.html...');
    process.exit(2);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-view-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  for (const file of pages) {
    const times = [];
    // One tab first, not counted: Chromium's own start-up.
    for (let i = 0; i <= runs; i++) {
      const page = await context.newPage();
      await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
      const ms = await page.evaluate(() => new Promise((done) =>
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))));
      const nodes = await page.$$eval('[data-state]', (els) => els.length);
      if (i > 0) times.push(ms);
      await page.close();
      if (i === runs) {
        times.sort((a, b) => a - b);
        console.log(`${path.basename(file)}: ${nodes} states drawn in ${times[Math.floor(times.length / 2)].toFixed(0)} ms in headless Chromium (median of ${runs} tabs; best ${times[0].toFixed(0)} ms, worst ${times[times.length - 1].toFixed(0)} ms)`);
      }
    }
  }
  await context.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
