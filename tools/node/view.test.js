// The flow pages in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// the business app's page loads with no console error and no request, has one node per state,
// links each to its Rust file:line, and a recorded call steps through its states in order with
// the → key. Screenshots are kept in target/view-test/: the business app at its own size
// (business-phone.png) and fitted to a 1600 px window (business-phone-fit.png), and a step of
// the recorded call (business-phone-call.png).
//
// Run: node --test tools/node/view.test.js   (test.sh does, after `compile --check`)
// Pages: dist/business-phone.html as compiled, and the call of
// view/tests/fixtures/business-phone-voicemail.history.json written by `cargo run --bin view`.
// VIEW_TEST_PAGE=FILE checks FILE instead of dist/business-phone.html (to try a broken page).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'target', 'view-test');
const definition = path.join(root, 'dist', 'business-phone.asl.json');
const businessPage = process.env.VIEW_TEST_PAGE
  ? path.resolve(process.env.VIEW_TEST_PAGE)
  : path.join(root, 'dist', 'business-phone.html');
const fixture = path.join(root, 'view', 'tests', 'fixtures', 'business-phone-voicemail.history.json');
const callPage = path.join(out, 'business-phone-call.html');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let context;

test.before(async () => {
  fs.mkdirSync(out, { recursive: true });
  const cargo = process.env.CARGO || 'cargo';
  execFileSync(cargo, ['run', '--quiet', '--bin', 'view', '--', '--flow', definition,
    '--history', fixture, '--out', callPage], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-view-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1600, height: 1000 },
  });
});

test.after(async () => {
  if (context) await context.close();
});

/** Opens `file`, recording console errors, page errors and every request but the page's own. */
async function open(file) {
  const page = await context.newPage();
  const problems = [];
  const url = 'file://' + file;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** Every state name of the definition, nested ones included. */
function stateNames(states) {
  const names = [];
  for (const [name, s] of Object.entries(states)) {
    names.push(name);
    for (const b of s.Branches || []) names.push(...stateNames(b.States));
    for (const p of [s.ItemProcessor, s.Iterator]) if (p) names.push(...stateNames(p.States));
  }
  return names;
}

/** The top-level states of the definition, with their Comment's `path:line`. */
function sources(states) {
  const out = {};
  for (const [name, s] of Object.entries(states)) {
    const m = /^(\S+):(\d+)( — |$)/.exec(s.Comment || '');
    if (m) out[name] = { file: m[1], line: m[2] };
  }
  return out;
}

const asl = JSON.parse(fs.readFileSync(definition, 'utf8'));

test('the business app page loads with no console error and no request', async () => {
  const { page, problems } = await open(businessPage);
  await page.waitForTimeout(200);
  assert.deepEqual(problems, []);
  fs.mkdirSync(out, { recursive: true });
  // "Fit to window" shows the whole drawing in the window's width, and back.
  const width = () => page.$eval('#drawing', (svg) => svg.getBoundingClientRect().width);
  const natural = await width();
  assert.ok(natural > 1600, `the business app is wider than the window (${natural} px)`);
  await page.click('#fit');
  assert.ok(await width() <= 1600, 'fits the window');
  await page.screenshot({ path: path.join(out, 'business-phone-fit.png'), fullPage: true });
  await page.click('#fit');
  assert.equal(await width(), natural);
  // The whole drawing at its own size: a window as wide as it.
  await page.setViewportSize({ width: Math.ceil(natural) + 40, height: 1000 });
  await page.screenshot({ path: path.join(out, 'business-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('one node per state', async () => {
  const { page } = await open(businessPage);
  const names = await page.$$eval('[data-state]', (els) => els.map((e) => e.getAttribute('data-state')));
  const expected = stateNames(asl.States);
  assert.equal(names.length, expected.length, 'one element with data-state per state');
  assert.deepEqual([...names].sort(), [...expected].sort());
  // Copies of end states are marked as copies, never as a second node of the state.
  const copies = await page.$$eval('.node.copy', (els) => els.map((e) => e.getAttribute('data-copy-of')));
  for (const c of copies) assert.ok(expected.includes(c), `copy of an unknown state ${c}`);
  await page.close();
});

test('links carry the right file:line', async () => {
  const { page } = await open(businessPage);
  const links = await page.$$eval('[data-state]', (els) => els.map((e) => {
    const a = e.querySelector('a.src');
    return [e.getAttribute('data-state'), a && a.getAttribute('href'), a && a.textContent];
  }));
  const src = sources(asl.States);
  assert.ok(Object.keys(src).length > 40, 'the compiled states name their source');
  for (const [name, href, text] of links) {
    const s = src[name];
    if (!s) {
      assert.equal(href, null, `${name} has no source but links somewhere`);
      continue;
    }
    // Opened from a file, the link names the file by its absolute path.
    assert.equal(href, `vscode://file${path.join(root, s.file)}:${s.line}`, name);
    const shown = `${s.file}:${s.line}`;
    const isEnd = ['Succeed', 'Fail'].includes(asl.States[name].Type);
    if (!isEnd) assert.ok(shown.endsWith(text.replace(/^…/, '')), `${name}: shows ${text}`);
  }
  await page.close();
});

/** The graph's name of a state a history names (deploy replaced its `${…}` placeholders). */
function graphName(name, names) {
  if (names.includes(name)) return name;
  return names.find((n) => {
    if (!n.includes('${')) return false;
    const re = new RegExp('^' + n.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+') + '$');
    return re.test(name);
  });
}

test('stepping with → through a recorded call lights its states in order', async () => {
  const history = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  const names = stateNames(asl.States);
  const expected = history.events
    .filter((e) => e.type.endsWith('StateEntered'))
    .map((e) => graphName(e.stateEnteredEventDetails.name, names));
  assert.equal(expected.length, 7);
  assert.ok(expected.every((n) => n), 'every state of the history is in the definition');

  const { page, problems } = await open(callPage);
  const current = () => page.$$eval('.node.current', (els) =>
    els.map((e) => e.getAttribute('data-state') || e.getAttribute('data-copy-of')));
  assert.deepEqual(await current(), [], 'nothing is lit before the first step');
  for (let i = 0; i < expected.length; i++) {
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await current(), [expected[i]], `step ${i + 1}`);
    assert.match(await page.textContent('#where'), new RegExp(`^Step ${i + 1} of ${expected.length}`));
  }
  // Past the end it stays at the last step; ← goes back.
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await current(), [expected[expected.length - 1]]);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await current(), [expected[expected.length - 2]]);
  // What the caller heard at the voicemail prompt, and the hang-up that ended the call.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('#step'), /The caller heard.*Sorry, nobody can take your call right now/s);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.textContent('#step'), /Error\s*HANGUP/);
  // The path taken is drawn: visited states and taken edges.
  const visited = await page.$$eval('.node.visited', (els) => els.length);
  assert.equal(visited, expected.length);
  assert.deepEqual(problems, []);
  await page.screenshot({ path: path.join(out, 'business-phone-call.png') });
  await page.close();
});
