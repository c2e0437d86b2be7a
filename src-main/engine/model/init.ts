// Parameter initialisation as in the TRM code (docs/method-notes.md#initialisation): JAX-style truncated normal, whose
// realised standard deviation equals the requested σ. Draw from N(0, σ') truncated at ±2σ' with
// σ' = σ / 0.87962566 (0.8796… is the std of a standard normal truncated at ±2). All draws come from
// the run's Rng so initialisation is reproducible from the seed.
import type { Rng } from '../../../src-shared/prng';

export const TRUNC_NORMAL_STD_OF_UNIT = 0.87962566;

/** n values of a truncated normal with realised std σ. */
export function truncNormal(n: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  const scale = std / TRUNC_NORMAL_STD_OF_UNIT;
  for (let i = 0; i < n; i++) {
    let z = rng.normal();
    while (z < -2 || z > 2) z = rng.normal();
    out[i] = z * scale;
  }
  return out;
}

/** LeCun init of a linear layer stored as [fanIn, fanOut] (x·W): std 1/√fanIn. */
export function lecunNormal(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return truncNormal(fanIn * fanOut, 1 / Math.sqrt(fanIn), rng);
}
