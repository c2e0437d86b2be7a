import { afterEach, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function pair(steps: number): RunConfig[] {
  const trm = tinyConfig('x', steps);
  const dis = { ...defaultRunConfig('dis', 'tiny'), ...trm, method: 'dis' as const, dis: defaultRunConfig('dis', 'tiny').dis, halting: defaultRunConfig('dis', 'tiny').halting };
  return [trm, dis];
}

describe('comparison studies', () => {
  it('queues k seeds of each method with matched data and budget, persists the study, and lists it after a restart', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const first = scriptedService(dir);
    const study = await first.service.queueStudy({ name: 'TRM vs DIS', configs: pair(6), seeds: 2 });
    expect(study.methods).toEqual(['trm', 'dis']);
    expect(study.seeds).toEqual([0, 1].map((i) => pair(6)[0]!.seed + i));
    expect(study.runs).toHaveLength(4);
    const details = await Promise.all(study.runs.map((r) => first.service.getRun({ id: r.runId })));
    for (const [i, d] of details.entries()) {
      expect(d.method).toBe(study.runs[i]!.method);
      expect(d.config.seed).toBe(study.runs[i]!.seed);
      expect(d.config.budget).toEqual(pair(6)[0]!.budget);
      expect(d.name).toBe(`TRM vs DIS · ${d.method.toUpperCase()} · seed ${d.config.seed}`);
    }
    // every run has the same task snapshot
    const snaps = await Promise.all(study.runs.map((r) => first.service.runTasks({ runId: r.runId })));
    expect(new Set(snaps.map((s) => s.map((t) => t.fingerprint).join()))).toHaveProperty('size', 1);
    // a seed's methods are partners (one group per seed)
    expect(new Set(details.map((d) => d.group)).size).toBe(2);
    for (const r of study.runs) await waitForStatus(first.service, r.runId, ['completed']);
    expect((await first.service.getStudy({ id: study.id })).statusCounts).toEqual({ completed: 4 });
    await first.service.close();

    const second = scriptedService(dir);
    cleanups.push(() => second.service.close());
    const listed = await second.service.listStudies();
    expect(listed.map((s) => s.id)).toEqual([study.id]);
    expect((await second.service.humanVsModel({ studyId: study.id })).columns.map((c) => c.key)).toEqual(['trm', 'dis']);
    await second.service.deleteStudy({ id: study.id, deleteRuns: true });
    expect(await second.service.listStudies()).toEqual([]);
    expect(await second.service.listRuns()).toEqual([]);
  });

  it('refuses configs that are not matched, naming what differs', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const { service } = scriptedService(dir);
    cleanups.push(() => service.close());
    const [trm, dis] = pair(6) as [RunConfig, RunConfig];
    await expect(service.queueStudy({ name: 's', configs: [trm, { ...dis, budget: { optimizerSteps: 7, trajectories: 0 } }], seeds: 2 })).rejects.toThrow(/configs\[1\] \(dis\) vs configs\[0\] \(trm\): budget must match/);
    await expect(service.queueStudy({ name: 's', configs: [trm, trm], seeds: 2 })).rejects.toThrow(/method trm appears twice/);
    await expect(service.queueStudy({ name: 's', configs: [trm, { ...dis, model: { ...dis.model, hidden: 32 } }], seeds: 2 })).rejects.toThrow(/model.hidden must match/);
    expect(await service.listRuns()).toEqual([]);
  });
});

describe('a study of TRM, DIS and HRM', () => {
  it('matches HRM on the sizes its network shares with TRM and DIS, not on its own prefix and block stacks, and still refuses a different width', async () => {
    const { checkStudyConfigs } = await import('../../../src-main/service/studies');
    const [trm, dis] = pair(6) as [RunConfig, RunConfig];
    const h = defaultRunConfig('hrm', 'tiny');
    const hrm: RunConfig = {
      ...h,
      data: trm.data,
      seed: trm.seed,
      budget: trm.budget,
      batchSize: trm.batchSize,
      eval: trm.eval,
      model: { ...h.model, preset: trm.model.preset, hidden: trm.model.hidden, heads: trm.model.heads, expansion: trm.model.expansion, puzzleEmbDim: trm.model.puzzleEmbDim, ropeTheta: trm.model.ropeTheta },
    };
    expect(hrm.model.puzzleEmbLen).not.toBe(trm.model.puzzleEmbLen);
    expect(() => checkStudyConfigs([trm, dis, hrm])).not.toThrow();
    expect(() => checkStudyConfigs([trm, dis, { ...hrm, model: { ...hrm.model, hidden: trm.model.hidden * 2 } }])).toThrow(/configs\[2\] \(hrm\) vs configs\[0\] \(trm\): model\.hidden must match/);
    // two non-HRM methods still match on every backbone setting
    expect(() => checkStudyConfigs([trm, { ...dis, model: { ...dis.model, puzzleEmbLen: 1 } }])).toThrow(/model\.puzzleEmbLen must match/);
  });
});
