import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ConsoleStore } from './state/console-store';
import './styles.css';
import { pickTransport } from './transport/pick-transport';

const root = createRoot(document.getElementById('root')!);
const transport = pickTransport();
if ('error' in transport) {
  root.render(
    <div className="fatal" role="alert">
      <h1>Tally</h1>
      <p>{transport.error}</p>
    </div>,
  );
} else {
  root.render(<App store={new ConsoleStore(transport)} />);
}
