import { afterEach, describe, expect, it } from 'vitest';
import type { LabService } from '../../../src-main/service/api';
import { LabError } from '../../../src-shared/api/errors';
import type { Task } from '../../../src-shared/puzzle/types';
import { scriptedService, tempDataDir, tinyConfig } from './helpers';

const task = (id: string, v: number): Task => ({ id, train: [{ input: [[v]], output: [[v]] }], test: [{ input: [[v]], output: [[v]] }] });

let service: LabService | null = null;
let cleanup: (() => void) | null = null;
afterEach(async () => {
  await service?.close();
  cleanup?.();
  service = null;
  cleanup = null;
});

describe('a run’s task by the id its evaluation uses (getRunTask)', () => {
  it('serves the second of two library tasks with the same id as "~2", and says when a task is not the run’s', async () => {
    const tmp = tempDataDir();
    cleanup = tmp.cleanup;
    service = scriptedService(tmp.dir).service;
    const first = await service.saveTask({ task: task('a', 1) });
    const second = await service.saveTask({ task: task('a', 2) });
    const [run] = await service.queueRuns({ configs: [tinyConfig('dup', 5, { data: { ...tinyConfig('x', 1).data, source: { kind: 'library', taskIds: [first.id, second.id] } } })] });
    expect(await service.getRunTask({ runId: run!.id, taskId: 'a' })).toEqual(task('a', 1));
    expect(await service.getRunTask({ runId: run!.id, taskId: 'a~2' })).toEqual(task('a~2', 2));
    const missing = await service.getRunTask({ runId: run!.id, taskId: 'zz' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LabError);
    expect(missing).toMatchObject({ code: 'not-found', where: { taskId: 'zz' } });
  });

  it('regenerates a built-in family’s task in the service, not the renderer', async () => {
    const tmp = tempDataDir();
    cleanup = tmp.cleanup;
    service = scriptedService(tmp.dir).service;
    const source = { kind: 'family' as const, family: 'recolour', tasks: 3, minSide: 3, maxSide: 4, difficulty: 1, seed: 5 };
    const [run] = await service.queueRuns({ configs: [tinyConfig('fam', 5, { data: { ...tinyConfig('x', 1).data, source } })] });
    const { tasks } = await service.generateTasks({ family: 'recolour', count: 3, minSide: 3, maxSide: 4, difficulty: 1, seed: 5, save: false });
    expect(await service.getRunTask({ runId: run!.id, taskId: tasks[1]!.id })).toEqual(tasks[1]);
  });
});
