// A small argument parser for the CLI: declared flags only, with typed values, `--flag value`,
// `--flag=value`, `--no-flag` for booleans, `--help`, and errors that name the command and the flag.

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
  name: string;
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
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`puzzle-lab ${cmd}: ${flag} needs an integer, got "${raw}"`);
      return Number(raw);
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`puzzle-lab ${cmd}: ${flag} needs a number, got "${raw}"`);
      return v;
    }
    case 'boolean': {
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      throw new UsageError(`puzzle-lab ${cmd}: ${flag} is a switch (true/false), got "${raw}"`);
    }
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        throw new UsageError(`puzzle-lab ${cmd}: ${flag} must be one of ${spec.choices.join(', ')}; got "${raw}"`);
      }
      return raw;
  }
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  let help = false;
  const names = Object.keys(spec.flags);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) {
      positionals.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`puzzle-lab ${spec.name}: unknown option "${a}" (options are written --name; see --help)`);
    const eq = a.indexOf('=');
    let name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    let inline: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    let negated = false;
    if (!(name in spec.flags) && name.startsWith('no-') && spec.flags[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const f = spec.flags[name];
    if (f === undefined) {
      const hint = closest(name, names);
      throw new UsageError(
        `puzzle-lab ${spec.name}: unknown flag --${name}` + (hint !== null ? ` (did you mean --${hint}?)` : '') + '; see --help',
      );
    }
    if (name in flags) throw new UsageError(`puzzle-lab ${spec.name}: --${name} is given twice`);
    if (f.type === 'boolean') {
      if (negated && inline !== undefined) throw new UsageError(`puzzle-lab ${spec.name}: --no-${name} takes no value`);
      flags[name] = negated ? false : inline === undefined ? true : convert(spec.name, name, f, inline);
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`puzzle-lab ${spec.name}: --${name} needs a value (${f.arg ?? f.type})`);
      }
      inline = next;
      i++;
    }
    flags[name] = convert(spec.name, name, f, inline);
  }
  if (!help) {
    const declared = spec.positionals ?? [];
    const required = declared.length - (spec.optionalPositionals ?? 0);
    if (positionals.length > declared.length) {
      throw new UsageError(
        `puzzle-lab ${spec.name}: unexpected argument "${positionals[declared.length]}"` +
          (declared.length === 0 ? ' (this command takes only flags)' : ` (it takes ${declared.map((p) => `<${p}>`).join(' ')})`),
      );
    }
    if (positionals.length < required) {
      throw new UsageError(`puzzle-lab ${spec.name}: missing <${declared[positionals.length]}>; see --help`);
    }
  }
  return { flags, positionals, help };
}

export function formatHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  lines.push(`Usage: puzzle-lab ${spec.name}${spec.usage !== undefined ? ` ${spec.usage}` : ''} [options]`, '', spec.summary, '');
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
