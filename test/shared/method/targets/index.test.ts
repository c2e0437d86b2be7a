import { describe, expect, it } from 'vitest';
import { batchFrames, getTargetGenerator, previewTargets } from '../../../../src-shared/method/targets';
import { Rng } from '../../../../src-shared/prng';
import { encodeArcGrid, encodeArcLabel, getEncoding } from '../../../../src-shared/puzzle/tokens';

const ARC = { encoding: 'arc' as const, side: 30, vocab: 12 };
const code = { eligibility: 'code' as const };

describe('batchFrames', () => {
  it('lays out each row’s frames at its offset, drawing from the rng row after row', () => {
    const xs = [encodeArcGrid([[1]]), encodeArcGrid([[2, 2]])];
    const ys = [encodeArcLabel([[3, 3]]), encodeArcLabel([[4], [5]])];
    const inputs = new Int32Array(2 * 900);
    const labels = new Int32Array(2 * 900);
    xs.forEach((v, b) => inputs.set(v, b * 900));
    ys.forEach((v, b) => labels.set(v, b * 900));
    const gen = getTargetGenerator('reveal');
    const batch = batchFrames(gen, inputs, labels, 2, 900, 4, new Rng(1), ARC, code);
    expect(batch).toHaveLength(5);
    const rng = new Rng(1);
    const row0 = gen.frames(xs[0] as Int32Array, ys[0] as Int32Array, 4, rng, ARC, code);
    const row1 = gen.frames(xs[1] as Int32Array, ys[1] as Int32Array, 4, rng, ARC, code);
    for (let s = 0; s <= 4; s++) {
      expect(Array.from((batch[s] as Int32Array).subarray(0, 900))).toEqual(Array.from(row0[s] as Int32Array));
      expect(Array.from((batch[s] as Int32Array).subarray(900))).toEqual(Array.from(row1[s] as Int32Array));
    }
  });

  it('rejects arrays of the wrong size', () => {
    expect(() =>
      batchFrames(getTargetGenerator('reveal'), new Int32Array(10), new Int32Array(10), 2, 900, 4, new Rng(1), ARC, code),
    ).toThrow(/expected 2×900 = 1800/);
  });
});

describe('getTargetGenerator', () => {
  it('lists the known generators when asked for an unknown one', () => {
    expect(() => getTargetGenerator('diffusion')).toThrow(/unknown target generator "diffusion" \(known: reveal, mask, random, programmable\)/);
  });
});

describe('previewTargets', () => {
  const task = {
    id: 'demo',
    train: [{ input: [[1, 0]], output: [[0, 1]] }],
    test: [{ input: [[2]], output: [[3, 3]] }, { input: [[2]] }],
  };

  it('returns the encoded pair and its frames for a demonstration or a test pair', () => {
    const p = previewTargets(task, { pairIndex: 0, dis: { targets: 'reveal', eligibility: 'code' }, Nsup: 6, seed: 0 }, getEncoding('arc'));
    expect(p.encoding).toBe('arc');
    expect(p.side).toBe(30);
    expect(p.frames).toHaveLength(7);
    expect(p.frames[0]).toEqual(p.input);
    expect(p.frames[6]).toEqual(p.label);
    const t = previewTargets(task, { testIndex: 0, dis: { targets: 'mask', eligibility: 'code' }, Nsup: 2, seed: 0 }, getEncoding('arc'));
    expect(t.label).toEqual(Array.from(encodeArcLabel([[3, 3]])));
  });

  it('says which pair is missing or has no output', () => {
    const dis = { targets: 'reveal' as const, eligibility: 'code' as const };
    expect(() => previewTargets(task, { testIndex: 1, dis, Nsup: 2, seed: 0 }, getEncoding('arc'))).toThrow(/task demo test\[1\] has no known output/);
    expect(() => previewTargets(task, { pairIndex: 3, dis, Nsup: 2, seed: 0 }, getEncoding('arc'))).toThrow(/task demo has 1 demonstration pairs; train\[3\]/);
  });
});
