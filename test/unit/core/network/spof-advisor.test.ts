import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainReserveGroups, type RedundancyGroup, sharedSwitch, spofFindings } from '../../../../main/core/network/spof-advisor';
import type { HostUplink } from '../../../../main/core/network/switch-spec';

const link = (hostId: string, switchId: string, port = 1): HostUplink => ({ hostId, switchId, port });
const group = (kind: RedundancyGroup['kind'], label: string, ...ids: string[]): RedundancyGroup => ({
  key: `${kind}:${label}`, kind, label, members: ids.map((id) => ({ id, name: id })),
});
const switches = [{ id: 's1', name: 'core-1' }, { id: 's2', name: 'core-2' }];

describe('single point of failure rule', () => {
  const table: [string, RedundancyGroup, HostUplink[], string | null][] = [
    ['main and reserve on one switch', group('main-reserve', 'tc-1', 'tc-1', 'tc-r'), [link('tc-1', 's1'), link('tc-r', 's1', 2)], 's1'],
    ['main and reserve on different switches', group('main-reserve', 'tc-1', 'tc-1', 'tc-r'), [link('tc-1', 's1'), link('tc-r', 's2')], null],
    ['a member dual-homed on both switches', group('main-reserve', 'tc-1', 'tc-1', 'tc-r'), [link('tc-1', 's1'), link('tc-r', 's1'), link('tc-r', 's2')], null],
    ['a member with no recorded uplink: cannot judge', group('archive-replicas', 'live/ch1', 'a', 'b'), [link('a', 's1')], null],
    ['three origins all on one switch', group('stream-origins', 'live/ch1', 'o1', 'o2', 'o3'), [link('o1', 's1'), link('o2', 's1'), link('o3', 's1')], 's1'],
  ];
  for (const [what, g, uplinks, shared] of table) it(what, () => assert.equal(sharedSwitch(g, uplinks), shared));

  it('says what is at risk and names the fix for each kind of group', () => {
    const uplinks = [link('tc-1', 's1'), link('tc-r', 's1'), link('arch-a', 's2'), link('arch-b', 's2'), link('o1', 's1'), link('o2', 's1')];
    const findings = spofFindings(
      [group('main-reserve', 'tc-1', 'tc-1', 'tc-r'), group('archive-replicas', 'live/ch1', 'arch-a', 'arch-b'), group('stream-origins', 'live/ch2', 'o1', 'o2')],
      uplinks,
      switches,
    );
    assert.deepEqual(findings.map((f) => [f.key, f.kind, f.severity, f.hostId, f.fix]), [
      ['spof:main-reserve:tc-1', 'network.spof', 'warning', 'tc-r', 'Move tc-r to another switch.'],
      ['spof:archive-replicas:live/ch1', 'network.spof', 'warning', 'arch-b', 'Move arch-b to another switch.'],
      ['spof:stream-origins:live/ch2', 'network.spof', 'warning', 'o2', 'Move o2 to another switch.'],
    ]);
    assert.equal(findings[0]?.summary, 'tc-1 and its reserve tc-r are behind the same switch core-1: one switch failure takes down the main and its backup');
    assert.match(findings[1]!.summary, /Every replica of the archive of live\/ch1 \(arch-a, arch-b\) is behind switch core-2/);
    assert.match(findings[2]!.summary, /Every origin of live\/ch2 \(o1, o2\) is behind switch core-1/);
    assert.deepEqual(findings[0]?.related, ['tc-1', 'tc-r', 's1']);
  });

  it('ignores groups of one', () => {
    assert.deepEqual(spofFindings([group('stream-origins', 'x', 'o1')], [link('o1', 's1')], switches), []);
  });

  it('pairs each main with the reserves of its kind and group', () => {
    const groups = mainReserveGroups([
      { id: 'h1', name: 'tc-1', kind: 'transcoder', role: 'main', group: 'tc' },
      { id: 'h2', name: 'tc-2', kind: 'transcoder', role: 'main', group: 'tc' },
      { id: 'h3', name: 'tc-r', kind: 'transcoder', role: 'reserve', group: 'tc' },
      { id: 'h4', name: 'arch', kind: 'archive', role: 'main', group: 'tc' },
      { id: 'h5', name: 'tc-m', kind: 'transcoder', role: 'maintenance', group: 'tc' },
    ]);
    assert.deepEqual(groups.map((g) => [g.key, g.members.map((m) => m.name)]), [
      ['main-reserve:h1', ['tc-1', 'tc-r']],
      ['main-reserve:h2', ['tc-2', 'tc-r']],
    ]);
  });
});
