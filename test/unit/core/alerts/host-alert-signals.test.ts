import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HostSignalView, hostAlertEvents, hostHealthKey, hostLinkKey } from '../../../../main/core/alerts/host-alert-signals';

const view = (patch: Partial<HostSignalView>): HostSignalView => ({ id: 'h1', name: 'enc-01', role: 'main', health: 'ok', link: 'connected', linkError: null, ...patch });

describe('host view changes → alert events', () => {
  const rows: [string, Partial<HostSignalView> | undefined, Partial<HostSignalView>, string[]][] = [
    ['ok → attention raises a warning', {}, { health: 'attention' }, [`raise ${hostHealthKey('h1')} warning`]],
    ['attention → down raises it to critical, host down', { health: 'attention' }, { health: 'down' }, [`raise ${hostHealthKey('h1')} critical down`]],
    ['down → ok clears it', { health: 'down' }, { health: 'ok' }, [`clear ${hostHealthKey('h1')}`]],
    ['unknown at start says nothing', undefined, { health: 'unknown', link: 'connecting' }, []],
    ['connected → auth-failed raises a major link alert', {}, { link: 'auth-failed', linkError: 'bad token' }, [`raise ${hostLinkKey('h1')} major`]],
    ['connected → incompatible raises a major link alert', {}, { link: 'incompatible' }, [`raise ${hostLinkKey('h1')} major`]],
    ['auth-failed → connected clears it', { link: 'auth-failed' }, { link: 'connected' }, [`clear ${hostLinkKey('h1')}`]],
    ['connected → disconnected leaves it to the health detector', {}, { link: 'disconnected' }, []],
    ['main → maintenance', {}, { role: 'maintenance' }, ['maintenance h1 on']],
    ['maintenance → main', { role: 'maintenance' }, { role: 'main' }, ['maintenance h1 off']],
    ['a host added in maintenance', undefined, { role: 'maintenance', health: 'unknown', link: 'connecting' }, ['maintenance h1 on']],
    ['nothing changed', {}, {}, []],
  ];
  for (const [name, before, after, expected] of rows) {
    it(name, () => {
      const events = hostAlertEvents(before ? view(before) : undefined, view(after));
      const described = events.map((e) => {
        if (e.type === 'raise') return `raise ${e.key} ${e.severity}${e.hostDown ? ' down' : ''}`;
        if (e.type === 'clear') return `clear ${e.key}`;
        if (e.type === 'maintenance') return `maintenance ${e.hostId} ${e.on ? 'on' : 'off'}`;
        return e.type;
      });
      assert.deepEqual(described, expected);
    });
  }

  it('the summaries name the host and the link error', () => {
    const [raise] = hostAlertEvents(view({}), view({ link: 'auth-failed', linkError: 'HTTP 401' }));
    assert.equal(raise?.type === 'raise' && raise.summary, "enc-01: the agent refused the console's token: HTTP 401");
  });
});
