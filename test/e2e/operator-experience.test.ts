/**
 * A night at the desk, in Chromium against `tally start` on the demo plant of real agents: the operator signs in,
 * an agent freezes (SIGSTOP) → the alert appears on the desk, the wall's banner alarms and a desktop notification is
 * requested; the operator acknowledges from the desk → the wall stops alarming; the agent comes back; the shift
 * report is previewed, exported (its PDF rendered to PNG with pdftoppm, its Markdown checked for the incident and the
 * acknowledgement), and the incoming operator signs it off. Screenshots and the report are kept in test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../helpers/browser';
import { demoAgentPid } from '../helpers/plant-agents';
import { startTally, type TallyProcess } from '../helpers/tally-process';

interface RecordedNotification {
  title: string;
  body: string;
  tag: string;
}

/** Records every `new Notification(…)` the page makes (headless Chromium shows none), then lets the real one run. */
function recordNotifications(): void {
  const Real = window.Notification;
  const seen: RecordedNotification[] = [];
  (window as unknown as { __notifications: RecordedNotification[] }).__notifications = seen;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      seen.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      super(title, options);
    }
  }
  window.Notification = Recorded;
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications?: RecordedNotification[] }).__notifications ?? []);

describe('operator experience: alert, wall alarm, acknowledgement, shift report', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-ops-'));
  let tally: TallyProcess;
  let browser: Browser;
  let context: BrowserContext;
  let desk: Page;
  let wall: Page;
  let frozenPid: number | null = null;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync('out/cli/tally.mjs') && existsSync('out/renderer/index.html'), 'run npm run build first (npm test does)');
    tally = await startTally(['start', '--port', '0'], { TALLY_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1600, height: 950 }, acceptDownloads: true });
    await context.grantPermissions(['notifications'], { origin: new URL(tally.deskUrl).origin });
    // tsx compiles with esbuild's keepNames, whose __name helper the serialized function calls: give the page one.
    await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    await context.addInitScript(recordNotifications);
    desk = await context.newPage();
    wall = await context.newPage();
    for (const page of [desk, wall]) page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    if (frozenPid !== null) process.kill(frozenPid, 'SIGCONT');
    await browser?.close();
    await tally?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks who is at the desk before anything else, and names them', async () => {
    await desk.goto(tally.deskUrl);
    const signIn = desk.getByRole('dialog', { name: 'Start of shift' });
    await signIn.waitFor({ timeout: 20_000 });
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-sign-in.png') });
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.locator('.field-error', { hasText: 'type your name' }).waitFor();
    await signIn.getByLabel('your name').fill('Ana Operator');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.waitFor({ state: 'detached' });
    await desk.locator('.access', { hasText: 'operator: Ana Operator' }).waitFor();
    await desk.locator('tr[data-host="tc-2"] .badge[data-state="ok"]').waitFor({ timeout: 30_000 });
  });

  it('shows a frozen agent as a critical alert on the desk, alarms on the wall and requests a notification', async () => {
    await wall.goto(tally.wallUrl);
    await wall.locator('.tile[data-host="tc-2"] .badge[data-state="ok"]').waitFor({ timeout: 30_000 });

    frozenPid = demoAgentPid(dataDir, 'tc-2');
    process.kill(frozenPid, 'SIGSTOP');

    await desk.click('a[data-tab="alerts"]');
    const row = desk.locator('.alerts-table tr', { hasText: 'tc-2 is down' });
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await row.locator('.badge').getAttribute('data-severity'), 'critical');
    await desk.locator('.tab-count').waitFor();

    // A busy build machine can make other hosts miss heartbeats too: look for this alert, not for it alone.
    const banner = wall.locator('.wall-banner[data-alarm="on"]', { hasText: 'tc-2 is down' });
    await banner.waitFor({ timeout: 10_000 });
    assert.match((await wall.locator('.wall').getAttribute('data-sound')) ?? '', /^(playing|blocked)$/, 'the wall tries to sound the alarm');
    await wall.screenshot({ path: path.join(ARTIFACTS, 'ops-wall-alarm.png') });

    const shown = await notifications(desk);
    const notice = shown.find((n) => n.title === 'Critical: tc-2 is down');
    assert.ok(notice, `a desktop notification was requested (${JSON.stringify(shown)})`);
    assert.match(notice.body, /^(Firing since |Flapping)/);
    assert.equal(shown.filter((n) => n.tag === notice.tag).length, 1, 'once per alert');
  });

  it('acknowledges from the desk with the keyboard; the wall stops alarming and says who has it', async () => {
    await desk.locator('.alerts-table tr', { hasText: 'tc-2 is down' }).click();
    await desk.locator('.alert-detail h2', { hasText: 'tc-2 is down' }).waitFor();
    await desk.keyboard.press('a');
    const dialog = desk.getByRole('dialog', { name: 'Acknowledge alert' });
    await dialog.getByLabel('comment').fill('agent hung, restarting the service');
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-desk-ack.png') });
    await desk.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await desk.locator('.alerts-table tr.selected .alert-standing', { hasText: 'acknowledged by Ana Operator' }).waitFor();
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-desk-alerts.png') });

    await wall.locator('.wall-banner-acked', { hasText: 'ACKNOWLEDGED by Ana Operator: tc-2 is down — agent hung, restarting the service' }).waitFor({ timeout: 5000 });
    assert.equal(await wall.locator('.wall-banner[data-alarm="on"]').count(), 0, 'no banner alarms any more');
    await wall.locator('.wall[data-sound="off"]').waitFor({ timeout: 2000 });
    await wall.screenshot({ path: path.join(ARTIFACTS, 'ops-wall-acknowledged.png') });

    // Enter jumps to the host.
    await desk.keyboard.press('Enter');
    await desk.locator('.host-detail h2', { hasText: 'tc-2' }).waitFor();
    assert.match(desk.url(), /#\/hosts\//);

    process.kill(frozenPid!, 'SIGCONT');
    frozenPid = null;
    // Back, it is either ok or — after the failover module moved its channels away — fenced into maintenance.
    await desk.locator('tr[data-host="tc-2"] .badge:is([data-state="ok"], [data-state="maintenance"])').waitFor({ timeout: 20_000 });
  });

  it('finds the incident in the journal and takes a note', async () => {
    await desk.click('a[data-tab="journal"]');
    await desk.getByLabel('search journal').fill('tc-2 acknowledged');
    await desk.locator('.journal-table tr[data-kind="alert.acknowledged"]', { hasText: 'Ana Operator acknowledged "tc-2 is down"' }).waitFor({ timeout: 5000 });
    await desk.getByLabel('search journal').fill('');
    await desk.getByLabel('journal note').fill('tc-2 agent restarted; vendor ticket 4711');
    await desk.getByRole('button', { name: 'Add note' }).click();
    await desk.locator('.journal-table tr[data-kind="note"]', { hasText: 'vendor ticket 4711' }).waitFor({ timeout: 5000 });
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-journal.png') });
  });

  it('builds the shift report, exports Markdown and PDF, and the incoming operator signs it off', async () => {
    await desk.click('a[data-tab="handover"]');
    await desk.getByRole('button', { name: 'Last 8 h' }).click();
    const incidents = desk.locator('.report-section[data-section="Incidents"]');
    await incidents.locator('td', { hasText: 'tc-2 is down' }).waitFor({ timeout: 10_000 });
    assert.match(await incidents.innerText(), /Ana Operator at .*agent hung, restarting the service/);
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-shift-report.png'), fullPage: true });

    const markdown = await download(desk, 'Download Markdown', 'shift-report.md');
    const md = readFileSync(markdown, 'utf8');
    assert.match(md, /^# Shift report /);
    // Flags may follow the title: "flapping" when a loaded machine made the plant blip at start-up, "during
    // maintenance" when the returning host was fenced.
    assert.match(md, /\| CRITICAL \| tc-2 is down( \([^)]*\))? \| tc-2 \|/, 'the incident is in the Markdown');
    assert.match(md, /Ana Operator at [^|]+\("agent hung, restarting the service"\)/, 'with its acknowledgement');
    assert.match(md, /vendor ticket 4711/);
    assert.match(md, /\| Ana Operator \| \d{4}-\d\d-\d\d/, 'Ana is on shift, signed in');

    const pdf = await download(desk, 'Download PDF', 'shift-report.pdf');
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, path.join(ARTIFACTS, 'shift-report')]);
    const png = ['shift-report-1.png', 'shift-report-01.png'].map((f) => path.join(ARTIFACTS, f)).find((f) => existsSync(f));
    assert.ok(png && statSync(png).size > 10_000, 'the PDF renders to a page image');

    // Shift change: Ana signs out, Ben signs in and signs the report off.
    await desk.getByRole('button', { name: 'Sign out Ana Operator' }).click();
    const signIn = desk.getByRole('dialog', { name: 'Start of shift' });
    await signIn.locator('text=Before you: Ana Operator').waitFor();
    await signIn.getByLabel('your name').fill('Ben Incoming');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.waitFor({ state: 'detached' });
    await desk.getByLabel('sign-off comment').fill('read and taken over');
    await desk.getByRole('button', { name: 'Sign off…' }).click();
    await desk.getByRole('button', { name: 'Sign off as Ben Incoming' }).click();
    await desk.locator('.signoff.signed', { hasText: 'Signed off by Ben Incoming' }).waitFor({ timeout: 10_000 });
    await desk.locator('.report-section[data-section="Sign-off"]', { hasText: 'Signed off by Ben Incoming' }).waitFor();
    await desk.screenshot({ path: path.join(ARTIFACTS, 'ops-shift-report-signed.png') });
    const signed = readFileSync(await download(desk, 'Download Markdown', 'shift-report-signed.md'), 'utf8');
    assert.match(signed, /Signed off by Ben Incoming at .*\n- Comment: read and taken over\n- Report sha256: [0-9a-f]{64}/);
    assert.deepEqual(pageErrors, []);
  });
});

async function download(page: Page, button: string, saveAs: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByRole('button', { name: button }).click()]);
  const target = path.join(ARTIFACTS, saveAs);
  await file.saveAs(target);
  return target;
}
