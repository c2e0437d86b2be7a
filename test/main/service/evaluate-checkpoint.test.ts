// evaluateCheckpoint: a checkpoint (a lab run's, or a folder) evaluated on tasks in the lab's engine
// process, with the report the in-process evaluation gives; bad inputs refused with what and where.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forkLauncher, type EngineLauncher } from '../../../src-main/engine/process/host';
import { LabService } from '../../../src-main/service/api';
import { dispatch } from '../../../src-main/service/dispatch';
import { LabError } from '../../../src-shared/api/errors';
import type { EvalReport } from '../../../src-shared/method/protocol';
import { realTinyConfig, tempDataDir, waitForStatus } from './helpers';
import { STEP_BOUNDED_MS, stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function refusal(p: Promise<unknown>): Promise<LabError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LabError);
  return e as LabError;
}

describe('evaluateCheckpoint', () => {
  it('evaluates a run’s checkpoint in an engine process, as the in-process evaluation does, by run id or by checkpoint folder', async () => {
    const { dir, cleanup } = tempDataDir();
    const launched: string[] = [];
    const base = forkLauncher();
    const launcher: EngineLauncher = (o) => {
      launched.push(o.name);
      return base(o);
    };
    const service = new LabService({ dataDir: dir, mode: 'serve', launcher, probeBackend: false, log: () => {} });
    cleanups.push(cleanup, () => service.close());
    const [run] = await service.queueRuns({ configs: [realTinyConfig('evaluated', 5)] });
    expect((await waitForStatus(service, run!.id, ['completed', 'failed'], STEP_BOUNDED_MS)).error).toBeNull();
    const tasks = (await service.runTasks({ runId: run!.id })).map((t) => t.task);
    const checkpoint = (await service.listCheckpoints({ runId: run!.id })).at(-1)!;

    const before = launched.length;
    const byId = (await dispatch(service, 'evaluateCheckpoint', { runId: run!.id, tasks, augmentations: 2 })) as EvalReport;
    // evaluated in an engine process the service started, never in the service's own process
    expect(launched.slice(before)).toEqual(['interactive']);
    expect(byId.step).toBe(5);
    expect(byId.tasks.length).toBe(tasks.reduce((n, t) => n + t.test.length, 0));

    // the same report as the evaluation the CLI used to run in its own process
    const { evaluateCheckpoint } = await import('../../../src-main/engine/api');
    const inProcess = await evaluateCheckpoint(checkpoint.path, tasks, 2);
    expect(byId).toEqual(inProcess);

    // a checkpoint folder the user named (granted) and a task file it loads: the same report
    service.grants.grant(checkpoint.path);
    const file = path.join(dir, 'tasks');
    await mkdir(file);
    for (const t of tasks) await writeFile(path.join(file, `${t.id}.json`), JSON.stringify({ train: t.train, test: t.test }));
    service.grants.grant(file);
    const byFolder = (await dispatch(service, 'evaluateCheckpoint', { checkpointDir: checkpoint.path, tasksPath: file, augmentations: 2 })) as EvalReport;
    expect(byFolder.passAt2).toBe(byId.passAt2);
    expect(byFolder.tasks.map((t) => t.votes)).toEqual(byId.tasks.map((t) => t.votes));
  }, 240_000);

  it('refuses a bad run id, paths it may not read, a folder that is no checkpoint and a broken task file, saying what and where', async () => {
    const { dir, cleanup } = tempDataDir();
    const service = new LabService({ dataDir: dir, mode: 'serve', launcher: forkLauncher(), probeBackend: false, log: () => {} });
    cleanups.push(cleanup, () => service.close());
    const task = { id: 't1', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] };
    const call = (params: unknown) => dispatch(service, 'evaluateCheckpoint', params);

    expect(await refusal(call({ runId: 'run-nope', tasks: [task] }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/run-nope/) });
    const both = await refusal(call({ runId: 'run-x', checkpointDir: '/tmp/x', tasks: [task] }));
    expect(both).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/exactly one of runId .* and checkpointDir/) });
    expect(await refusal(call({ runId: 'run-x' }))).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/exactly one of tasks .* and tasksPath/) });

    const folder = path.join(dir, 'not-a-checkpoint');
    await mkdir(folder);
    const ungranted = await refusal(call({ checkpointDir: folder, tasks: [task] }));
    expect(ungranted).toMatchObject({ code: 'bad-request', where: { field: 'params.checkpointDir', file: folder } });
    expect(await refusal(call({ checkpointDir: 'relative/dir', tasks: [task] }))).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/absolute path/) });
    service.grants.grant(folder);
    const noManifest = await refusal(call({ checkpointDir: folder, tasks: [task] }));
    expect(noManifest.message).toMatch(/is not a checkpoint folder \(it has no manifest\.json\)/);

    // infer and adapt name a checkpoint folder by the same rule
    const inferUngranted = await refusal(dispatch(service, 'infer', { checkpointDir: path.join(dir, 'elsewhere'), task, testIndex: 0 }));
    expect(inferUngranted).toMatchObject({ code: 'bad-request', where: { field: 'params.checkpointDir' } });
    expect(await refusal(dispatch(service, 'adapt', { requestId: 'r1', runId: 'run-x', checkpointDir: folder, task }))).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/exactly one of runId .* and checkpointDir/),
    });
    expect(await refusal(dispatch(service, 'infer', { checkpointDir: folder, step: 3, task, testIndex: 0 }))).toMatchObject({ message: expect.stringMatching(/step chooses a checkpoint of runId/) });

    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{"train": [ }');
    await mkdir(path.join(folder, 'x'), { recursive: true });
    await writeFile(path.join(folder, 'manifest.json'), '{}');
    service.grants.grant(broken);
    const badFile = await refusal(call({ checkpointDir: folder, tasksPath: broken }));
    expect(badFile).toMatchObject({ code: 'bad-request', where: { field: 'params.tasksPath', file: broken } });
    expect(badFile.message).toMatch(/broken\.json/);
  }, 60_000);
});
