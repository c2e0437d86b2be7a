// External solvers through the lab service: import a submission.json, keep it across restarts, score it
// against a library dataset and a run's tasks (real ARC-AGI-1 evaluation tasks from ../shared/arc).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabService } from '../../../src-main/service/api';
import { LabError } from '../../../src-main/service/errors';
import { parseParams } from '../../../src-main/service/validate-request';
import type { Grid } from '../../../src-shared/puzzle/types';
import { scriptedService, tempDataDir, tinyConfig } from './helpers';

const ARC = path.resolve(import.meta.dirname, '../../../../shared/arc');
const HAVE_ARC = existsSync(path.join(ARC, 'arc-agi_evaluation_solutions.json'));
const IDS = ['00576224', '0692e18c', '6ea4a07e'];

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function open(dir: string): LabService {
  const { service } = scriptedService(dir);
  cleanup.push(() => service.close());
  return service;
}

function subset(kind: 'challenges' | 'solutions'): Record<string, unknown> {
  const all = JSON.parse(readFileSync(path.join(ARC, `arc-agi_evaluation_${kind}.json`), 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(IDS.map((id) => [id, all[id]]));
}

describe.skipIf(!HAVE_ARC)(`external solvers in the lab service${HAVE_ARC ? '' : ' (skipped: ../shared/arc is absent)'}`, () => {
  it('imports a hand-made submission, keeps it across restarts and scores it against a dataset and a run', async () => {
    const { dir, cleanup: rm } = tempDataDir();
    cleanup.push(rm);
    let service = open(dir);
    const imported = await service.importFiles({
      name: 'ARC-1 eval subset',
      files: [
        { name: 'sub_challenges.json', content: JSON.stringify(subset('challenges')) },
        { name: 'sub_solutions.json', content: JSON.stringify(subset('solutions')) },
      ],
    });
    expect(imported.loaded).toBe(3);
    const solutions = subset('solutions') as Record<string, Grid[]>;
    // right on the first task (attempt 2), on one of the two test inputs of the third, the second task missing
    const content = JSON.stringify({
      [IDS[0]!]: [{ attempt_1: [[0]], attempt_2: solutions[IDS[0]!]![0] }],
      [IDS[2]!]: [{ attempt_1: solutions[IDS[2]!]![0], attempt_2: [[1]] }, { attempt_1: [[1]], attempt_2: [[1]] }],
      other: [{ attempt_1: [[1]], attempt_2: [[1]] }],
    });
    const solver = await service.importSubmission({ name: 'hand-made', file: 'hand.json', content });
    expect(solver).toMatchObject({ name: 'hand-made', sourceFile: 'hand.json', taskIds: [IDS[0], IDS[2], 'other'], testCount: 4 });
    expect(solver.sha256).toMatch(/^[0-9a-f]{64}$/);

    await service.close();
    service = open(dir);
    expect(await service.listSolvers()).toEqual([solver]);

    const byDataset = await service.scoreSolver({ id: solver.id, datasetId: imported.datasetId! });
    expect(byDataset.score.missing).toEqual([IDS[1]]);
    expect(byDataset.score.ignored).toEqual(['other']);
    expect(byDataset.score.score).toBeCloseTo((1 + 0 + 0.5) / 3, 12);
    expect(byDataset.report.tasks.map((t) => [t.taskId, t.testIndex, t.passAt1, t.passAt2])).toEqual([
      [IDS[0], 0, false, true],
      [IDS[2], 0, true, true],
      [IDS[2], 1, false, false],
    ]);

    const [run] = await service.queueRuns({ configs: [tinyConfig('on the subset', 5, { data: { ...tinyConfig('x', 5).data, source: { kind: 'dataset', datasetId: imported.datasetId! } } })] });
    const byRun = await service.scoreSolver({ id: solver.id, runId: run!.id });
    expect(byRun.against).toEqual({ kind: 'run', id: run!.id, name: 'on the subset' });
    expect(byRun.score.score).toBeCloseTo(byDataset.score.score, 12);
  });

  it('refuses a bad file with its located problems and stores nothing', async () => {
    const { dir, cleanup: rm } = tempDataDir();
    cleanup.push(rm);
    const service = open(dir);
    const bad = JSON.stringify({ [IDS[0]!]: [{ attempt_1: [[1, 2], [3]], attempt_2: [[1]] }] });
    const err = await service.importSubmission({ name: 'bad', file: 'bad.json', content: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('bad-request');
    expect((err as LabError).message).toContain(`bad.json › task ${IDS[0]} › test[0].attempt_1[1]: ragged grid: row 1 has 1 cells but row 0 has 2`);
    expect(await service.listSolvers()).toEqual([]);
    await expect(service.scoreSolver({ id: 'ext-nope', datasetId: 'ds-nope' })).rejects.toThrow(/no external solver with id ext-nope/);
    expect(() => parseParams('scoreSolver', { id: 'ext-1' })).toThrow(/give exactly one of runId/);
    expect(() => parseParams('scoreSolver', { id: 'ext-1', runId: 'r', datasetId: 'd' })).toThrow(/give exactly one of runId/);
  });
});
