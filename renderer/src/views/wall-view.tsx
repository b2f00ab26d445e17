import { type ReactNode, useEffect, useRef, useState } from 'react';
import { displayState, type HostView } from '../../../main/core/api';
import { useAlarmSound } from '../components/alarm-sound';
import { Clock } from '../components/clock';
import { HostTile } from '../components/host-tile';
import { type TileLayout, useTileLayout } from '../components/tile-layout';
import { WallBanner } from '../components/wall-banner';
import { LeaderBadge } from '../components/leader-badge';
import type { UiTransport } from '../transport/ui-transport';
import type { Snapshot } from '../state/console-store';
import { registeredWallPages } from './wall-pages';
import './network-wall-pages';
import './channels-wall-page';
import './archives-wall-page';

interface WallPage {
  title: string;
  hosts(all: HostView[]): HostView[];
}

/** Host-tile pages that rotate; pages of other kinds (alerts, channels, …) come from wall-pages.tsx's registry. */
const PAGES: WallPage[] = [
  { title: 'Overview', hosts: (all) => all },
  { title: 'Needs attention', hosts: (all) => all.filter((h) => !['ok', 'reserve'].includes(displayState(h))) },
];

/** A page in the rotation; a page of more tiles than fit shows its next screenful each time it comes round. */
interface ShownPage {
  title: string;
  screens: number;
  render(screen: number): ReactNode;
}

export function WallView({ snap, transport }: { snap: Snapshot; transport?: UiTransport }) {
  const [turn, setTurn] = useState(0);
  const rotateSec = snap.settings?.wall.rotateSec ?? 20;
  const sound = useAlarmSound(snap.alerts.alarm);
  const body = useRef<HTMLDivElement>(null);
  const layout = useTileLayout(body);
  const pages: ShownPage[] = [
    ...PAGES.flatMap((p, i) => {
      const hosts = p.hosts(snap.hosts);
      if (i > 0 && hosts.length === 0) return [];
      const screens = Math.max(1, Math.ceil(hosts.length / layout.perScreen));
      return [{ title: p.title, screens, render: (screen: number) => <TileGrid hosts={hosts.slice(screen * layout.perScreen, (screen + 1) * layout.perScreen)} layout={layout} /> }];
    }),
    ...registeredWallPages()
      .filter((p) => p.visible(snap))
      .map((p) => ({ title: p.title, screens: 1, render: () => p.render(snap) })),
  ];
  useEffect(() => {
    const t = setInterval(() => setTurn((i) => i + 1), rotateSec * 1000);
    return () => clearInterval(t);
  }, [rotateSec]);
  const page = pages[turn % pages.length]!;
  const screen = Math.floor(turn / pages.length) % page.screens;

  return (
    <div className="wall" data-sound={sound}>
      <header className="wall-top">
        <div className="wall-title">
          TALLY <span className="wall-page">{page.title}</span>
          {page.screens > 1 && <span className="wall-page-count wall-screen"> {screen + 1}/{page.screens}</span>}
          {pages.length > 1 && <span className="wall-page-count"> · page {(turn % pages.length) + 1}/{pages.length}</span>}
        </div>
        {transport && <LeaderBadge transport={transport} big />}
        <Clock big />
      </header>
      {!snap.connected && <div className="wall-banner wall-banner-stale" role="alert">Connection to the console lost — figures below are stale</div>}
      {snap.fleet?.isolated && (
        <div className="wall-banner wall-banner-stale" role="alert">
          Console isolated — {snap.fleet.silent}/{snap.fleet.monitored} hosts silent; no failover until it clears
        </div>
      )}
      <WallBanner snap={snap} sound={sound} />
      <div className="wall-body" ref={body}>
        {page.render(screen)}
      </div>
    </div>
  );
}

function TileGrid({ hosts, layout }: { hosts: HostView[]; layout: TileLayout }) {
  return (
    <div className="wall-grid" style={{ gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`, gridAutoRows: `${layout.tileHeightPx}px` }}>
      {hosts.map((h) => (
        <HostTile key={h.id} host={h} />
      ))}
    </div>
  );
}
