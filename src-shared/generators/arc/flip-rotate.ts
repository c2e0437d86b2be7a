// Each task applies one fixed non-identity dihedral transform (a rotation, flip or transpose).
import type { Dihedral } from '../grid-utils';
import { DIHEDRAL, gridsEqual, pickColours, randomGrid, transformGrid } from '../grid-utils';
import { defineArcFamily } from './define';

export const flipRotate = defineArcFamily<{ transform: Dihedral }>({
  id: 'flip-rotate',
  title: 'Flip or rotate',
  description: 'The whole grid is rotated, mirrored or transposed; the transform is fixed per task.',
  needSide: 2,
  rule(rng) {
    return { transform: rng.pick(DIHEDRAL.slice(1)) };
  },
  pair(rule, rng, ctx) {
    const colours = pickColours(rng, Math.min(9, 1 + ctx.difficulty));
    const input = randomGrid(rng, ctx.side(rng), ctx.side(rng), 0.3 + 0.4 * rng.float(), colours);
    const output = transformGrid(input, rule.transform);
    // A symmetric input would show nothing of the transform.
    return gridsEqual(input, output) ? null : { input, output };
  },
});
