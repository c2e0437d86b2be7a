// THE argument parser of every command line of the project (`puzzle-lab <command>`, `npm run
// serve`, `npm run bench`): a command declares its flags once (CommandSpec) and gets parsing over
// node:util.parseArgs, typed values, errors that name the command and the flag, and a generated
// --help. Declared flags only: `--flag value`, `--flag=value`, `--no-flag` for switches.
import { parseArgs as nodeParseArgs } from 'node:util';

export type FlagType = 'string' | 'int' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  help: string;
  /** placeholder shown in help, e.g. "N" or "PATH" */
  arg?: string;
  choices?: readonly string[];
  /** shown in help only; defaults are applied by the command */
  defaultText?: string;
}

export interface CommandSpec {
  /** the sub-command ('' for a program without sub-commands) */
  name: string;
  /** the program, in messages and help (default 'puzzle-lab') */
  program?: string;
  summary: string;
  /** e.g. "<checkpoint> <tasks>" */
  usage?: string;
  /** names of the positional arguments, in order; the last may be optional when listed in optional */
  positionals?: readonly string[];
  optionalPositionals?: number;
  flags: Record<string, FlagSpec>;
  examples?: readonly string[];
}

export type FlagValue = string | number | boolean;

export interface ParsedArgs {
  flags: Record<string, FlagValue>;
  positionals: string[];
  help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

export function closest(word: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const dd = distance(word, o);
    if (dd < bestD) {
      best = o;
      bestD = dd;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function convert(cmd: string, name: string, spec: FlagSpec, raw: string): FlagValue {
  const flag = `--${name}`;
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`${cmd}: ${flag} needs an integer, got "${raw}"`);
      return Number(raw);
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${cmd}: ${flag} needs a number, got "${raw}"`);
      return v;
    }
    case 'boolean': {
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      throw new UsageError(`${cmd}: ${flag} is a switch (true/false), got "${raw}"`);
    }
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        throw new UsageError(`${cmd}: ${flag} must be one of ${spec.choices.join(', ')}; got "${raw}"`);
      }
      return raw;
  }
}

/** "puzzle-lab train", "npm run bench": how errors and help name the command. */
export function commandName(spec: CommandSpec): string {
  const program = spec.program ?? 'puzzle-lab';
  return spec.name === '' ? program : `${program} ${spec.name}`;
}

/**
 * Reads argv against the declared flags. node:util.parseArgs splits the words (`--flag value`,
 * `--flag=value`, `-h`, `--`); this adds what it leaves to its caller: typed values, choices,
 * `--no-flag` for switches, "did you mean" hints, repeated flags, and positionals by name, each
 * error naming the command and the flag.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const cmd = commandName(spec);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(spec.flags)) options[name] = { type: f.type === 'boolean' ? 'boolean' : 'string' };
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  let help = false;
  const names = Object.keys(spec.flags);
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    if (t.name === 'help' && !('help' in spec.flags)) {
      help = true;
      continue;
    }
    if (!t.rawName.startsWith('--')) throw new UsageError(`${cmd}: unknown option "${t.rawName}" (options are written --name; see --help)`);
    let name = t.name;
    let negated = false;
    if (!(name in spec.flags) && name.startsWith('no-') && spec.flags[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const f = spec.flags[name];
    if (f === undefined) {
      const hint = closest(name, names);
      throw new UsageError(`${cmd}: unknown flag --${name}` + (hint !== null ? ` (did you mean --${hint}?)` : '') + '; see --help');
    }
    if (name in flags) throw new UsageError(`${cmd}: --${name} is given twice`);
    if (f.type === 'boolean') {
      if (negated && t.value !== undefined) throw new UsageError(`${cmd}: --no-${name} takes no value`);
      flags[name] = negated ? false : t.value === undefined ? true : convert(cmd, name, f, t.value);
      continue;
    }
    // a value that is the next flag means the value was forgotten (a negative number is a value)
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--') && t.value.length > 2)) {
      throw new UsageError(`${cmd}: --${name} needs a value (${f.arg ?? f.type})`);
    }
    flags[name] = convert(cmd, name, f, t.value);
  }
  if (!help) {
    const declared = spec.positionals ?? [];
    const required = declared.length - (spec.optionalPositionals ?? 0);
    if (positionals.length > declared.length) {
      throw new UsageError(
        `${cmd}: unexpected argument "${positionals[declared.length]}"` +
          (declared.length === 0 ? ' (this command takes only flags)' : ` (it takes ${declared.map((p) => `<${p}>`).join(' ')})`),
      );
    }
    if (positionals.length < required) {
      throw new UsageError(`${cmd}: missing <${declared[positionals.length]}>; see --help`);
    }
  }
  return { flags, positionals, help };
}

export function formatHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  lines.push(`Usage: ${commandName(spec)}${spec.usage !== undefined ? ` ${spec.usage}` : ''} [options]`, '', spec.summary, '');
  const entries = Object.entries(spec.flags).map(([name, f]) => {
    const left = `  --${name}${f.type === 'boolean' ? '' : ` <${f.arg ?? f.type}>`}`;
    let right = f.help;
    if (f.choices !== undefined) right += ` (${f.choices.join(' | ')})`;
    if (f.defaultText !== undefined) right += ` [default: ${f.defaultText}]`;
    return [left, right] as const;
  });
  entries.push(['  --help', 'show this help']);
  const width = Math.min(34, Math.max(...entries.map(([l]) => l.length)) + 2);
  lines.push('Options:');
  for (const [l, r] of entries) lines.push(l.length >= width ? `${l}\n${' '.repeat(width)}${r}` : `${l.padEnd(width)}${r}`);
  if (spec.examples !== undefined && spec.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n');
}

/** Typed accessors with the command's defaults. */
export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}
export function num(p: ParsedArgs, name: string): number | undefined {
  const v = p.flags[name];
  return typeof v === 'number' ? v : undefined;
}
export function bool(p: ParsedArgs, name: string): boolean | undefined {
  const v = p.flags[name];
  return typeof v === 'boolean' ? v : undefined;
}
