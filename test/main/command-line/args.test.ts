import { describe, expect, it } from 'vitest';
import { formatHelp, parseArgs, type CommandSpec } from '../../../src-main/command-line/args';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command.',
  usage: '<file>',
  positionals: ['file'],
  flags: {
    steps: { type: 'int', arg: 'N', help: 'steps', defaultText: '10' },
    lr: { type: 'number', help: 'learning rate' },
    mode: { type: 'string', help: 'mode', choices: ['a', 'b'] },
    translate: { type: 'boolean', help: 'translate' },
  },
};

describe('parseArgs', () => {
  it('reads typed flags in both spellings, switches, negations and positionals', () => {
    const p = parseArgs(spec, ['x.json', '--steps', '5', '--lr=0.5', '--mode', 'b', '--no-translate']);
    expect(p.positionals).toEqual(['x.json']);
    expect(p.flags).toEqual({ steps: 5, lr: 0.5, mode: 'b', translate: false });
    expect(parseArgs(spec, ['--translate', 'f']).flags.translate).toBe(true);
    expect(parseArgs(spec, ['f', '--lr', '-1e-3']).flags.lr).toBe(-0.001);
  });

  it('names the command and the flag in every error', () => {
    expect(() => parseArgs(spec, ['f', '--stpes', '3'])).toThrow('puzzle-lab demo: unknown flag --stpes (did you mean --steps?); see --help');
    expect(() => parseArgs(spec, ['f', '--bogus'])).toThrow(/unknown flag --bogus; see --help/);
    expect(() => parseArgs(spec, ['f', '--steps', '2.5'])).toThrow('puzzle-lab demo: --steps needs an integer, got "2.5"');
    expect(() => parseArgs(spec, ['f', '--lr', 'fast'])).toThrow(/--lr needs a number, got "fast"/);
    expect(() => parseArgs(spec, ['f', '--mode', 'c'])).toThrow(/--mode must be one of a, b; got "c"/);
    expect(() => parseArgs(spec, ['f', '--steps'])).toThrow(/--steps needs a value/);
    expect(() => parseArgs(spec, ['f', '--steps', '1', '--steps', '2'])).toThrow(/--steps is given twice/);
    expect(() => parseArgs(spec, [])).toThrow(/missing <file>/);
    expect(() => parseArgs(spec, ['a', 'b'])).toThrow(/unexpected argument "b"/);
    expect(() => parseArgs(spec, ['f', '-s'])).toThrow(/unknown option "-s"/);
  });

  it('accepts --help without the required arguments', () => {
    expect(parseArgs(spec, ['--help']).help).toBe(true);
  });
});

describe('formatHelp', () => {
  it('lists usage, every flag with its value, choices and default', () => {
    const h = formatHelp(spec);
    expect(h).toContain('Usage: puzzle-lab demo <file> [options]');
    expect(h).toMatch(/--steps <N>\s+steps \[default: 10\]/);
    expect(h).toMatch(/--mode <string>\s+mode \(a \| b\)/);
    expect(h).toMatch(/--translate\s+translate/);
  });
});
