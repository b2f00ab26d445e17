/**
 * Desktop notifications in a browser: the Web Notification API for each `alert.notify` (new critical/major alerts).
 * Clicking one brings this tab forward on the alert. In the desktop app the shell shows Electron notifications
 * instead and sends `alert.focus` when one is clicked; this hook handles both.
 */
import { useEffect, useRef, useState } from 'react';
import type { UiTransport } from '../transport/ui-transport';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

/** Notifications on screen; closed when superseded so a long night does not pile up objects. */
const MAX_SHOWN = 10;

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Must run inside a user gesture (a click or a submit): browsers ignore the request otherwise. */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export function usePermissionState(): [NotificationPermissionState, () => Promise<void>] {
  const [state, setState] = useState(notificationPermission);
  return [
    state,
    async () => {
      setState(await askNotificationPermission());
    },
  ];
}

export function useAlertNotifications(transport: UiTransport, openAlert: (alertId: string) => void): void {
  const open = useRef(openAlert);
  open.current = openAlert;
  useEffect(() => {
    const shown: Notification[] = [];
    const unsubscribe = transport.subscribe((event) => {
      if (event.type === 'alert.focus') {
        open.current(event.payload.alertId);
        return;
      }
      if (event.type !== 'alert.notify' || notificationPermission() !== 'granted') return;
      const { alertId, title, body, severity } = event.payload;
      const n = new Notification(title, { body, tag: alertId, requireInteraction: severity === 'critical' });
      n.onclick = () => {
        window.focus();
        open.current(alertId);
        n.close();
      };
      shown.push(n);
      if (shown.length > MAX_SHOWN) shown.shift()!.close();
    });
    return () => {
      unsubscribe();
      for (const n of shown) n.close();
    };
  }, [transport]);
}
