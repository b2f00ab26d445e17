/**
 * Several desks, in Chromium: two real `tally serve` consoles campaigning through a real etcd. The standby's desk says
 * who leads; when the leader is killed the same desk says it leads now; the wall of the standby shows it too; and when
 * etcd stops answering, the desk says automation has stopped. Screenshots are kept in test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { type ClusterPlant, startClusterPlant } from '../helpers/cluster-plant';

describe('who leads, on the desk and the wall', () => {
  let plant: ClusterPlant;
  let browser: Browser;
  let desk: Page;
  let wall: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync('out/cli/tally.mjs') && existsSync('out/renderer/index.html'), 'run npm run build first (npm test does)');
    plant = await startClusterPlant('e2e-consoles', [{ name: 'tc-1', ip: '127.0.0.2', role: 'main', channels: [] }], ['desk-a', 'desk-b'], 3);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await plant?.stop();
  });

  it("shows the standby's operator which console leads", async () => {
    const { standbys, leader } = await plant.leaderOf();
    const standby = standbys[0]!;
    desk = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    desk.on('pageerror', (e) => pageErrors.push(e.message));
    await desk.goto(standby.tally.deskUrl);
    await desk.getByLabel('your name').fill('Ana');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    const badge = desk.locator('header .badge[data-cluster]');
    await badge.filter({ hasText: `standby — ${leader.name} leads` }).waitFor({ timeout: 10_000 });
    assert.match((await badge.getAttribute('title')) ?? '', /Operators can act here/);
    await desk.screenshot({ path: path.join(ARTIFACTS, 'consoles-standby.png') });

    wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    wall.on('pageerror', (e) => pageErrors.push(e.message));
    await wall.goto(standby.tally.wallUrl);
    await wall.locator('.wall-top .badge[data-cluster]', { hasText: `standby — ${leader.name} leads` }).waitFor({ timeout: 10_000 });

    // The leader dies: the same desk now says it leads, without a reload.
    leader.tally.child.kill('SIGKILL');
    await badge.filter({ hasText: 'leader — automating here' }).waitFor({ timeout: 10_000 });
    await wall.locator('.wall-top .badge[data-cluster="ok"]', { hasText: 'leader' }).waitFor({ timeout: 10_000 });
    await desk.screenshot({ path: path.join(ARTIFACTS, 'consoles-took-over.png') });
    await wall.screenshot({ path: path.join(ARTIFACTS, 'consoles-wall.png') });
  });

  it('says so when etcd stops answering and automation stops', async () => {
    plant.etcd.pause();
    try {
      const badge = desk.locator('header .badge[data-cluster="down"]');
      await badge.filter({ hasText: 'etcd unreachable — not automating' }).waitFor({ timeout: 10_000 });
      await desk.screenshot({ path: path.join(ARTIFACTS, 'consoles-etcd-lost.png') });
    } finally {
      plant.etcd.resume();
    }
    await desk.locator('header .badge[data-cluster="ok"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(pageErrors, []);
  });
});
