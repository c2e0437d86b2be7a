// `puzzle-lab doctor`: which backends run on this machine, why the others do not and how to fix that,
// and how fast each one that runs is. Every probe runs in its own engine process.

import type { DoctorEntry, DoctorReport } from '../../../src-shared/method/doctor';
import { CLEAR_SPEEDUP, speedCacheFile } from '../../engine/backend-speed';
import { forkLauncher } from '../../engine/process/host';
import { runDoctor } from '../../service/doctor';
import { bool, type CommandSpec, type ParsedArgs } from '../args';
import type { Io } from '../io';

export const spec: CommandSpec = {
  name: 'doctor',
  summary: 'Check every compute backend (tfjs-node-gpu, WebGPU, tfjs-node, wasm, cpu): available or not, the exact reason, the fix, and a short speed measurement.',
  flags: {
    'no-measure': { type: 'boolean', help: 'only check availability (skip the matMul and training-step measurements)' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  examples: ['puzzle-lab doctor', 'puzzle-lab doctor --no-measure', 'puzzle-lab doctor --json'],
};

export function entryLines(e: DoctorEntry): string[] {
  const mark = e.available ? (e.usableByAuto ? 'ok  ' : 'soft') : 'no  ';
  const lines = [`[${mark}] ${e.backend.padEnd(15)}${e.detail}`];
  if (e.fix) lines.push(`       fix: ${e.fix}`);
  if (e.measurement) {
    const m = e.measurement;
    lines.push(`       matMul ${m.matmulShape}: ${m.matmulGflops.toFixed(1)} GFLOPS · one step of ${m.step}: ${m.stepMs.toFixed(0)} ms`);
  } else if (e.measureError) lines.push(`       not measured: ${e.measureError}`);
  return lines;
}

export function reportText(r: DoctorReport): string {
  const out = [`Puzzle Lab GPU doctor (${r.platform}, ${r.createdAt})`, ''];
  for (const e of r.entries) out.push(...entryLines(e));
  out.push('');
  if (r.auto) {
    out.push(`auto picks: ${r.auto.backend} (${r.auto.device})`);
    for (const n of r.auto.notes) out.push(`  skipped: ${n}`);
  } else out.push('auto: the probe failed (see the entries above)');
  if (r.fastest) {
    out.push(`fastest measured backend that auto may use: ${r.fastest}`);
    out.push(`(measurements saved in ${speedCacheFile()}: auto prefers a backend measured ≥ ${CLEAR_SPEEDUP}× faster than its usual pick; run the doctor again to re-measure)`);
  }
  out.push('', '[ok] runs  [soft] runs only on a software adapter (a CPU emulation; auto never picks it)  [no] not available');
  return `${out.join('\n')}\n`;
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const measure = bool(args, 'no-measure') !== true;
  const json = bool(args, 'json') === true;
  if (!json) io.err(`probing each backend in its own engine process${measure ? ' and measuring it (well under a minute on a GPU; a software adapter is slow)' : ''}…\n`);
  const report = await runDoctor(forkLauncher(), {
    measure,
    onEntry: (e) => {
      if (!json) io.err(`  ${e.backend}: ${e.available ? 'done' : 'not available'}\n`);
    },
  });
  io.out(json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
  return 0;
}
