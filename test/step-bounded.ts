// Tests that train, adapt or wait on real engine processes are bounded by optimizer steps (and fixed
// amounts of work), never by seconds: on a busy machine they take longer and must still pass. Their
// timeout is this generous limit, which only catches a hang. Speed belongs in `npm run bench`.
import { vi } from 'vitest';

export const STEP_BOUNDED_MS = 30 * 60_000;

/** Gives every test and hook of the calling file the step-bounded limit instead of the default. */
export function stepBoundedFile(): void {
  vi.setConfig({ testTimeout: STEP_BOUNDED_MS, hookTimeout: STEP_BOUNDED_MS });
}
