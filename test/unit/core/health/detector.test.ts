import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmationWindowMs, consoleIsolated, type HealthEvent, type HostHealth, initialHealth, judgeRound, nextHealth, type ProbeRound } from '../../../../main/core/health/detector';

const settings = { suspectAfterMs: 1200, tAddMs: 500, confirmChecks: 3 };
const silentRound: ProbeRound = { consoleApi: 'fail', consoleIcmp: 'ok', peers: [{ peerId: 'tc-2', api: 'fail', icmp: 'ok' }] };
const peerReaches: ProbeRound = { consoleApi: 'fail', consoleIcmp: 'ok', peers: [{ peerId: 'tc-2', api: 'ok', icmp: 'ok' }] };

type Step = [number, 'hb' | 'tick' | 'silent-round' | 'peer-reaches' | 'api-fail'] | [number, 'tick-isolated'];

/** Runs a script against the detector; returns the state after each step and how many probes it asked for. */
function run(script: Step[], start: HostHealth = initialHealth(0)): { states: string[]; probes: number; last: HostHealth } {
  let h = start;
  let probes = 0;
  const states = script.map(([at, kind]) => {
    const event: HealthEvent =
      kind === 'hb'
        ? { type: 'heartbeat', at }
        : kind === 'tick' || kind === 'tick-isolated'
          ? { type: 'tick', now: at, isolated: kind === 'tick-isolated', peersAvailable: true }
          : kind === 'api-fail'
            ? { type: 'api-check-failed', at, error: 'timeout' }
            : { type: 'probe-result', at, round: kind === 'silent-round' ? silentRound : peerReaches, isolated: false, peersAvailable: true };
    const r = nextHealth(h, event, settings);
    probes += r.effects.length;
    h = r.health;
    return h.state;
  });
  return { states, probes, last: h };
}

describe('failure detector', () => {
  it('waits the whole confirmation window before down', () => {
    assert.equal(confirmationWindowMs(settings), 2700);
  });

  it('follows the transition table', () => {
    const table: { name: string; script: Step[]; states: string[]; probes?: number }[] = [
      { name: 'heartbeats keep it ok', script: [[0, 'hb'], [500, 'hb'], [1000, 'tick'], [1600, 'tick']], states: ['ok', 'ok', 'ok', 'ok'], probes: 0 },
      { name: 'missed heartbeats → attention and a probe', script: [[0, 'hb'], [1199, 'tick'], [1200, 'tick']], states: ['ok', 'ok', 'attention'], probes: 1 },
      {
        name: 'three silent rounds and the full window → down',
        script: [[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2699, 'tick'], [2700, 'tick']],
        states: ['ok', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'down'],
        probes: 3,
      },
      {
        name: 'a pause shorter than the window never goes down, whatever the probes say',
        script: [[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2650, 'hb']],
        states: ['ok', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'ok'],
      },
      {
        name: 'a peer that reaches the agent resets the count: the console’s own link is the problem',
        script: [[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'peer-reaches'], [2200, 'tick'], [2600, 'silent-round'], [2700, 'tick'], [3000, 'tick']],
        states: ['ok', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention'],
      },
      {
        name: 'an isolated console declares nothing down',
        script: [[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2700, 'tick-isolated'], [5000, 'tick-isolated']],
        states: ['ok', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention'],
      },
      { name: 'a failed API check while heartbeats flow → attention, the next heartbeat clears it', script: [[0, 'hb'], [300, 'api-fail'], [500, 'hb']], states: ['ok', 'attention', 'ok'], probes: 1 },
      { name: 'down clears on the next heartbeat', script: [[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2700, 'tick'], [9000, 'hb']], states: ['ok', 'attention', 'attention', 'attention', 'attention', 'attention', 'attention', 'down', 'ok'] },
    ];
    for (const row of table) {
      const result = run(row.script);
      assert.deepEqual(result.states, row.states, row.name);
      if (row.probes !== undefined) assert.equal(result.probes, row.probes, `${row.name}: probes`);
    }
  });

  it('after an isolation ends, rounds counted meanwhile prove nothing: a host needs new rounds to go down', () => {
    const held = run([[0, 'hb'], [1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2700, 'tick-isolated']]).last;
    assert.equal(held.state, 'attention');
    const { health } = nextHealth(held, { type: 'reconfirm', at: 5000 }, settings);
    assert.equal(health.failedRounds, 0);
    const after = nextHealth(health, { type: 'tick', now: 5000, isolated: false, peersAvailable: true }, settings);
    assert.equal(after.health.state, 'attention', 'not down on the old rounds');
    assert.equal(after.effects.length, 1, 'a new probe round starts');
  });

  it('confirms a host never heard from by probing it too', () => {
    const r = run([[1200, 'tick'], [1600, 'silent-round'], [1700, 'tick'], [2100, 'silent-round'], [2200, 'tick'], [2600, 'silent-round'], [2700, 'tick']]);
    assert.equal(r.last.state, 'down');
    assert.equal(r.probes, 3);
  });

  it('explains each round in words', () => {
    assert.deepEqual(judgeRound(silentRound, true), { reached: false, reason: 'agent silent to the console and tc-2; the host answers ping (service hung)' });
    assert.equal(judgeRound({ consoleApi: 'fail', consoleIcmp: 'fail', peers: [] }, false).reason, 'agent silent to the console; the host does not answer ping');
    assert.equal(judgeRound(peerReaches, true).reached, true);
    assert.equal(judgeRound({ consoleApi: 'fail', consoleIcmp: 'ok', peers: [{ peerId: 'p', api: 'unavailable', icmp: 'unavailable' }] }, true).reached, true, 'with peers alive but none able to vouch, the round proves nothing');
  });

  it('suspects the console itself when most of the fleet goes silent', () => {
    const table: [number, number, boolean][] = [
      [1, 1, false],
      [2, 2, true],
      [3, 2, false],
      [4, 2, false],
      [4, 3, true],
      [100, 51, true],
      [100, 50, false],
    ];
    for (const [monitored, silent, isolated] of table) assert.equal(consoleIsolated({ monitored, silent }), isolated, `${silent}/${monitored}`);
  });
});
