import { describe, expect, it } from 'vitest';
import { colourMapText, dihedralGlyph, dihedralName, distinctDigits, passMark, versionText } from '../../../../src-renderer/src/lib/votes/versions';

describe('vote view helpers', () => {
  it('draws the eight dihedral transforms as eight different glyphs', () => {
    const glyphs = Array.from({ length: 8 }, (_, d) => JSON.stringify(dihedralGlyph(d)));
    expect(new Set(glyphs).size).toBe(8);
    expect(dihedralGlyph(0)).toHaveLength(4);
    expect(dihedralGlyph(1)).toHaveLength(3);
  });

  it('says which colours a version swapped, or that it kept them', () => {
    expect(colourMapText([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe('colours unchanged');
    expect(colourMapText([0, 2, 1, 3, 4, 5, 6, 7, 8, 9])).toBe('colours 1→2, 2→1');
  });

  it('puts a version in words', () => {
    expect(dihedralName(4)).toBe('flip left-right');
    expect(versionText({ name: 't4 0213456789', dihedral: 4, colours: [0, 2, 1, 3, 4, 5, 6, 7, 8, 9] })).toBe('t4 0213456789: flip left-right, colours 1→2, 2→1');
  });

  it('writes two close numbers with enough decimals to tell them apart', () => {
    expect(distinctDigits(0.0071234, 0.0071299)).toEqual(['0.00712', '0.00713']);
    expect(distinctDigits(0.5, 0.25)).toEqual(['0.500', '0.250']);
  });

  it('marks pass decisions, with a dash when the output is unknown', () => {
    expect([passMark(true), passMark(false), passMark(null)]).toEqual(['✓', '✗', '—']);
  });
});
