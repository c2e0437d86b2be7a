// The shared machinery of the ARC-style families: parameter checks, per-task random streams, the
// task-level rule drawn once per task, and retries until every pair is non-trivial and distinct.
//
// Side contract: inputs lie in max(minSide, needSide)..maxSide and no grid exceeds maxSide. Rules
// that shrink (crop-object, count-to-bar) may give outputs below minSide; rules that grow (tile,
// scale-up) give inputs below minSide only when maxSide < 2 × minSide leaves no other way.
import { Rng } from '../../prng';
import type { Pair, Task } from '../../puzzle/types';
import type { Family, FamilyParams } from '../family';
import { taskId, validateFamilyParams } from '../family';
import { gridKey } from '../grid-utils';

/** The side bounds a family works within, after clamping to what its rule needs. */
export interface ArcContext {
  /** max(params.minSide, the family's smallest workable side) */
  minSide: number;
  maxSide: number;
  difficulty: number;
  /** The largest side this difficulty uses: the lowest fifth of the range at 1, all of it at 5. */
  sideCap: number;
  /** A random side in minSide..sideCap. */
  side(rng: Rng): number;
}

export interface ArcFamilySpec<R> {
  id: string;
  title: string;
  description: string;
  /** smallest side on which the rule can produce a non-trivial pair */
  needSide: number;
  /** The rule for one task (which colours, which direction, ...), drawn once per task. */
  rule(rng: Rng, ctx: ArcContext): R;
  /** One pair under that rule, or null to ask for another draw (trivial or unplaceable). */
  pair(rule: R, rng: Rng, ctx: ArcContext): Pair | null;
}

const ATTEMPTS_PER_PAIR = 200;
/** After this many draws a repeated input is accepted: tiny grids may allow only a few inputs. */
const DISTINCT_ATTEMPTS = 60;

export const ARC_DEFAULTS: FamilyParams = {
  count: 20,
  minSide: 3,
  maxSide: 10,
  difficulty: 2,
  seed: 1,
  trainPairs: 3,
};

export function arcContext(needSide: number, p: FamilyParams, familyId: string): ArcContext {
  if (p.maxSide < needSide) {
    throw new Error(
      `puzzle family "${familyId}" needs grids of at least ${needSide}×${needSide}; maxSide is ${p.maxSide}`,
    );
  }
  const minSide = Math.max(p.minSide, needSide);
  const maxSide = p.maxSide;
  const sideCap = minSide + Math.round(((maxSide - minSide) * p.difficulty) / 5);
  return { minSide, maxSide, difficulty: p.difficulty, sideCap, side: (rng) => rng.int(minSide, sideCap) };
}

export function defineArcFamily<R>(spec: ArcFamilySpec<R>): Family {
  const generate = (p: FamilyParams): Task[] => {
    const { trainPairs } = validateFamilyParams(spec.id, p);
    const ctx = arcContext(spec.needSide, p, spec.id);
    const root = new Rng(p.seed);
    const tasks: Task[] = [];
    for (let index = 0; index < p.count; index++) {
      // One forked stream per task: task i does not depend on how many draws task i-1 needed.
      const rng = root.fork();
      const rule = spec.rule(rng, ctx);
      const pairs: Pair[] = [];
      const seen = new Set<string>();
      for (let k = 0; k < trainPairs + 1; k++) {
        pairs.push(drawPair(spec, rule, rng, ctx, seen, `${taskId(spec.id, p.seed, index)} pair ${k}`));
      }
      const test = pairs.pop() as Pair;
      tasks.push({ id: taskId(spec.id, p.seed, index), train: pairs, test: [test] });
    }
    return tasks;
  };
  return {
    info: { id: spec.id, title: spec.title, description: spec.description, kind: 'arc' },
    defaults: { ...ARC_DEFAULTS },
    generate,
  };
}

function drawPair<R>(
  spec: ArcFamilySpec<R>,
  rule: R,
  rng: Rng,
  ctx: ArcContext,
  seen: Set<string>,
  where: string,
): Pair {
  let fallback: Pair | null = null;
  for (let attempt = 0; attempt < ATTEMPTS_PER_PAIR; attempt++) {
    const pair = spec.pair(rule, rng, ctx);
    if (pair === null) continue;
    const key = gridKey(pair.input);
    if (!seen.has(key)) {
      seen.add(key);
      return pair;
    }
    fallback ??= pair;
    if (attempt >= DISTINCT_ATTEMPTS) return fallback;
  }
  if (fallback !== null) return fallback;
  throw new Error(
    `puzzle family "${spec.id}": could not build a non-trivial pair for ${where} in ${ATTEMPTS_PER_PAIR} draws ` +
      `(sides ${ctx.minSide}..${ctx.maxSide}, difficulty ${ctx.difficulty})`,
  );
}

/**
 * An input side for a rule whose output is `factor` times larger: at most maxSide / factor, and below
 * minSide only when the output could not fit otherwise.
 */
export function grownSide(rng: Rng, ctx: ArcContext, factor: number): number {
  const hi = Math.floor(ctx.maxSide / factor);
  if (hi < 1) throw new Error(`an output ${factor} times the input cannot fit in maxSide ${ctx.maxSide}`);
  const lo = Math.max(1, Math.min(ctx.minSide, hi));
  const cap = lo + Math.round(((hi - lo) * ctx.difficulty) / 5);
  return rng.int(lo, cap);
}
