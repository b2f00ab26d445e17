/**
 * As an operator on the demo plant (`tally start` in Chromium): the Origins tab shows the stream × origin matrix of
 * the two real nginx-rtmp origins, says what goes dark if one dies, and marks rule violations when the rule asks for
 * more; the Switches tab shows the lab snmpd's ports with traffic, the hosts' uplinks and the single points of failure
 * with their fix; a switch that does not answer SNMP shows as a state; removing anything asks first, naming it; the
 * wall rotates through the origins and switches pages. Screenshots are kept in test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { nginxRtmpMissing } from '../../agents/lab/origins-lab';
import { findSnmpd } from '../../agents/lab/switch-lab';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { startTally, type TallyProcess } from '../helpers/tally-process';

const skip = nginxRtmpMissing() ?? (findSnmpd() ? null : 'snmpd is not installed (apt package snmpd)');
if (skip) console.log(`# origins-switches e2e skipped: the demo has no origins or switch here: ${skip}`);

describe('origins and switches on the demo plant, in a browser', { skip: skip ?? false }, () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-net-'));
  let tally: TallyProcess;
  let browser: Browser;
  let desk: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync('out/cli/tally.mjs') && existsSync('out/renderer/index.html'), 'run npm run build first (npm test does)');
    tally = await startTally(['start', '--port', '0'], { TALLY_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' });
    browser = await launchChromium();
    desk = await browser.newPage({ viewport: { width: 1600, height: 950 } });
    desk.on('pageerror', (e) => pageErrors.push(e.message));
    await desk.goto(tally.deskUrl);
    const signIn = desk.getByRole('dialog', { name: 'Start of shift' });
    await signIn.waitFor({ timeout: 20_000 });
    await signIn.getByLabel('your name').fill('Nadia Network');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.waitFor({ state: 'detached' });
  });

  after(async () => {
    await browser?.close();
    await tally?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('renders the stream × origin matrix with live cells, and what goes dark if an origin dies', async () => {
    await desk.click('a[data-tab="origins"]');
    const matrix = desk.locator('table[data-matrix="origins"]');
    for (const origin of ['origin-1', 'origin-2']) await matrix.locator(`th[data-origin="${origin}"] .badge[data-state="OK"]`).waitFor({ timeout: 30_000 });
    const news = matrix.locator('tr[data-stream="live/news"]');
    for (const origin of ['origin-1', 'origin-2']) {
      await news.locator(`td[data-origin="${origin}"][data-cell="live"]`, { hasText: /in \d+ kbit\/s/ }).waitFor({ timeout: 30_000 });
    }
    assert.match(await news.locator('td').nth(1).innerText(), /OK 2\/2/);
    const music = matrix.locator('tr[data-stream="live/music"]');
    await music.locator('td[data-origin="origin-2"][data-cell="absent"]').waitFor();
    assert.match(await music.innerText(), /OK 1\/1[\s\S]*own rule: 1/);
    const impact = desk.locator('section.impact');
    await impact.getByLabel('origin that dies').selectOption({ label: 'origin-1' });
    assert.match(await impact.locator('[data-impact="dark"]').innerText(), /live\/music — live only on origin-1/);
    assert.match(await impact.locator('[data-impact="below-min"]').innerText(), /live\/news — still on origin-2/);
    await desk.screenshot({ path: path.join(ARTIFACTS, 'origins-matrix.png') });
  });

  it('marks rule violations by colour, icon and word when the rule asks for more origins', async () => {
    await desk.click('.rule button:has-text("Change…")');
    await desk.getByLabel('minimum origins per stream').fill('3');
    await desk.click('button:has-text("Save rule")');
    const news = desk.locator('tr[data-stream="live/news"]');
    const badge = news.locator('.badge[data-state="BELOW MIN 2/3"]');
    await badge.waitFor({ timeout: 10_000 });
    assert.ok(await badge.locator('svg').count(), 'an icon beside the word');
    assert.notEqual(await badge.evaluate((el) => getComputedStyle(el).color), await desk.locator('tr[data-stream="live/music"] .badge').evaluate((el) => getComputedStyle(el).color), 'a colour of its own');
    await desk.locator('.finding', { hasText: 'live/news is live on 2 origins (origin-1, origin-2); 3 wanted' }).waitFor({ timeout: 10_000 });
    await desk.screenshot({ path: path.join(ARTIFACTS, 'origins-rule-violation.png') });
    await desk.click('.rule button:has-text("Change…")');
    await desk.getByLabel('minimum origins per stream').fill('2');
    await desk.click('button:has-text("Save rule")');
    await news.locator('.badge[data-state="OK 2/2"]').waitFor({ timeout: 10_000 });
  });

  it('renders the switch view: ports with state and traffic, uplinks, and the single points of failure with their fix', async () => {
    await desk.click('a[data-tab="switches"]');
    const card = desk.locator('.switch-card[data-switch="lab-switch"]');
    await card.locator('.badge[data-state="UP"]').waitFor({ timeout: 30_000 });
    const lo = desk.locator('.port[data-port="lo"]');
    await lo.locator('.badge[data-state="UP"]').waitFor();
    await lo.locator('.port-hosts', { hasText: 'tc-1' }).waitFor();
    // Rates need two polls (5 s apart); the line needs two points.
    await lo.locator('.traffic-spark polyline').first().waitFor({ timeout: 30_000 });
    await lo.click();
    await desk.locator('.port-chart h3', { hasText: 'lo traffic' }).waitFor();
    const uplinks = desk.locator('table.uplinks tbody tr');
    const hostCount = await desk.evaluate(async () => ((await fetch('/api/query/hosts.list', { method: 'POST', headers: { authorization: `Bearer ${sessionStorage.getItem('tally.token')}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json())) as { value: unknown[] }).value.length);
    assert.equal(await uplinks.count(), hostCount, 'every demo host is linked to the lab switch');
    await desk.locator('.finding', { hasText: 'tc-1 and its reserve tc-reserve are behind the same switch lab-switch' }).locator('.finding-fix', { hasText: 'Fix: Move tc-reserve to another switch.' }).waitFor();
    await desk.locator('.finding', { hasText: 'Every origin of live/news (origin-1, origin-2) is behind switch lab-switch' }).waitFor();
    await desk.screenshot({ path: path.join(ARTIFACTS, 'switches.png') });
  });

  it('adds a switch that does not answer SNMP: shown as a state, then removed after a confirmation naming it', async () => {
    await desk.click('button:has-text("+ Add switch")');
    const form = desk.getByRole('form', { name: 'Add switch' });
    await form.locator('button[type="submit"]').click();
    assert.equal(await form.locator('.field-error').count(), 3, 'name, address and community are flagged field by field');
    await form.getByLabel('Name').fill('core-silent');
    await form.getByLabel('Management address').fill('127.0.0.1');
    await form.getByLabel('SNMP port').fill('9');
    await form.getByLabel('Read community').fill('wrong-community');
    await form.getByLabel('Timeout (ms)').fill('500');
    await form.getByLabel('Retries').fill('0');
    await form.locator('button[type="submit"]').click();
    const card = desk.locator('.switch-card[data-switch="core-silent"]');
    await card.locator('.badge[data-state="SNMP SILENT"]').waitFor({ timeout: 20_000 });
    assert.match(await card.innerText(), /answers ping but not SNMP: check the community/);
    assert.ok(!(await desk.content()).includes('wrong-community'), 'the community is never shown again');
    await desk.screenshot({ path: path.join(ARTIFACTS, 'switches-snmp-silent.png') });

    await card.click();
    await desk.click('.detail-head button:has-text("Remove…")');
    const dialog = desk.getByRole('alertdialog', { name: 'Remove switch core-silent?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /stop polling core-silent \(127\.0\.0\.1\)/);
    await dialog.getByRole('button', { name: 'Remove core-silent' }).click();
    await card.waitFor({ state: 'detached' });
  });

  it('asks before removing an uplink, naming it', async () => {
    await desk.click('.switch-card[data-switch="lab-switch"]');
    await desk.locator('tr[data-uplink="tc-1 lo"] button:has-text("Edit…")').click();
    const form = desk.getByRole('form', { name: 'Link host uplinks' });
    await form.getByLabel('remove uplink 1').click();
    await form.locator('button:has-text("Save uplinks")').click();
    const dialog = desk.getByRole('alertdialog', { name: 'Remove 1 uplink of tc-1?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /lab-switch lo/);
    await desk.screenshot({ path: path.join(ARTIFACTS, 'switches-remove-uplink.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await form.locator('button:has-text("Cancel")').click();
    const hostCount = await desk.evaluate(async () => ((await fetch('/api/query/hosts.list', { method: 'POST', headers: { authorization: `Bearer ${sessionStorage.getItem('tally.token')}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json())) as { value: unknown[] }).value.length);
    assert.equal(await desk.locator('table.uplinks tbody tr').count(), hostCount, 'nothing was removed');
    assert.deepEqual(pageErrors, []);
  });

  it('rotates the wall through the origins and switches pages', async () => {
    const operatorToken = new URL(tally.deskUrl).searchParams.get('token')!;
    const res = await fetch(new URL('/api/command/settings.update', tally.deskUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ wall: { rotateSec: 8, displayId: null } }),
    });
    assert.equal(res.status, 200, await res.text());
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    wall.on('pageerror', (e) => pageErrors.push(e.message));
    await wall.goto(tally.wallUrl);
    await wall.locator('.wall-page', { hasText: 'Origins' }).waitFor({ timeout: 60_000 });
    // Measured in the page in one go: the page may rotate away between two round trips.
    const size = await wall.waitForFunction(() => {
      const cell = document.querySelector('table[data-wall-page="origins"] tr[data-stream="live/news"] .cell-live');
      const name = document.querySelector('.wall-matrix .stream-name');
      return cell && name ? parseFloat(getComputedStyle(name).fontSize) : 0;
    });
    assert.ok((await size.jsonValue()) >= 28, `stream names are readable from across a room (${await size.jsonValue()}px at 1080p)`);
    await wall.screenshot({ path: path.join(ARTIFACTS, 'wall-origins.png') });
    await wall.locator('.wall-page', { hasText: 'Switches' }).waitFor({ timeout: 60_000 });
    await wall.locator('.wall-switch[data-switch="lab-switch"] .badge[data-state="UP"]').waitFor();
    await wall.screenshot({ path: path.join(ARTIFACTS, 'wall-switches.png') });
    await wall.close();
    assert.deepEqual(pageErrors, []);
  });
});
