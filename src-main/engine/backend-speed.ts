// The doctor's measured step times, cached per machine, so that 'auto' can use the measured fastest
// backend when the difference is clear (e.g. wasm ahead of a weak integrated GPU). Written by the
// doctor after a measurement (re-run it to re-measure), read by initBackend('auto'). A cache from
// another machine (a copied home directory) is ignored. No tfjs here: the service writes it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BACKEND_CHAIN, type ChainBackend, type DoctorReport } from '../../src-shared/method/doctor';

/** A measured backend must be this much faster than the chain's pick before 'auto' prefers it. */
export const CLEAR_SPEEDUP = 1.5;

export interface SpeedCache {
  machine: string;
  measuredAt: string;
  /** ms per optimizer step of the doctor's tiny step, for the backends 'auto' may use */
  stepMs: Partial<Record<ChainBackend, number>>;
}

export function machineFingerprint(): string {
  const cpus = os.cpus();
  return [os.hostname(), `${process.platform}-${process.arch}`, cpus[0]?.model ?? '?', cpus.length].join('|');
}

/** Per user and machine: $PUZZLE_LAB_CACHE_DIR, else the OS cache folder. */
export function speedCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env['PUZZLE_LAB_CACHE_DIR'] ??
    (process.platform === 'darwin'
      ? path.join(os.homedir(), 'Library', 'Caches', 'puzzle-lab')
      : process.platform === 'win32'
        ? path.join(env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local'), 'puzzle-lab')
        : path.join(env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'puzzle-lab'));
  return path.join(dir, 'backend-speed.json');
}

export function readSpeedCache(file = speedCacheFile()): SpeedCache | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as SpeedCache;
    if (c.machine !== machineFingerprint() || typeof c.stepMs !== 'object' || c.stepMs === null) return null;
    for (const [k, v] of Object.entries(c.stepMs)) {
      if (!(BACKEND_CHAIN as readonly string[]).includes(k) || typeof v !== 'number' || !(v > 0)) return null;
    }
    return c;
  } catch {
    return null;
  }
}

/** Saves a measured doctor report's step times (atomically); an unmeasured report changes nothing. */
export function writeSpeedCache(report: DoctorReport, file = speedCacheFile()): void {
  const stepMs: SpeedCache['stepMs'] = {};
  for (const e of report.entries) if (e.available && e.usableByAuto && e.measurement) stepMs[e.backend] = e.measurement.stepMs;
  if (Object.keys(stepMs).length === 0) return;
  const c: SpeedCache = { machine: machineFingerprint(), measuredAt: report.createdAt, stepMs };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * The backend 'auto' should prefer over `picked` (the chain's first that runs), or null: one measured
 * at least CLEAR_SPEEDUP× faster than `picked` was measured.
 */
export function clearlyFaster(cache: SpeedCache | null, picked: ChainBackend): { backend: ChainBackend; speedup: number } | null {
  const base = cache?.stepMs[picked];
  if (!cache || base === undefined) return null;
  let best: { backend: ChainBackend; speedup: number } | null = null;
  for (const [b, ms] of Object.entries(cache.stepMs) as Array<[ChainBackend, number]>) {
    const speedup = base / ms;
    if (b !== picked && speedup >= CLEAR_SPEEDUP && (!best || speedup > best.speedup)) best = { backend: b, speedup };
  }
  return best;
}
