/**
 * The dependency rules of DESIGN §1 as a pure function over source files, so the rule check itself is unit-tested.
 * scripts/check-deps.ts runs it over the repository and fails CI on any violation. Besides DESIGN §1: lib/ holds the
 * helpers both sides need (atomic write, keyed queue, Prometheus text); it imports only Node built-ins and lib/, and
 * agents/ and main/ may import it. The renderer may not (its rule allows only main/core/api.ts from outside). "main/core never touches the DOM"
 * is checked by the compiler instead: tsconfig.core.json type-checks main/core without the DOM library.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. main/core/console.ts */
  path: string;
  source: string;
}

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\s+['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const ELECTRON = /^(electron|electron-store|@electron\/.*)$/;

/** Blanks out comments (keeping line breaks) so that prose about imports is not read as an import. */
export function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function importsOf(rawSource: string): { specifier: string; line: number }[] {
  const source = stripComments(rawSource);
  const found: { specifier: string; line: number }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push({ specifier: match[1]!, line });
    }
  }
  return found;
}

/** Where a relative specifier points, repository-relative and without extension; bare specifiers stay as they are. */
export function resolveSpecifier(fromFile: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier)).replace(/\.(tsx?|mjs|cjs|js)$/, '');
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

export function checkFile(file: SourceFile): Violation[] {
  const out: Violation[] = [];
  const flag = (specifier: string, line: number, rule: string) => out.push({ file: file.path, line, specifier, rule });
  for (const { specifier, line } of importsOf(file.source)) {
    const target = resolveSpecifier(file.path, specifier);
    if (ELECTRON.test(specifier) && !under(file.path, 'main/electron')) flag(specifier, line, 'electron is imported only in main/electron/');
    if (under(file.path, 'main/core')) {
      for (const banned of ['main/server', 'main/electron', 'renderer']) {
        if (under(target, banned)) flag(specifier, line, `main/core never imports ${banned}/`);
      }
      if (under(target, 'agents') && target !== 'agents/protocol' && !under(target, 'agents/protocol')) {
        flag(specifier, line, 'main/core imports only agents/protocol.ts and agents/protocol/ from the agent side');
      }
    }
    if (under(file.path, 'renderer')) {
      if (specifier.startsWith('.') && !under(target, 'renderer') && target !== 'main/core/api') {
        flag(specifier, line, 'the renderer imports only main/core/api.ts from outside renderer/');
      }
      if (NODE_BUILTINS.has(specifier)) flag(specifier, line, 'no Node built-ins in the renderer');
    }
    if (under(file.path, 'agents') && (under(target, 'main') || under(target, 'renderer'))) {
      flag(specifier, line, 'agents import nothing from main/ or renderer/');
    }
    // lib/ is the neutral ground both the agent and the console may import: it depends on Node's built-ins alone.
    if (under(file.path, 'lib')) {
      if (specifier.startsWith('.') ? !under(target, 'lib') : !NODE_BUILTINS.has(specifier)) {
        flag(specifier, line, 'lib/ imports only Node built-ins and other lib/ files');
      }
    }
  }
  return out;
}

export function checkDependencyRules(files: SourceFile[]): Violation[] {
  return files.flatMap(checkFile);
}
