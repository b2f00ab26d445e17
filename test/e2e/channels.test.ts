/**
 * Channels as an operator uses them, in Chromium against `tally start` on the demo plant (real agents, real ffmpeg):
 * tc-1's channels listed running with a bitrate; a channel's config history; an edit with an invalid value shows the
 * error at the field and cannot be saved; fixed and saved, a new `console` version appears; two versions diffed side
 * by side; the older one restored behind a confirmation that names host, channel and version. The wall's Channels
 * page comes round in the rotation. Screenshots are kept in test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { startTally, type TallyProcess } from '../helpers/tally-process';

describe('channels, config history, diff, edit and restore in a browser', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-channels-'));
  const newsFile = path.join(dataDir, 'plant', 'tc-1', 'channels', 'news.json');
  let tally: TallyProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync('out/cli/tally.mjs') && existsSync('out/renderer/index.html'), 'run npm run build first (npm test does)');
    tally = await startTally(['start', '--port', '0'], { TALLY_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(tally.deskUrl);
    await page.getByLabel('your name').fill('Ana');
    await page.getByRole('button', { name: 'Sign in' }).click();
  });

  after(async () => {
    await browser?.close();
    await tally?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tc1 = () => page.locator('section.host-channels[data-host="tc-1"]');
  const historyRows = () => page.locator('.channel-history tbody tr');

  it('lists the channels of tc-1 running, each with a bitrate, and the empty reserve', async () => {
    await page.click('a[data-tab="channels"]');
    for (const name of ['news', 'sport', 'music']) {
      const row = tc1().locator(`tr[data-channel="${name}"]`);
      await row.locator('.badge[data-state="running"][data-live="true"]').waitFor({ timeout: 40_000 });
      await row.locator('td[data-col="bitrate"]', { hasText: /^\d+ kbit\/s$/ }).waitFor({ timeout: 20_000 });
      assert.match(await row.locator('.badge').innerText(), /RUNNING/, 'the state is a word too, not colour alone');
      assert.equal(await row.locator('.badge svg').count(), 1, 'and an icon');
    }
    await page.locator('section.host-channels[data-host="tc-2"] tr[data-channel="kids"]').waitFor();
    await page.locator('section.host-channels[data-host="tc-reserve"]', { hasText: 'No channels' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'channels.png') });
  });

  it('opens a channel with its config history', async () => {
    await tc1().locator('tr[data-channel="news"]').click();
    await page.locator('.channel-detail h2', { hasText: 'tc-1/news' }).waitFor();
    await historyRows().first().waitFor({ timeout: 10_000 });
    const first = historyRows().first();
    assert.equal(await first.getAttribute('data-source'), 'host');
    assert.match(await first.innerText(), /host · first seen[\s\S]*✔ valid/, 'the first snapshot is not called an out-of-band change');
    assert.equal(await first.locator('.current-chip').innerText(), 'on host');
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-history.png') });
  });

  it('shows an invalid value at its field, refuses to save it, and saves the fixed value as a console version', async () => {
    const before = readFileSync(newsFile);
    await page.click('button:has-text("Edit config")');
    const bitrate = page.locator('.field[data-field="video.bitrateKbps"]');
    await bitrate.locator('input').fill('10');
    await bitrate.locator('.field-error', { hasText: /Too small.*32/ }).waitFor();
    assert.equal(await bitrate.getAttribute('class'), 'field invalid');
    const save = page.locator('button:has-text("Save to tc-1")');
    assert.equal(await save.isDisabled(), true, 'an invalid config cannot be saved');
    assert.match(await page.locator('.editor-status').innerText(), /1 problem/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-edit-error.png') });
    assert.deepEqual(readFileSync(newsFile), before, 'nothing was written');

    await bitrate.locator('input').fill('400');
    assert.equal(await bitrate.locator('.field-error').count(), 0);
    await save.click();
    await page.locator('.channel-editor').waitFor({ state: 'detached' });
    await page.locator('.channel-history tbody tr[data-source="console"]', { hasText: 'console · Ana' }).waitFor({ timeout: 10_000 });
    assert.match(readFileSync(newsFile, 'utf8'), /"bitrateKbps": 400/);
    assert.equal(await historyRows().count(), 2);
    assert.equal(await historyRows().first().locator('.current-chip').count(), 1, 'the saved version is the one on the host');
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-saved.png') });
  });

  it('diffs two versions side by side', async () => {
    await historyRows().nth(0).locator('input[type="checkbox"]').check();
    await historyRows().nth(1).locator('input[type="checkbox"]').check();
    await page.click('button:has-text("Diff 2/2 selected")');
    const changed = page.locator('.config-diff tr[data-kind="changed"]');
    await changed.first().waitFor();
    assert.equal(await changed.count(), 1);
    assert.match(await changed.locator('.diff-left').innerText(), /"bitrateKbps": 200/, 'the older version on the left');
    assert.match(await changed.locator('.diff-right').innerText(), /"bitrateKbps": 400/);
    assert.match(await page.locator('.diff-summary').innerText(), /1 changed/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-diff.png') });
    await page.click('button:has-text("Back to channels")');
  });

  it('restores the older version behind a confirmation that names host, channel and version', async () => {
    const older = historyRows().nth(1);
    const hash = (await older.getAttribute('data-hash'))!;
    await older.locator('button:has-text("Restore…")').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('h2').innerText(), `Restore version ${hash.slice(0, 12)} to tc-1/news?`);
    assert.match(await dialog.innerText(), new RegExp(`news\\.json on host tc-1`));
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-restore-confirm.png') });
    await dialog.locator(`button:has-text("Restore ${hash.slice(0, 12)} to tc-1")`).click();
    await page.locator(`.channel-history tbody tr[data-hash="${hash}"][data-source="console"]`).waitFor({ timeout: 10_000 });
    await page.locator(`.channel-history tbody tr.current[data-hash="${hash}"]`).waitFor({ timeout: 10_000 });
    assert.match(readFileSync(newsFile, 'utf8'), /"bitrateKbps": 200/, 'the file on the host is the restored version');
    await tc1().locator('tr[data-channel="news"] .badge[data-state="running"]').waitFor({ timeout: 20_000 });
    const journal = await page.evaluate(async () => {
      const token = sessionStorage.getItem('tally.token');
      const res = await fetch('/api/query/journal.recent', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ limit: 200 }) });
      return ((await res.json()) as { value: { kind: string; message: string; operator: string | null }[] }).value;
    });
    const pushed = journal.filter((e) => e.kind === 'config.pushed').map((e) => [e.operator, e.message.replace(/\(.*$/, '').trim()]);
    assert.deepEqual(pushed, [
      ['Ana', 'Ana saved an edited config of tc-1/news'],
      ['Ana', `Ana restored version ${hash.slice(0, 12)} to tc-1/news`],
    ]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'channel-restored.png') });
    assert.deepEqual(pageErrors, []);
  });

  it('shows the channels on the wall, in the rotation', async () => {
    // A short rotation so the page comes round within the test.
    await page.evaluate(async () => {
      const token = sessionStorage.getItem('tally.token');
      const res = await fetch('/api/command/settings.update', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ wall: { displayId: null, rotateSec: 5 } }) });
      if (!res.ok) throw new Error(`settings.update: ${res.status} ${await res.text()}`);
    });
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(tally.wallUrl);
    await wall.locator('[data-wall-page="channels"]').waitFor({ timeout: 90_000 });
    for (const name of ['news', 'sport', 'music', 'kids', 'weather']) await wall.locator(`.wall-channel[data-channel="${name}"] .badge`).waitFor();
    const nameSize = await wall.locator('.wall-channel-name').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(nameSize >= 32, `channel names are readable from across a room (${nameSize}px at 1080p)`);
    await wall.screenshot({ path: path.join(ARTIFACTS, 'wall-channels.png') });
    await wall.close();
  });
});
