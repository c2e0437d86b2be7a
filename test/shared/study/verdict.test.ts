import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src-shared/api/contract';
import type { EvalReport } from '../../../src-shared/method/protocol';
import { seedBands, type StudyRunData } from '../../../src-shared/study/seed-bands';
import { studyCsv, studyMarkdown } from '../../../src-shared/study/report';
import { methodOutcomes, studyVerdict } from '../../../src-shared/study/verdict';

const ev = (step: number, p2: number, p1 = p2): EvalReport => ({ step, passAt1: p1, passAt2: p2, passAtK: {}, perStep: [], tasks: [], callsPerExample: 1 });
const cost = (callsPerStep: number, secPerStep: number): MetricPoint[] =>
  Array.from({ length: 100 }, (_, i) => ({ step: i + 1, wallSec: (i + 1) * secPerStep, trajectories: 0, forwardEquivalents: (i + 1) * callsPerStep, value: 0 }));
const run = (method: string, seed: number, finals: [number, number], callsPerStep: number, secPerStep = 0.1): StudyRunData => ({
  runId: `${method}-${seed}`,
  method,
  seed,
  evals: [ev(50, finals[0]), ev(100, finals[1])],
  cost: cost(callsPerStep, secPerStep),
});

describe('the comparison study', () => {
  it('bands the seeds of each method: mean, min–max and sd at each evaluated step, on each cost axis', () => {
    const runs = [run('trm', 0, [0.2, 0.5], 48), run('trm', 1, [0.4, 0.7], 48), run('dis', 0, [0.5, 0.9], 18), run('dis', 1, [0.5, 0.8], 18)];
    const [trm, dis] = seedBands(runs, ['trm', 'dis'], 'passAt2', 'calls');
    expect(trm!.seeds).toBe(2);
    expect(trm!.points).toEqual([
      { step: 50, x: 2400, mean: 0.30000000000000004, min: 0.2, max: 0.4, sd: expect.closeTo(0.1414, 3), n: 2 },
      { step: 100, x: 4800, mean: 0.6, min: 0.5, max: 0.7, sd: expect.closeTo(0.1414, 3), n: 2 },
    ]);
    expect(dis!.points.map((p) => p.x)).toEqual([900, 1800]);
    expect(seedBands(runs, ['trm'], 'passAt2', 'wall')[0]!.points.map((p) => p.x)).toEqual([5, 10]);
  });

  it('states the cost ratio and that a difference beyond the seeds’ ranges exceeds the spread', () => {
    const runs = [run('trm', 0, [0.2, 0.5], 48), run('trm', 1, [0.4, 0.6], 48), run('dis', 0, [0.5, 0.9], 18, 0.05), run('dis', 1, [0.5, 0.8], 18, 0.05)];
    const text = studyVerdict(runs, ['trm', 'dis'], 'passAt2');
    expect(text).toContain('Over 2 seeds of TRM and 2 seeds of DIS, the final exact-match pass@2 was 55% for TRM (min–max 50%–60%, sd 7%) and 85% for DIS (min–max 80%–90%, sd 7%) after about 100 optimizer steps.');
    expect(text).toContain('DIS used 0.38× the network calls of TRM (1.8 k vs 4.8 k) and 0.50× its wall-clock (5.0 s vs 10.0 s).');
    expect(text).toContain('The difference of 30% in favour of DIS exceeds the seed spread');
  });

  it('says a difference within overlapping ranges does not separate the methods, and waits for unevaluated methods', () => {
    const runs = [run('trm', 0, [0.2, 0.5], 48), run('trm', 1, [0.4, 0.8], 48), run('dis', 0, [0.5, 0.6], 18), run('dis', 1, [0.5, 0.9], 18)];
    expect(studyVerdict(runs, ['trm', 'dis'], 'passAt2')).toMatch(/difference of 10% in favour of DIS is within the seed spread/);
    const pending = [run('trm', 0, [0.2, 0.5], 48), { ...run('dis', 0, [0, 0], 18), evals: [] }];
    expect(studyVerdict(pending, ['trm', 'dis'], 'passAt2')).toBe('No verdict yet: DIS has no evaluated run (TRM 1/1, DIS 0/1 evaluated).');
  });

  it('plugs in a third method: each is weighed against the first', () => {
    const runs = [run('trm', 0, [0.2, 0.5], 48), run('trm', 1, [0.2, 0.5], 48), run('dis', 0, [0.5, 0.9], 18), run('dis', 1, [0.5, 0.9], 18), run('hrm', 0, [0.1, 0.3], 60), run('hrm', 1, [0.1, 0.2], 60)];
    expect(methodOutcomes(runs, ['trm', 'dis', 'hrm'], 'passAt2').map((o) => o.method)).toEqual(['trm', 'dis', 'hrm']);
    const text = studyVerdict(runs, ['trm', 'dis', 'hrm'], 'passAt2');
    expect(text).toContain('HRM used 1.25× the network calls of TRM');
    expect(text).toMatch(/in favour of TRM exceeds the seed spread/);
  });

  it('exports every evaluation as CSV and a markdown report with the verdict', () => {
    const runs = [run('trm', 0, [0.2, 0.5], 48), run('dis', 0, [0.5, 0.9], 18)];
    const csv = studyCsv(runs).trim().split('\n');
    expect(csv[0]).toBe('method,seed,run_id,step,network_calls,wall_sec,pass_at_1,pass_at_2');
    expect(csv).toHaveLength(5);
    expect(csv[2]).toBe('trm,0,trm-0,100,4800,10.000,0.5,0.5');
    const md = studyMarkdown({ name: 'TRM vs DIS', methods: ['trm', 'dis'], seeds: [0], data: 'recolour', budget: '100 steps', runs, runNames: new Map([['trm-0', 'TRM seed 0']]) });
    expect(md).toContain('# TRM vs DIS');
    expect(md).toContain('| TRM | 1/1 | 50.0% | 50.0% | 50.0%–50.0% | 0.0% | 4800 | 10.0 |');
    expect(md).toContain('| TRM seed 0 | TRM | 0 | 100 | 50.0% | 50.0% |');
    expect(md).toMatch(/cannot be weighed against the seed spread with one seed per method/);
  });
});
