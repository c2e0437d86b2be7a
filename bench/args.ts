// Command-line flags of `npm run bench`, declared once for the project's one argument parser
// (src-main/command-line/args.ts), which also writes `npm run bench -- --help`.
import { commandName, parseArgs as parseCommand, str, UsageError, type CommandSpec } from '../src-main/command-line/args';
export type Level = 'quick' | 'full';
export const ALL_BACKENDS = ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'] as const;
export type BenchBackend = (typeof ALL_BACKENDS)[number];
export const SECTIONS = ['peer', 'matrix', 'attention', 'scaling', 'eval', 'infer', 'compare', 'leak', 'parallel'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
  level: Level;
  backends: BenchBackend[];
  /** --backend was given (a software WebGPU adapter is benchmarked only when asked for by name) */
  explicitBackends: boolean;
  out: string;
  sections: Section[];
}

export const spec: CommandSpec = {
  name: '',
  program: 'npm run bench --',
  summary: 'Measure training, evaluation and inference speed on each backend; writes a report to --out.',
  flags: {
    quick: { type: 'boolean', help: 'a 2–4 minute run on a 2-core machine (few reps, small shapes, 100-step leak check)', defaultText: 'on' },
    full: { type: 'boolean', help: 'every preset where affordable, more reps, the 5,000-step leak check' },
    backend: { type: 'string', arg: 'a,b', help: `backends to run, comma-separated (${ALL_BACKENDS.join(', ')}); a software WebGPU adapter is measured only when webgpu is named`, defaultText: 'all' },
    out: { type: 'string', arg: 'DIR', help: 'where reports go', defaultText: 'bench/results' },
    only: { type: 'string', arg: 's1,s2', help: `run only these sections (${SECTIONS.join(', ')}); peer = the same step in PyTorch (bench/torch_step.py), interleaved, where python3 imports torch (PUZZLE_LAB_PYTHON picks the interpreter, PUZZLE_LAB_WASM_THREADS the lab's wasm threads)`, defaultText: 'all' },
  },
  examples: ['npm run bench -- --quick --backend wasm,cpu --only matrix,attention'],
};

/** A comma-separated list of known names, or a UsageError naming the flag and the bad entry. */
function list<T extends string>(flag: string, raw: string, known: readonly T[], what: string): T[] {
  return raw.split(',').map((x) => {
    if (!(known as readonly string[]).includes(x)) throw new UsageError(`${commandName(spec)}: --${flag}: unknown ${what} ${x} (one of ${known.join(', ')})`);
    return x as T;
  });
}

/** The bench's settings from argv; `help` when --help was asked (the caller prints formatHelp(spec)). */
export function parseArgs(argv: readonly string[]): BenchArgs & { help: boolean } {
  const p = parseCommand(spec, argv);
  if (p.flags['quick'] === true && p.flags['full'] === true) throw new UsageError(`${commandName(spec)}: --quick and --full exclude each other`);
  const backend = str(p, 'backend');
  const only = str(p, 'only');
  return {
    help: p.help,
    level: p.flags['full'] === true ? 'full' : 'quick',
    backends: backend === undefined ? [...ALL_BACKENDS] : list('backend', backend, ALL_BACKENDS, 'backend'),
    explicitBackends: backend !== undefined,
    out: str(p, 'out') ?? 'bench/results',
    sections: only === undefined ? [...SECTIONS] : list('only', only, SECTIONS, 'section'),
  };
}
