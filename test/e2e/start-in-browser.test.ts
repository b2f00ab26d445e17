/**
 * As a new user on a machine without the Electron binary: `npm start` (here: the built `tally start`) says so in one
 * line and serves the console; the printed URL opens in Chromium; the demo plant's hosts are listed with live CPU;
 * the wall view renders. Screenshots are kept in test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { startTally, type TallyProcess } from '../helpers/tally-process';

const DEMO_HOSTS = ['tc-1', 'tc-2', 'tc-reserve', 'origin-1', 'origin-2', 'archive-a', 'archive-b'];

describe('npm start without Electron, in a browser', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-'));
  let tally: TallyProcess;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync('out/cli/tally.mjs') && existsSync('out/renderer/index.html'), 'run npm run build first (npm test does)');
    // No display and no Electron binary here: start must fall back to serving for a browser.
    tally = await startTally(['start', '--port', '0'], { TALLY_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await tally?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says in one line why there is no desktop app, then prints the URLs', () => {
    assert.match(tally.lines[0]!, /^Desktop app unavailable \(.+\); serving the same console for a browser instead\.$/);
    assert.match(tally.deskUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    assert.match(tally.wallUrl, /^http:\/\/127\.0\.0\.1:\d+\/wall\?token=/);
  });

  it('lists the demo plant with live CPU on the desk', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(tally.deskUrl);
    // The start of a shift: the desk asks who is at it before anything else (operator-experience.test.ts covers it).
    await page.getByLabel('your name').fill('Ana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const name of DEMO_HOSTS) await page.locator(`tr[data-host="${name}"] .badge`).waitFor({ timeout: 20_000 });
    await page.locator('tr[data-host="tc-1"] .badge[data-state="ok"]').waitFor({ timeout: 20_000 });
    const cpuCell = page.locator('tr[data-host="tc-1"] td[data-metric="cpu"]');
    await cpuCell.locator('.metric-value', { hasText: /^\d+%$/ }).waitFor({ timeout: 10_000 });
    // Live: the sparkline grows as heartbeats arrive.
    const points = async () => ((await cpuCell.locator('polyline').getAttribute('points').catch(() => '')) ?? '').split(' ').filter(Boolean).length;
    await page.waitForFunction(() => document.querySelector('tr[data-host="tc-1"] td[data-metric="cpu"] polyline') !== null, null, { timeout: 10_000 });
    const before = await points();
    await page.waitForTimeout(2500);
    assert.ok((await points()) > before, 'the CPU sparkline got new samples');
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token is taken out of the address bar');

    await page.click('tr[data-host="tc-1"]');
    await page.locator('.host-detail h2', { hasText: 'tc-1' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk.png') });

    await page.click('text=+ Add host');
    await page.click('button[type="submit"]');
    assert.equal(await page.locator('.field-error').count(), 3, 'name, address and token are flagged field by field');
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-add-host-errors.png') });
    await page.click('text=Cancel');

    // The timers are editable, and the panel says what they imply before anything is saved.
    await page.click('button:has-text("Settings")');
    const implied = page.locator('.implied');
    assert.match(await implied.innerText(), /declared down at most 2\.8 s after its last heartbeat; a pause shorter than 2\.2 s can never fail a host over/);
    const suspect = page.getByLabel('Suspect after (ms)');
    await suspect.fill('300');
    await page.click('.modal button:has-text("Save")');
    await page.locator('.field-error', { hasText: 'suspect after at least two missed heartbeats' }).waitFor();
    await suspect.fill('1500');
    assert.match(await implied.innerText(), /at most 3\.1 s/);
    await page.click('.modal button:has-text("Save")');
    await page.locator('.saved').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-settings.png') });
    await page.click('.modal button:has-text("Close")');
    await page.locator('.journal li', { hasText: 'changed settings: health, wall' }).waitFor();
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it('renders the wall for a viewer: tiles, clock, banner', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(tally.wallUrl);
    for (const name of DEMO_HOSTS) await page.locator(`.tile[data-host="${name}"]`).waitFor({ timeout: 20_000 });
    // The demo plant grows as rooms are added: the banner must count every host it shows, whatever their number.
    const banner = await page.locator('.wall-banner-ok', { hasText: /All \d+ hosts OK/ }).innerText({ timeout: 20_000 });
    const hosts = await page.evaluate(async () => (await fetch('/api/query/hosts.list', { method: 'POST', headers: { authorization: `Bearer ${sessionStorage.getItem('tally.token')}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json())) as { value: unknown[] });
    assert.match(banner, new RegExp(`All ${hosts.value.length} hosts OK`));
    assert.match(await page.locator('.clock-utc').innerText(), /^\d\d:\d\d:\d\d UTC$/);
    const nameSize = await page.locator('.tile-name').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(nameSize >= 36, `tile names are readable from across a room (${nameSize}px at 1080p)`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wall.png') });
    await page.close();
  });
});
