// Which config sections mean something for a method: TRM has no per-step DIS targets, DIS no ACT
// halting. Config tables and diffs leave out what the run's method ignores, so "dis.targets = reveal"
// is not listed for a TRM run (issue 13).
import type { RunConfig } from './run-config';

/** Top-level config sections each method ignores. Methods not listed (e.g. one added later) ignore none. */
const IGNORED: Partial<Record<string, ReadonlyArray<keyof RunConfig>>> = {
  trm: ['dis'],
  dis: ['halting'],
  hrm: ['dis'],
};

export function ignoredSections(method: string): ReadonlyArray<keyof RunConfig> {
  return IGNORED[method] ?? [];
}

/** The config without the sections its method ignores. */
export function relevantConfig(config: RunConfig): Partial<RunConfig> {
  const out: Partial<RunConfig> = { ...config };
  for (const k of ignoredSections(config.method)) delete out[k];
  return out;
}
