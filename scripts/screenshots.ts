// README screenshots from runs that learned something (issue 13): trains a TRM-vs-DIS comparison
// study on recolour puzzles at sides 3–4 (tiny models reach > 0.8 pass@2 there on a CPU) through
// the lab service, then captures the run view, compare, the study, the editor, the playground and
// solve mode with Chromium into docs/screenshots/. It refuses to write screenshots of runs that did
// not learn (best pass@2 below --min-pass2), so the README never shows an untrained model.
//
//   npm run screenshots -- [--data-dir DIR] [--steps 600] [--seeds 2] [--out docs/screenshots] [--min-pass2 0.8]
//
// Training takes a while (about 10 minutes per run on a quiet 2-core machine). With --data-dir the
// lab's data is kept: a second call reuses the finished study and only retakes the screenshots.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { forkLauncher } from '../src-main/engine/process/host';
import { LabService } from '../src-main/service/api';
import { startServer } from '../src-main/serve/server';
import type { RunSummary, StudyDetail } from '../src-shared/api/contract';
import { defaultRunConfig, type RunConfig } from '../src-shared/method/run-config';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STUDY_NAME = 'recolour sides 3–4: TRM vs DIS';
const TOKEN = 'screenshots-token';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    steps: { type: 'string', default: '600' },
    seeds: { type: 'string', default: '2' },
    out: { type: 'string', default: 'docs/screenshots' },
    'min-pass2': { type: 'string', default: '0.8' },
    chromium: { type: 'string', default: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' },
  },
});
const steps = Number(values.steps);
const seeds = Number(values.seeds);
const minPass2 = Number(values['min-pass2']);
if (!Number.isInteger(steps) || steps < 10) throw new Error(`--steps must be an integer ≥ 10, got ${values.steps}`);
if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20) throw new Error(`--seeds must be 1..20, got ${values.seeds}`);
const outDir = path.resolve(ROOT, values.out!);
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : mkdtempSync(path.join(tmpdir(), 'puzzle-lab-screenshots-'));
mkdirSync(dataDir, { recursive: true });

/** The lab's quick-start settings (run setup's defaults) on recolour at sides 3–4, a 5×5 canvas. */
function config(method: 'trm' | 'dis', datasetId: string): RunConfig {
  const base = defaultRunConfig(method, 'tiny');
  return {
    ...base,
    name: method.toUpperCase(),
    data: { ...base.data, source: { kind: 'dataset', datasetId }, canvas: 5, augmentations: 4, translate: false },
    batchSize: 32,
    budget: { optimizerSteps: steps, trajectories: 0 },
    optimizer: { ...base.optimizer, lr: 1e-3, warmupSteps: 50 },
    eval: { ...base.eval, interval: Math.max(1, Math.round(steps / 6)), augmentations: 2 },
    snapshotInterval: Math.max(1, Math.round(steps / 12)),
    probes: 2,
    checkpointInterval: 0,
    seed: 0,
  };
}

async function waitForRuns(service: LabService, ids: string[]): Promise<RunSummary[]> {
  let last = '';
  for (;;) {
    const runs = (await service.listRuns()).filter((r) => ids.includes(r.id));
    const line = runs.map((r) => `${r.name}: ${r.status} ${r.step}/${r.totalSteps}`).join(' | ');
    if (line !== last) console.log(line);
    last = line;
    if (runs.every((r) => !['queued', 'running', 'paused'].includes(r.status))) return runs;
    await new Promise((res) => setTimeout(res, 5_000));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(800); // charts draw after their data arrives
  await page.screenshot({
    path: path.join(outDir, `${name}.png`),
    fullPage: true,
    style: 'nav[aria-label="Main"], footer[aria-label="Status"] { position: static !important; height: auto !important; }',
  });
  console.log(`wrote ${path.join(values.out!, `${name}.png`)}`);
}

async function main(): Promise<void> {
  const service = new LabService({ dataDir, mode: 'serve', launcher: forkLauncher() });
  const server = await startServer({ api: service, token: TOKEN, port: 0, rendererDir: path.join(ROOT, 'out/renderer') });
  try {
    let study: StudyDetail | undefined;
    const known = (await service.listStudies()).find((s) => s.name === STUDY_NAME);
    if (known) study = await service.getStudy({ id: known.id });
    else {
      const gen = await service.generateTasks({ family: 'recolour', count: 8, minSide: 3, maxSide: 4, difficulty: 1, seed: 0, save: true });
      study = await service.queueStudy({ name: STUDY_NAME, configs: [config('trm', gen.datasetId!), config('dis', gen.datasetId!)], seeds });
      console.log(`queued ${study.runs.length} runs in ${dataDir}`);
    }
    const runs = await waitForRuns(service, study.runs.map((r) => r.runId));
    const scores = await Promise.all(runs.map(async (r) => ({ run: r, eval: (await service.getRun({ id: r.id })).lastEval })));
    for (const s of scores) console.log(`${s.run.name}: ${s.run.status}, pass@2 ${s.eval ? s.eval.passAt2.toFixed(3) : 'not evaluated'}`);
    const best = scores.filter((s) => s.eval !== null).sort((a, b) => b.eval!.passAt2 - a.eval!.passAt2)[0];
    if (!best || best.eval!.passAt2 < minPass2) {
      throw new Error(`no run reached pass@2 ≥ ${minPass2} (best ${best?.eval?.passAt2.toFixed(3) ?? 'none'}): not writing screenshots of models that did not learn; train longer (--steps, in a new --data-dir) or on a quieter machine; the trained runs stay in ${dataDir}`);
    }
    const ref = study.runs.find((r) => r.runId === best.run.id)!;
    const partner = study.runs.find((r) => r.seed === ref.seed && r.method !== ref.method)!;
    const [a, b] = ref.method === 'trm' ? [ref.runId, partner.runId] : [partner.runId, ref.runId];
    const tasks = await service.runTasks({ runId: best.run.id });
    const solved = best.eval!.tasks.find((t) => t.passAt2) ?? best.eval!.tasks[0]!;
    const library = await service.listTasks({ search: solved.taskId, limit: 1 });

    mkdirSync(outDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: values.chromium, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const go = async (hash: string) => {
      await page.goto(`${server.url.split('?')[0]}?token=${TOKEN}${hash}`);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    };
    await go(`#/runs/${best.run.id}`);
    await page.getByRole('group', { name: 'Probe filmstrip' }).waitFor();
    await shot(page, 'run-view');
    await go(`#/compare/${a}/${b}`);
    await page.getByTestId('linked-step').waitFor();
    await shot(page, 'compare');
    await go(`#/studies/${study.id}`);
    await page.getByTestId('band-trm').waitFor({ state: 'attached' }); // a band of equal seeds has no height
    await shot(page, 'study');
    if (library.items[0]) {
      await go(`#/editor/${library.items[0].id}`);
      await page.getByRole('application', { name: 'Grid editor' }).waitFor();
      await shot(page, 'editor');
    }
    if (!tasks.some((t) => t.taskId === solved.taskId)) throw new Error(`task ${solved.taskId} is not in the run's snapshot`);
    await go(`#/playground/${best.run.id}/${encodeURIComponent(solved.taskId)}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('region', { name: 'Predictions' }).waitFor({ timeout: 120_000 });
    await shot(page, 'playground');
    await page.getByRole('button', { name: 'Solve it yourself' }).click();
    await page.getByRole('region', { name: 'Solve it yourself' }).getByRole('button', { name: 'Copy of the input' }).click();
    await page.getByRole('region', { name: 'Solve it yourself' }).scrollIntoViewIfNeeded();
    await shot(page, 'solve-mode');
    await browser.close();
  } finally {
    await server.close();
    await service.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`screenshots: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
