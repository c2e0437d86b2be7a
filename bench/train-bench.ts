// Timing of engine optimizer steps (one supervision step each) for one configuration, with the
// FLOPs of the compute accounting (src-shared/method/compute.ts), the network calls the engine's CallCounter
// measured, and the same run's plain-matMul speed for the step's shapes.
import { methodTrainStepFlops, trainForwardEquivalentsPerStep } from '../src-shared/method/compute';
import type { Method } from '../src-shared/method/methods';
import type { RunConfig } from '../src-shared/method/run-config';
import { measureMix, stepProducts } from './matmul';
import { benchConfig, makeSetup, oneStep, workloadName, type ConfigOptions } from './setup';
import { gflops, median } from './timing';

export interface Effort {
  warmup: number;
  reps: number;
  /** skip a configuration whose predicted step time exceeds this (seconds) */
  maxStepSec: number;
  matmulReps: number;
  matmulMinMs: number;
}

export interface TrainRow {
  method: Method;
  preset: string;
  workload: string;
  /** tokens per row seen by the network (prefix + grid) */
  tokens: number;
  batch: number;
  T: number;
  n: number;
  Nsup: number;
  hidden: number;
  layers: number;
  msPerStep: number;
  stepReps: number[];
  /** rows advanced one supervision step per second (what the trainer's progress calls examples/s) */
  rowStepsPerSec: number;
  /** full training examples (trajectories of N_sup steps) per second */
  examplesPerSec: number;
  /** ms per training example: ms/step · N_sup / B */
  msPerExample: number;
  gflopPerStep: number;
  stepGflops: number;
  matmulGflops: number;
  efficiency: number;
  /** per optimizer step, measured by the engine's counter (each call runs all B rows) */
  callsGradPerStep: number;
  callsNoGradPerStep: number;
  /** measured: (no-grad + 3·grad calls) per step; per example = × N_sup */
  fwdEquivPerStep: number;
  fwdEquivPerExample: number;
  callsPerExample: number;
  /** predicted by the compute accounting (HRM: its two networks and the continue target): trainForwardEquivalentsPerStep */
  fwdEquivPerStepPredicted: number;
  loss: number;
}

export interface Skipped {
  what: string;
  why: string;
}

export type TrainResult = { row: TrainRow } | { skipped: Skipped };

export function describe(o: ConfigOptions): string {
  const m = o.model ? ` ${JSON.stringify(o.model)}` : '';
  return `${o.method.toUpperCase()} ${o.preset}${m}, ${workloadName(o.workload)}, B=${o.batch}`;
}

/**
 * Measures one configuration. The skip rule predicts the step time from `probeGflops` (one plain
 * matMul measured once per backend) × `assumeEfficiency`, before anything expensive runs.
 */
export async function measureTraining(o: ConfigOptions, e: Effort, assumeEfficiency: number, probeGflops: number): Promise<TrainResult> {
  const config: RunConfig = benchConfig(o);
  const B = config.batchSize;
  const S = config.model.puzzleEmbLen + (o.workload.kind === 'nqueens' ? o.workload.n ** 2 : o.workload.canvas ** 2);
  const vocab = o.workload.kind === 'nqueens' ? 3 : 12;
  const predictedFlops = methodTrainStepFlops(config, S, vocab, B);
  const predictedSec = predictedFlops / (probeGflops * assumeEfficiency * 1e9);
  if (predictedSec > e.maxStepSec) {
    return {
      skipped: {
        what: describe(o),
        why: `predicted ${predictedSec.toFixed(1)} s/step (${(predictedFlops / 1e9).toFixed(1)} GFLOP at ${probeGflops.toFixed(1)} GFLOPS matMul × ${assumeEfficiency}) > ${e.maxStepSec} s budget per step at this level`,
      },
    };
  }
  const setup = await makeSetup(config);
  try {
    const flops = methodTrainStepFlops(config, setup.totalLen, setup.vocab, B);
    const mix = await measureMix(stepProducts(config.model, B, setup.totalLen), e.matmulReps, e.matmulMinMs);
    let t = 0;
    for (let i = 0; i < e.warmup; i++) await oneStep(setup, ++t);
    setup.net.counter.reset();
    const reps: number[] = [];
    let loss = Number.NaN;
    for (let i = 0; i < e.reps; i++) {
      const t0 = performance.now();
      loss = await oneStep(setup, ++t);
      reps.push(performance.now() - t0);
    }
    const calls = setup.net.counter.snapshot();
    const ms = median(reps);
    const { T, n, Nsup } = config.model;
    const grad = calls.grad / e.reps;
    const noGrad = calls.noGrad / e.reps;
    const fe = noGrad + 3 * grad;
    return {
      row: {
        method: config.method,
        preset: config.model.preset,
        workload: workloadName(o.workload),
        tokens: S,
        batch: B,
        T,
        n,
        Nsup,
        hidden: config.model.hidden,
        layers: config.model.layers,
        msPerStep: ms,
        stepReps: reps.map((r) => Math.round(r)),
        rowStepsPerSec: (B * 1000) / ms,
        examplesPerSec: (B * 1000) / (ms * Nsup),
        msPerExample: (ms * Nsup) / B,
        gflopPerStep: flops / 1e9,
        stepGflops: gflops(flops, ms),
        matmulGflops: mix.gflops,
        efficiency: gflops(flops, ms) / mix.gflops,
        callsGradPerStep: grad,
        callsNoGradPerStep: noGrad,
        fwdEquivPerStep: fe,
        fwdEquivPerExample: fe * Nsup,
        callsPerExample: (grad + noGrad) * Nsup,
        fwdEquivPerStepPredicted: trainForwardEquivalentsPerStep(config),
        loss,
      },
    };
  } finally {
    setup.dispose();
  }
}
