// `npm test`: every check a submission must pass, in order — strict typechecks (Node side and
// renderer), the production build, unit/integration tests (vitest), and the UI tests (Playwright in
// Debian's Chromium against headless serve mode). It ends with one line "N passed, N failed"
// summed over vitest and Playwright, which is what CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;

function step(title, cmd, args) {
  console.log(`\n=== ${title}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`=== ${title} FAILED (exit ${r.status ?? r.signal})`);
    ok = false;
    return false;
  }
  return true;
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  passed += j.numPassedTests ?? 0;
  failed += j.numFailedTests ?? 0;
  skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const s = j.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  return true;
}

step('typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json', '--composite', 'false']);
step('typecheck (renderer)', bin('svelte-check'), ['--tsconfig', './tsconfig.web.json', '--fail-on-warnings', '--threshold', 'warning']);
step('build (electron-vite)', bin('electron-vite'), ['build']);
step('build (renderer for serve mode)', bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);

const vitestJson = path.join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
step('unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (!countVitest(vitestJson)) {
  console.error('=== vitest wrote no report');
  ok = false;
  failed += 1;
}

const pwJson = path.join(results, 'playwright.json');
rmSync(pwJson, { force: true });
if (existsSync(path.join(root, 'playwright.config.ts'))) {
  process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] = pwJson;
  step('UI tests (Playwright, Debian chromium)', bin('playwright'), ['test', '--reporter=list,json']);
  if (!countPlaywright(pwJson)) {
    console.error('=== Playwright wrote no report');
    ok = false;
    failed += 1;
  }
}

if (!ok && failed === 0) failed = 1; // a failed typecheck or build counts as a failure
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok && failed === 0 ? 0 : 1);
