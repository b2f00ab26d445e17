/**
 * Runs the test suites with Node's test runner (unit in parallel, integration and e2e one file at a time because they
 * start real processes on two cores) and ends with one plain line: "N passed, N failed, N skipped".
 * Usage: tsx scripts/run-tests.ts [unit] [integration] [e2e]   (default: all three)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SUITES = ['unit', 'integration', 'e2e'] as const;
type Suite = (typeof SUITES)[number];
const requested = process.argv.slice(2).filter((a): a is Suite => (SUITES as readonly string[]).includes(a));
const suites: Suite[] = requested.length ? requested : [...SUITES];

function testFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(testFiles(full));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(full);
  }
  return out;
}

mkdirSync('test-results', { recursive: true });
const totals = { pass: 0, fail: 0, skipped: 0 };
const failedSuites: string[] = [];

for (const suite of suites) {
  const files = testFiles(path.join('test', suite));
  if (files.length === 0) {
    console.log(`\n== ${suite}: no test files`);
    continue;
  }
  console.log(`\n== ${suite}: ${files.length} files`);
  const tapFile = path.join('test-results', `${suite}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${suite === 'unit' ? 2 : 1}`,
      `--test-timeout=${suite === 'unit' ? 30_000 : 240_000}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, TALLY_TEST_SUITE: suite } },
  );
  const tap = readFileSync(tapFile, 'utf8');
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  totals.pass += count('pass');
  totals.fail += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (result.status !== 0) failedSuites.push(suite);
}

console.log(`\nsuites: ${suites.join(', ')}${failedSuites.length ? ` (failed: ${failedSuites.join(', ')})` : ''}`);
console.log(`${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failedSuites.length || totals.fail ? 1 : 0);
