// The GPU doctor, service side: one short-lived engine process per backend of the chain (a forced
// backend is process-global, and tfjs-node / tfjs-node-gpu cannot share a process), plus the
// ordinary 'auto' probe, assembled into one report. Nothing is computed in this process.
import { BACKEND_CHAIN, type ChainBackend, type DoctorEntry, type DoctorReport } from '../../src-shared/method/doctor';
import { writeSpeedCache } from '../engine/backend-speed';
import type { EngineLauncher } from '../engine/process/host';
import { probeBackend, whenReady } from './inference';

/** Per backend: start-up plus, when measuring, a matMul and three tiny steps (shader compiles on a software adapter are slow). */
const ENTRY_TIMEOUT_MS = 180_000;

async function diagnoseIn(launch: EngineLauncher, backend: ChainBackend, measure: boolean, timeoutMs: number): Promise<DoctorEntry> {
  const proc = launch({ name: `doctor ${backend}` });
  try {
    await whenReady(proc, timeoutMs);
    return await new Promise<DoctorEntry>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      proc.onMessage((m) => {
        if (m.type === 'doctor-result') resolve(m.entry);
        else if (m.type === 'probe-error') reject(new Error(m.message));
        else return;
        clearTimeout(t);
      });
      proc.onExit((e) => {
        clearTimeout(t);
        reject(new Error(e.reason));
      });
      proc.send({ type: 'doctor', backend, measure });
    });
  } catch (e) {
    // A backend whose native library crashes the process is exactly what the doctor must report.
    const why = e instanceof Error ? e.message : String(e);
    return { backend, available: false, detail: `${backend}: the engine process failed while probing it (${why})`, fix: null, usableByAuto: false, measurement: null };
  } finally {
    void proc.close(2000);
  }
}

/** The measured fastest backend 'auto' could use: the quickest step among those auto may pick. */
export function fastestMeasured(entries: DoctorEntry[]): ChainBackend | null {
  let best: DoctorEntry | null = null;
  for (const e of entries) {
    if (!e.available || !e.usableByAuto || !e.measurement) continue;
    if (!best || e.measurement.stepMs < best.measurement!.stepMs) best = e;
  }
  return best?.backend ?? null;
}

export async function runDoctor(
  launch: EngineLauncher,
  o: { measure: boolean; timeoutMs?: number; onEntry?: (e: DoctorEntry) => void; speedCacheFile?: string },
): Promise<DoctorReport> {
  const entries: DoctorEntry[] = [];
  for (const backend of BACKEND_CHAIN) {
    const entry = await diagnoseIn(launch, backend, o.measure, o.timeoutMs ?? ENTRY_TIMEOUT_MS);
    entries.push(entry);
    o.onEntry?.(entry);
  }
  const fastest = o.measure ? fastestMeasured(entries) : null;
  if (o.measure) {
    // Before the 'auto' probe below: auto in later engine processes may prefer a backend measured
    // clearly faster (backend-speed.ts), and the report's auto line should already say so.
    try {
      writeSpeedCache({ platform: '', createdAt: new Date().toISOString(), entries, auto: null, fastest }, o.speedCacheFile);
    } catch {
      // an unwritable cache only means auto keeps the chain's order
    }
  }
  let auto: DoctorReport['auto'] = null;
  try {
    const b = await probeBackend(launch);
    auto = { backend: b.name, device: b.device, notes: b.notes };
  } catch {
    auto = null;
  }
  const report: DoctorReport = { platform: `${process.platform}-${process.arch}`, createdAt: new Date().toISOString(), entries, auto, fastest };
  return report;
}
