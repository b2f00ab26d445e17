import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDependencyRules, importsOf, resolveSpecifier } from '../../../scripts/dependency-rules';

const rulesBroken = (path: string, source: string) => checkDependencyRules([{ path, source }]).map((v) => v.rule);

describe('dependency rule check', () => {
  it('reads every form of import, but not prose about imports', () => {
    const src = [
      "import a from './a';",
      "import type { B } from '../b';",
      "import './side-effect';",
      "export { c } from './c';",
      "const d = await import('./d');",
      "const e = require('e');",
      "// import z from 'electron' is how you would do it",
      "/* require('electron') */",
    ].join('\n');
    assert.deepEqual(importsOf(src).map((i) => i.specifier).sort(), ['../b', './a', './c', './d', './side-effect', 'e']);
  });

  it('resolves relative specifiers from the importing file', () => {
    assert.equal(resolveSpecifier('main/core/fleet/inventory.ts', '../api'), 'main/core/api');
    assert.equal(resolveSpecifier('main/core/console.ts', '../../agents/protocol.ts'), 'agents/protocol');
    assert.equal(resolveSpecifier('renderer/src/app.tsx', 'react'), 'react');
  });

  it('allows the intended edges', () => {
    assert.deepEqual(rulesBroken('main/electron/main.ts', "import { app } from 'electron';\nimport x from '../core/console';"), []);
    assert.deepEqual(rulesBroken('main/core/console.ts', "import { z } from '../../agents/protocol';\nimport { T } from '../../agents/protocol/transcoder';"), []);
    assert.deepEqual(rulesBroken('renderer/src/x.tsx', "import { HostView } from '../../main/core/api';\nimport React from 'react';"), []);
    assert.deepEqual(rulesBroken('main/server/cli.ts', "import { startDemoPlant } from '../../agents/lab/demo-plant';"), []);
    assert.deepEqual(rulesBroken('agents/roles/archive/segment-index.ts', "import { writeFileAtomic } from '../../../lib/atomic-write';"), []);
    assert.deepEqual(rulesBroken('main/core/snapshots/blob-store.ts', "import { writeFileAtomic } from '../../../lib/atomic-write';"), []);
    assert.deepEqual(rulesBroken('main/server/http-transport.ts', "import { METRICS_CONTENT_TYPE } from '../../lib/prometheus-text';"), []);
    assert.deepEqual(rulesBroken('lib/atomic-write.ts', "import { open } from 'node:fs/promises';\nimport path from 'path';\nimport { KeyedQueue } from './keyed-queue';"), []);
  });

  it('flags each forbidden edge', () => {
    const table: [string, string, RegExp][] = [
      ['main/core/console.ts', "import { app } from 'electron';", /electron is imported only/],
      ['main/server/cli.ts', "import Store from 'electron-store';", /electron is imported only/],
      ['main/core/console.ts', "import { x } from '../server/http-transport';", /never imports main\/server/],
      ['main/core/console.ts', "import { x } from '../electron/main';", /never imports main\/electron/],
      ['main/core/console.ts', "import { x } from '../../renderer/src/app';", /never imports renderer/],
      ['main/core/console.ts', "import { startLab } from '../../agents/lab/lab';", /only agents\/protocol/],
      ['renderer/src/app.tsx', "import { createConsole } from '../../main/core/console';", /only main\/core\/api/],
      ['renderer/src/app.tsx', "import fs from 'node:fs';", /no Node built-ins/],
      ['renderer/src/app.tsx', "import path from 'path';", /no Node built-ins/],
      ['agents/agent.ts', "import { Host } from '../main/core/api';", /agents import nothing/],
      ['lib/keyed-queue.ts', "import { Host } from '../main/core/api';", /lib\/ imports only/],
      ['lib/keyed-queue.ts', "import { z } from '../agents/protocol';", /lib\/ imports only/],
      ['lib/keyed-queue.ts', "import { x } from '../renderer/src/app';", /lib\/ imports only/],
      ['lib/keyed-queue.ts', "import { z } from 'zod';", /lib\/ imports only/],
      ['renderer/src/app.tsx', "import { KeyedQueue } from '../../lib/keyed-queue';", /only main\/core\/api/],
    ];
    for (const [file, src, rule] of table) {
      const broken = rulesBroken(file, src);
      assert.equal(broken.length, 1, `${file}: ${src} → ${broken.join(' | ')}`);
      assert.match(broken[0]!, rule);
    }
  });
});
