// Comparison studies (issue 13): "TRM vs DIS on these puzzles" as one action. Each method's config
// trains with the same k seeds on the same data, budget and backbone, so the spread across seeds
// is measured, not guessed; the study keeps which run is which method and seed.
import type { RunSummary, StudyDetail, StudyMethod, StudySummary } from '../../src-shared/api/contract';
import type { RunConfig } from '../../src-shared/method/run-config';
import { badRequest } from './errors';
import { BACKBONE_KEYS } from './queue';
import type { StudyRow } from './store/study-store';

/** Largest k: a study is a handful of seeds per method, not a sweep. */
export const MAX_STUDY_SEEDS = 20;

/**
 * The configs of a study must differ only in their method (and its own settings): one config per
 * method, the same data, seed, budget, batch size, evaluation and backbone. Says what differs.
 */
export function checkStudyConfigs(configs: readonly RunConfig[]): void {
  if (configs.length < 2) throw badRequest(`configs: a study compares at least two methods, got ${configs.length} config${configs.length === 1 ? '' : 's'}`);
  const methods = configs.map((c) => c.method);
  const dup = methods.find((m, i) => methods.indexOf(m) !== i);
  if (dup !== undefined) throw badRequest(`configs: method ${dup} appears twice; give one config per method`);
  const [a, ...rest] = configs as [RunConfig, ...RunConfig[]];
  for (const [i, b] of rest.entries()) {
    const where = `configs[${i + 1}] (${b.method}) vs configs[0] (${a.method})`;
    const same = (label: string, x: unknown, y: unknown) => {
      if (JSON.stringify(x) !== JSON.stringify(y)) throw badRequest(`${where}: ${label} must match for a fair comparison (${JSON.stringify(y)} vs ${JSON.stringify(x)})`);
    };
    same('data', a.data, b.data);
    same('seed', a.seed, b.seed);
    same('budget', a.budget, b.budget);
    same('batchSize', a.batchSize, b.batchSize);
    same('eval', a.eval, b.eval);
    for (const k of backboneKeys(a.method, b.method)) same(`model.${k}`, a.model[k], b.model[k]);
  }
}

/**
 * The backbone settings two methods must share in a study. HRM's network is shaped by its method:
 * two block stacks (f_L's `layers`, f_H's `hLayers`), a one-position puzzle prefix (its puzzle
 * embedding is D wide) and attention with RoPE, so beside TRM or DIS only the sizes both networks
 * have in common are matched (width, heads, expansion, puzzle-embedding width, RoPE base, preset).
 */
export function backboneKeys(a: StudyMethod, b: StudyMethod): ReadonlyArray<(typeof BACKBONE_KEYS)[number]> {
  if ((a === 'hrm') === (b === 'hrm')) return BACKBONE_KEYS;
  return BACKBONE_KEYS.filter((k) => k !== 'layers' && k !== 'puzzleEmbLen' && k !== 'mixer' && k !== 'posEncodings');
}

/** The study's runs: for each seed (base, base+1, …), one config per method, named by method and seed. */
export function seedStudyConfigs(name: string, configs: readonly RunConfig[], k: number): Array<{ seed: number; configs: RunConfig[] }> {
  if (!Number.isInteger(k) || k < 1 || k > MAX_STUDY_SEEDS) throw badRequest(`seeds: between 1 and ${MAX_STUDY_SEEDS} seeds per method, got ${k}`);
  const base = configs[0]!.seed;
  return Array.from({ length: k }, (_, i) => {
    const seed = (base + i) % 2 ** 31;
    return { seed, configs: configs.map((c) => ({ ...c, seed, name: `${name} · ${c.method.toUpperCase()} · seed ${seed}` })) };
  });
}

export function studySummary(row: StudyRow, runs: ReadonlyMap<string, RunSummary>): StudySummary {
  const statusCounts: StudySummary['statusCounts'] = {};
  for (const r of row.runs) {
    const s = runs.get(r.runId)?.status;
    if (s !== undefined) statusCounts[s] = (statusCounts[s] ?? 0) + 1;
  }
  return { id: row.id, name: row.name, methods: row.methods as StudyMethod[], seeds: row.seeds, runs: row.runs, statusCounts, createdAt: row.createdAt };
}

export function studyDetail(row: StudyRow, runs: ReadonlyMap<string, RunSummary>): StudyDetail {
  return { ...studySummary(row, runs), configs: row.configs };
}
