/**
 * The desktop shell: the ONLY folder that imports 'electron'. The engine runs here in the main process; windows talk
 * to it through the preload's contract bridge. Secure defaults throughout: sandboxed, isolated renderers on the app://
 * protocol, navigation, new windows and permission requests denied, every IPC sender checked.
 */
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent, Menu, nativeImage, net, protocol, screen, session, Tray } from 'electron';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DemoExtras, startDemoExtras } from '../../agents/lab/demo-extras';
import { DEMO_PLANT, type DemoPlant, startDemoPlant } from '../../agents/lab/demo-plant';
import type { CallContext, Settings } from '../core/api';
import { createConsole, type TallyConsole } from '../core/console';
import { clusterSettingsFrom } from '../core/cluster/cluster-settings';
import { createRefusalJournal, dispatch } from '../core/dispatch';
import { CONTENT_SECURITY_POLICY } from '../server/http-transport';
import { syncInventoryWithPlant } from '../server/demo';
import { syncDemoNetwork } from '../server/demo-network';
import { createElectronStore } from './electron-store';
import { watchAlerts } from './alert-notifier';
import { accessForSender, APP_ORIGIN, appUrlToFile, isAppFrameUrl } from './ipc-guard';
import { WindowOperators } from './window-operators';

const rendererDir = path.join(__dirname, '../renderer');
const preloadPath = path.join(__dirname, '../preload/index.cjs');
const iconPath = app.isPackaged ? path.join(process.resourcesPath, 'icon.png') : path.join(__dirname, '../../build/icon.png');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let engine: TallyConsole | null = null;
let plant: DemoPlant | null = null;
let extras: DemoExtras | null = null;
let deskWindow: BrowserWindow | null = null;
let wallWindow: BrowserWindow | null = null;
let tray: Tray | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (deskWindow) {
      if (deskWindow.isMinimized()) deskWindow.restore();
      deskWindow.focus();
    }
  });
  app.whenReady().then(start, (err: Error) => {
    console.error(`tally: could not start: ${err.message}`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  hardenSessions();
  registerAppProtocol();
  const dataDir = app.getPath('userData');
  engine = createConsole({
    store: createElectronStore(dataDir),
    dataDir,
    // Several desks: TALLY_ETCD (and TALLY_CONSOLE_NAME, TALLY_LEASE_TTL) make this console campaign through etcd.
    cluster: clusterSettingsFrom({}, process.env, os.hostname()),
    log: (level, message, fields) => console[level === 'info' ? 'log' : level](`[${level}] ${message}`, fields ?? ''),
  });
  if (process.argv.includes('--demo')) {
    const agentEntry = app.isPackaged ? path.join(process.resourcesPath, 'agent', 'tally-agent.cjs') : path.join(__dirname, '../../dist/agent/tally-agent.cjs');
    extras = await startDemoExtras(path.join(dataDir, 'plant'), (line) => console.log(`[demo] ${line}`));
    plant = await startDemoPlant({ dir: path.join(dataDir, 'plant'), agentEntry, env: { ELECTRON_RUN_AS_NODE: '1' } }, extras.plantHosts(DEMO_PLANT));
    await syncInventoryWithPlant(engine, plant);
    await syncDemoNetwork(engine, plant, extras);
  }
  registerIpc(engine);
  engine.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send('tally:event', event);
  });
  engine.start();
  const settings = await engine.handlers.queries['settings.get']({}, ipcContext('viewer'));
  deskWindow = createWindow('desk', false);
  wallWindow = process.argv.includes('--no-wall') ? null : createWindow('wall', true, settings);
  createTray();
  watchAlerts(engine, { desk: () => deskWindow, tray: () => tray });
}

function createWindow(kind: 'desk' | 'wall', kiosk: boolean, settings?: Settings): BrowserWindow {
  const display = kind === 'wall' ? chooseWallDisplay(settings?.wall.displayId ?? null) : screen.getPrimaryDisplay();
  const win = new BrowserWindow({
    title: kind === 'wall' ? 'Tally — wall' : 'Tally',
    x: display.bounds.x + 40,
    y: display.bounds.y + 40,
    width: Math.min(1600, display.workArea.width - 80),
    height: Math.min(1000, display.workArea.height - 80),
    kiosk,
    backgroundColor: '#0f1216',
    icon: existsSync(iconPath) ? iconPath : undefined,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // The wall sounds the alarm with nobody at it to click first.
      autoplayPolicy: kind === 'wall' ? 'no-user-gesture-required' : 'document-user-activation-required',
    },
  });
  void win.loadURL(`${APP_ORIGIN}/index.html${kind === 'wall' ? '#/wall' : ''}`);
  // A wall runs for weeks: if its renderer dies, bring it back rather than leave a frozen picture.
  win.webContents.on('render-process-gone', (_e, details) => {
    console.error(`tally: ${kind} renderer gone (${details.reason}); reloading`);
    if (!win.isDestroyed()) win.webContents.reload();
  });
  win.on('closed', () => {
    if (kind === 'desk') deskWindow = null;
    else wallWindow = null;
  });
  return win;
}

function chooseWallDisplay(displayId: number | null): Electron.Display {
  const displays = screen.getAllDisplays();
  return displays.find((d) => d.id === displayId) ?? displays.find((d) => d.id !== screen.getPrimaryDisplay().id) ?? screen.getPrimaryDisplay();
}

const windowOperators = new WindowOperators();

function ipcContext(access: CallContext['access'], senderId = -1): CallContext {
  return { access, operator: access === 'operator' ? windowOperators.nameFor(senderId, os.userInfo().username) : null, transport: 'ipc' };
}

function senderAllowed(event: IpcMainInvokeEvent): boolean {
  return isAppFrameUrl(event.senderFrame?.url);
}

function registerIpc(tally: TallyConsole): void {
  const ipcRefusals = createRefusalJournal(tally.journal);
  for (const kind of ['query', 'command'] as const) {
    ipcMain.handle(`tally:${kind}`, async (event, name: unknown, input: unknown) => {
      if (!senderAllowed(event)) {
        tally.journal.append({ kind: 'console.ipc-refused', severity: 'warning', message: `refused an IPC ${kind} from ${event.senderFrame?.url ?? 'an unknown frame'}` });
        return { ok: false, error: 'sender not allowed' };
      }
      if (typeof name !== 'string') return { ok: false, error: 'name must be a string' };
      // The wall is a display: it reads, it never acts.
      const access = accessForSender(event.sender.id, wallWindow?.webContents.id ?? null);
      const ctx = ipcContext(access, event.sender.id);
      const result = await dispatch(tally.handlers, kind, name, input, ctx, (n, err) =>
        tally.journal.append({ kind: 'console.handler-error', severity: 'major', message: `${n} failed: ${err.message}` }),
      );
      ipcRefusals.note(kind, name, ctx, result);
      if (windowOperators.noteCall(event.sender.id, kind, name, result)) event.sender.once('destroyed', () => windowOperators.forget(event.sender.id));
      return result;
    });
  }
}

function registerAppProtocol(): void {
  protocol.handle('app', async (request) => {
    const file = appUrlToFile(request.url, rendererDir, path.resolve, path.sep);
    if (!file) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    if (file.endsWith('.html')) headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppFrameUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createTray(): void {
  const image = existsSync(iconPath) ? nativeImage.createFromPath(iconPath).resize({ width: 22, height: 22 }) : nativeImage.createEmpty();
  tray = new Tray(image);
  tray.setToolTip('Tally');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show desk', click: () => (deskWindow ?? (deskWindow = createWindow('desk', false))).show() },
      { label: 'Show wall', click: () => (wallWindow ?? (wallWindow = createWindow('wall', true))).show() },
      { type: 'separator' },
      { label: 'Quit Tally', click: () => app.quit() },
    ]),
  );
}

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void (async () => {
    await engine?.stop();
    await plant?.lab.stop();
    await extras?.stop();
    tray?.destroy();
    app.exit(0);
  })();
});

app.on('window-all-closed', () => {
  // The console keeps watching from the tray; Quit in the tray menu ends it.
});
