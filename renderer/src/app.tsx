import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConsoleStore } from './state/console-store';
import { OperatorDesk } from './views/operator-desk';
import { WallView } from './views/wall-view';

function currentView(): 'wall' | 'desk' {
  return window.location.pathname.endsWith('/wall') || window.location.hash === '#/wall' ? 'wall' : 'desk';
}

export function App({ store }: { store: ConsoleStore }) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [view, setView] = useState(currentView);
  useEffect(() => {
    const onHash = () => setView(currentView());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.body.dataset.view = view;
  }, [view]);
  return view === 'wall' ? <WallView snap={snap} transport={store.transport} /> : <OperatorDesk store={store} snap={snap} />;
}
