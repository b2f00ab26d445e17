// Fails (exit 1) when any source file breaks the dependency rules of DESIGN §1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkDependencyRules, type SourceFile } from './dependency-rules';

const ROOTS = ['main', 'renderer', 'agents', 'lib'];
const root = process.cwd();

function walk(dir: string, out: SourceFile[]): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(tsx?|mts|cts)$/.test(name)) out.push({ path: path.relative(root, full).split(path.sep).join('/'), source: readFileSync(full, 'utf8') });
  }
}

const files: SourceFile[] = [];
for (const dir of ROOTS) walk(path.join(root, dir), files);
const violations = checkDependencyRules(files);
for (const v of violations) console.error(`${v.file}:${v.line}: ${v.specifier} — ${v.rule}`);
if (violations.length > 0) {
  console.error(`dependency rules: ${violations.length} violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`dependency rules: ${files.length} files, no violations`);
