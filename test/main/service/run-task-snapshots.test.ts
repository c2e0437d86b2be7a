import { afterEach, describe, expect, it } from 'vitest';
import { scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const { dir, cleanup } = tempDataDir();
  const s = scriptedService(dir);
  cleanups.push(cleanup, () => s.service.close());
  return { dir, ...s };
}

const grid = (c: number) => [[c, 0], [0, c]];

describe('a run owns a snapshot of its tasks', () => {
  it('keeps the library tasks it was queued with, even after the library task is edited and deleted', async () => {
    const { service } = setup();
    const saved = await service.saveTask({ task: { id: 'mine', train: [{ input: grid(1), output: grid(2) }], test: [{ input: grid(3), output: grid(4) }] } });
    const [run] = await service.queueRuns({ configs: [tinyConfig('lib', 10, { data: { ...tinyConfig('x', 1).data, source: { kind: 'library', taskIds: [saved.id] } } })] });
    await service.saveTask({ id: saved.id, task: { ...saved.task, test: [{ input: grid(5), output: grid(6) }] }, overwriteOriginal: true });
    await service.deleteTask({ id: saved.id });
    await waitForStatus(service, run!.id, ['completed']);
    const tasks = await service.runTasks({ runId: run!.id });
    expect(tasks.map((t) => t.taskId)).toEqual(['mine']);
    expect(tasks[0]!.task.test[0]!.input).toEqual(grid(3));
    expect(tasks[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('holds exactly the generated family tasks, all evaluated, and tells two generations with other sizes apart by content', async () => {
    const { service } = setup();
    const base = tinyConfig('fam', 5);
    const source = { kind: 'family' as const, family: 'recolour', tasks: 3, minSide: 3, maxSide: 4, difficulty: 1, seed: 0 };
    const [a, b] = await service.queueRuns({
      configs: [
        { ...base, data: { ...base.data, source, canvas: 8 } },
        { ...base, data: { ...base.data, source: { ...source, minSide: 5, maxSide: 6 }, canvas: 8 } },
      ],
    });
    const ta = await service.runTasks({ runId: a!.id });
    const tb = await service.runTasks({ runId: b!.id });
    const { tasks } = await service.generateTasks({ family: 'recolour', count: 3, minSide: 3, maxSide: 4, difficulty: 1, seed: 0, save: false });
    expect(ta.map((t) => t.task)).toEqual(tasks);
    expect(ta.every((t) => t.evaluated)).toBe(true);
    // same ids, other content
    expect(tb.map((t) => t.taskId)).toEqual(ta.map((t) => t.taskId));
    expect(tb.map((t) => t.fingerprint)).not.toEqual(ta.map((t) => t.fingerprint));
  });

  it('marks only the first eval.maxTasks tasks as evaluated', async () => {
    const { service } = setup();
    const base = tinyConfig('max', 5);
    const [run] = await service.queueRuns({
      configs: [{ ...base, eval: { ...base.eval, maxTasks: 2 }, data: { ...base.data, source: { kind: 'family', family: 'recolour', tasks: 4, minSide: 3, maxSide: 4, difficulty: 1, seed: 0 } } }],
    });
    expect((await service.runTasks({ runId: run!.id })).map((t) => t.evaluated)).toEqual([true, true, false, false]);
  });

  it('survives a restart of the service', async () => {
    const { dir, service } = setup();
    const [run] = await service.queueRuns({ configs: [tinyConfig('r', 5)] });
    const before = await service.runTasks({ runId: run!.id });
    await service.close();
    const again = scriptedService(dir);
    cleanups.push(() => again.service.close());
    expect(await again.service.runTasks({ runId: run!.id })).toEqual(before);
  });
});

describe('the playground canvas rule on the service side', () => {
  it('refuses inference and adaptation on a grid larger than the run canvas before any engine starts, with the advice', async () => {
    const { service } = setup();
    const base = tinyConfig('canvas', 5);
    const [run] = await service.queueRuns({ configs: [{ ...base, data: { ...base.data, canvas: 6 } }] });
    const big = Array.from({ length: 7 }, () => Array(7).fill(1));
    const task = { id: 'big', train: [{ input: grid(1), output: grid(2) }], test: [{ input: big, output: big }] };
    await expect(service.infer({ runId: run!.id, task, testIndex: 0 })).rejects.toThrow(
      "task big: test 1 input (7×7), test 1 output (7×7) are larger than the run's 6×6 canvas. Crop or resize to at most 5×5 (Rows/Cols in the editor). Or train a new run with a canvas of at least 8 (run setup uses the same rule).",
    );
    await expect(service.adapt({ requestId: 'x', runId: run!.id, task })).rejects.toThrow(/larger than the run's 6×6 canvas/);
  });
});
