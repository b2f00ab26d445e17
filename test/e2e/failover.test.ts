/**
 * An operator fails a host over by hand on the demo plant (planned maintenance): the preview names what will happen,
 * the timeline shows every step, the host is fenced and put in maintenance; then the channels move back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { startTally, type TallyProcess } from '../helpers/tally-process';

describe('manual failover and move-back from the desk', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-failover-'));
  let tally: TallyProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    tally = await startTally(['serve', '--demo', '--port', '0'], { TALLY_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(tally.deskUrl);
    // The start of a shift: the desk asks who is at it before anything else.
    await page.getByLabel('your name').fill('Ana');
    await page.getByRole('button', { name: 'Sign in' }).click();
  });

  after(async () => {
    await browser?.close();
    await tally?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews the failover of tc-1, runs it, and shows the timeline', async () => {
    await page.locator('tr[data-host="tc-1"] .badge[data-state="ok"]').waitFor({ timeout: 30_000 });
    await page.click('tr[data-host="tc-1"]');
    // Failover needs each channel's snapshot: wait until the console has them (first heartbeats after start).
    for (let attempt = 0; ; attempt++) {
      await page.click('button[data-action="failover"]', { timeout: 10_000 });
      const title = (await page.locator('#confirm-title').textContent({ timeout: 10_000 })) ?? '';
      if (/Fail tc-1 over to tc-reserve\?/.test(title)) break;
      assert.ok(attempt < 20, `failover never became possible: ${title} — ${await page.locator('.preview-summary').innerText()}`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'failover-not-yet.png') });
      await page.click('.modal button:has-text("Cancel")', { timeout: 5000 });
      await page.waitForTimeout(1000);
    }
    const summary = await page.locator('.preview-summary').innerText();
    assert.match(summary, /start 3 channels \(.*\) on tc-reserve .* stop and remove the old copies on tc-1 and put it in maintenance/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'failover-preview.png') });
    await page.click('.modal button:has-text("Fail over to tc-reserve")');
    await page.click('a[data-tab="failover"]');
    await page.locator('.failover-detail .op-state.op-done').waitFor({ timeout: 60_000 });
    const steps = await page.locator('.timeline tbody tr').allInnerTexts();
    assert.ok(steps.some((s) => /first new HLS segment reported/.test(s)), steps.join('\n'));
    await page.locator('.failover-detail', { hasText: 'tc-1 fenced' }).waitFor({ timeout: 30_000 });
    const timeline = await page.locator('.timeline tbody tr').allInnerTexts();
    const doneAt = timeline.findIndex((s) => /done: all 3 channels verified/.test(s));
    const fencedAt = timeline.findIndex((s) => /fenced tc-1/.test(s));
    assert.ok(doneAt >= 0 && fencedAt > doneAt, 'a planned move fences its source only after the target is verified');
    await page.screenshot({ path: path.join(ARTIFACTS, 'failover-timeline.png') });
    await page.click('a[data-tab="hosts"]');
    await page.locator('tr[data-host="tc-1"] .badge[data-state="maintenance"]').waitFor({ timeout: 10_000 });
    await page.locator('tr[data-host="tc-reserve"]', { hasText: 'main' }).waitFor();
  });

  it('moves the channels back to tc-1 and tc-reserve becomes a reserve again', async () => {
    await page.click('a[data-tab="failover"]');
    await page.click('button:has-text("Move channels back to tc-1")');
    assert.match(await page.locator('.modal-body').innerText(), /Tally will make tc-1 main again, start .* then stop and remove them on tc-reserve and make it a reserve again/);
    await page.click('.modal button:has-text("Move back to tc-1")');
    await page.locator('.failover-detail h3', { hasText: 'Move back tc-reserve → tc-1' }).waitFor({ timeout: 10_000 });
    await page.locator('.failover-detail .op-state.op-done').waitFor({ timeout: 60_000 });
    await page.locator('.failover-detail', { hasText: 'tc-reserve fenced' }).waitFor({ timeout: 30_000 });
    await page.click('a[data-tab="hosts"]');
    await page.locator('tr[data-host="tc-reserve"] .badge[data-state="reserve"]').waitFor({ timeout: 15_000 });
    await page.locator('tr[data-host="tc-1"] .badge[data-state="ok"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'failover-moved-back.png') });
  });

  it('sets up DNS re-pointing in a form that names each problem, and turns it off behind a confirmation', async () => {
    await page.click('a[data-tab="failover"]');
    const panel = page.locator('section.dns-settings');
    await panel.locator('[data-dns="off"]').waitFor();
    await panel.getByRole('button', { name: 'Set up DNS re-pointing…' }).click();
    await panel.getByLabel('DNS server', { exact: true }).fill('127.0.0.1');
    await panel.getByLabel('Zone', { exact: true }).fill('live.example.net');
    await panel.getByLabel('TSIG key name', { exact: true }).fill('tally-key');
    await panel.getByLabel(/Channel names/).fill('news = news.live.example.net.');
    await panel.getByRole('button', { name: 'Save' }).click();
    assert.match(await panel.locator('.field-error').innerText(), /secret in base64/, 'the missing secret is named at its field');
    await panel.getByLabel('TSIG secret (base64)', { exact: true }).fill('c2VjcmV0LXNlY3JldC1zZWNyZXQ=');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.locator('[data-dns="on"]', { hasText: 'zone live.example.net via 127.0.0.1:53, key tally-key' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'failover-dns.png') });
    await panel.getByRole('button', { name: 'Turn off…' }).click();
    assert.match(await page.locator('.modal-body').innerText(), /forget the DNS settings for zone live\.example\.net/);
    await page.click('.modal button:has-text("Turn off")');
    await panel.locator('[data-dns="off"]').waitFor({ timeout: 10_000 });
  });
});
