import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../../../src-main/engine/data/resolve-source';

let dir = '';
const t1 = { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'resolve-source-'));
  await mkdir(path.join(dir, 'nested', 'deeper'), { recursive: true });
  await writeFile(path.join(dir, 'nested', 'aaaa1111.json'), JSON.stringify(t1));
  await writeFile(path.join(dir, 'nested', 'deeper', 'bbbb2222.json'), JSON.stringify(t1));
  await writeFile(path.join(dir, 'notes.txt'), 'not a task');
  const combined = path.join(dir, 'combined');
  await mkdir(combined);
  await writeFile(path.join(combined, 'x_challenges.json'), JSON.stringify({ cc: { train: t1.train, test: [{ input: [[5]] }] } }));
  await writeFile(path.join(combined, 'x_solutions.json'), JSON.stringify({ cc: [[[6]]] }));
  await writeFile(path.join(dir, 'broken.json'), '{"train": [}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveSource', () => {
  it('reads every task file of a folder recursively', async () => {
    const tasks = await resolveSource({ kind: 'file', path: path.join(dir, 'nested') });
    expect(tasks.map((t) => t.id).sort()).toEqual(['aaaa1111', 'bbbb2222']);
  });

  it('picks up the solutions file next to a challenges file', async () => {
    const tasks = await resolveSource({ kind: 'file', path: path.join(dir, 'combined', 'x_challenges.json') });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.test[0]?.output).toEqual([[6]]);
  });

  it('reports broken files and missing paths by name', async () => {
    await expect(resolveSource({ kind: 'file', path: dir })).rejects.toThrow(/broken\.json/);
    await expect(resolveSource({ kind: 'file', path: path.join(dir, 'nope') })).rejects.toThrow(/ARC data path .*nope does not exist/);
  });

  it('generates built-in sources', async () => {
    const fam = await resolveSource({ kind: 'family', family: 'recolour', tasks: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 0 });
    expect(fam).toHaveLength(2);
    const nq = await resolveSource({ kind: 'nqueens', n: 6, train: 4, test: 2, seed: 0 });
    expect(nq).toHaveLength(1);
    expect(nq[0]?.train).toHaveLength(4);
    const sd = await resolveSource({ kind: 'sudoku', train: 2, test: 1, difficulty: 1, seed: 0 });
    expect(sd[0]?.test).toHaveLength(1);
  });

  it('refuses library sources, which only the lab service can resolve', async () => {
    await expect(resolveSource({ kind: 'library', taskIds: ['a'] })).rejects.toThrow(/only the lab service can resolve/);
    await expect(resolveSource({ kind: 'dataset', datasetId: 'd' })).rejects.toThrow(/only the lab service can resolve/);
  });
});

const ARC_TRAINING = path.resolve(import.meta.dirname, '../../../../../shared/arc/arc-agi_training_challenges.json');
const haveArc = await import('node:fs').then((fs) => fs.existsSync(ARC_TRAINING));

describe.skipIf(!haveArc)('resolveSource on the ARC-AGI-1 training set', () => {
  it('reads 400 tasks with their solutions and builds 1302 training and 416 evaluation examples', async () => {
    const { buildDatasets } = await import('../../../../src-main/engine/data/training-set');
    const { getEncoding } = await import('../../../../src-shared/puzzle/tokens');
    const tasks = await resolveSource({ kind: 'file', path: ARC_TRAINING });
    expect(tasks).toHaveLength(400);
    expect(tasks.every((t) => t.test.every((p) => p.output !== undefined))).toBe(true);
    const sets = buildDatasets(tasks, {
      encoding: getEncoding('arc'),
      augmentations: 0,
      evalAugmentations: 0,
      translate: false,
      trainOnTestPairs: false,
      seed: 0,
      blankPuzzleIds: false,
    });
    // docs/method-notes.md#pairs-and-splits: 1302 demonstration pairs and 416 test pairs.
    expect(sets.train.totalExamples).toBe(1302);
    expect(sets.eval.examples).toHaveLength(416);
    expect(sets.train.numPuzzleIds).toBe(401);
  });
});
