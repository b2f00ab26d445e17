/**
 * Alerts on the desktop: an Electron Notification for every `alert.notify` (new critical/major alerts; clicking it
 * brings the desk forward on that alert) and the count of unacknowledged alerts on the tray and the app badge.
 */
import { app, type BrowserWindow, Notification, type Tray } from 'electron';
import type { TallyEvent } from '../core/api';
import type { TallyConsole } from '../core/console';

/** Notifications still on screen; a click handler dies with its object, so they are held — but never more than this. */
const MAX_LIVE_NOTIFICATIONS = 20;

export interface AlertNotifierPorts {
  desk(): BrowserWindow | null;
  tray(): Tray | null;
}

export function watchAlerts(engine: TallyConsole, ports: AlertNotifierPorts): () => void {
  const live = new Set<Notification>();

  const showBadge = (count: number) => {
    const tray = ports.tray();
    tray?.setToolTip(count === 0 ? 'Tally — no unacknowledged alerts' : `Tally — ${count} unacknowledged alert${count === 1 ? '' : 's'}`);
    tray?.setTitle(count === 0 ? '' : String(count));
    app.setBadgeCount(count);
  };

  const notify = (payload: Extract<TallyEvent, { type: 'alert.notify' }>['payload']) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: payload.title, body: payload.body, urgency: payload.severity === 'critical' ? 'critical' : 'normal' });
    const drop = () => live.delete(n);
    n.on('click', () => {
      drop();
      const desk = ports.desk();
      if (!desk || desk.isDestroyed()) return;
      if (desk.isMinimized()) desk.restore();
      desk.show();
      desk.focus();
      desk.webContents.send('tally:event', { type: 'alert.focus', payload: { alertId: payload.alertId } } satisfies TallyEvent);
    });
    n.on('close', drop);
    live.add(n);
    if (live.size > MAX_LIVE_NOTIFICATIONS) {
      const oldest = live.values().next().value!;
      live.delete(oldest);
      oldest.close();
    }
    n.show();
  };

  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'alert.notify') notify(event.payload);
    if (event.type === 'alerts.changed') showBadge(event.payload.unacknowledged);
  });
  void engine.handlers.queries['alerts.list']({ resolvedLimit: 0 }, { access: 'viewer', operator: null, transport: 'ipc' }).then(
    (list) => showBadge(list.unacknowledged),
    (err: Error) => console.error(`tally: could not read the alert count for the tray: ${err.message}`),
  );
  return () => {
    unsubscribe();
    for (const n of live) n.close();
    live.clear();
  };
}
