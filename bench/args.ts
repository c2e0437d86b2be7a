// Command-line flags of `npm run bench`.
//   --quick            a 2–4 minute run on a 2-core machine (few reps, small shapes, 100-step leak check)
//   --full             every preset where affordable, more reps, the 5,000-step leak check
//   --backend a,b      backends to run (wasm, cpu, tensorflow, tensorflow-gpu, webgpu); default: all five, unavailable
//                      ones noted (a software WebGPU adapter is measured only when webgpu is named explicitly)
//   --out DIR          where reports go (default bench/results)
//   --only s1,s2       run only these sections (peer, matrix, attention, scaling, eval, infer, compare, leak, parallel);
//                      peer = the same step in PyTorch (bench/torch_step.py), interleaved, where python3 imports torch
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

export function parseArgs(argv: string[]): BenchArgs {
  let level: Level = 'quick';
  let backends: BenchBackend[] = [...ALL_BACKENDS];
  let explicitBackends = false;
  let out = 'bench/results';
  let sections: Section[] = [...SECTIONS];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') level = 'quick';
    else if (a === '--full') level = 'full';
    else if (a.startsWith('--backend')) {
      explicitBackends = true;
      backends = value().split(',').map((b) => {
        if (!(ALL_BACKENDS as readonly string[]).includes(b)) throw new Error(`--backend: unknown backend ${b} (one of ${ALL_BACKENDS.join(', ')})`);
        return b as BenchBackend;
      });
    } else if (a.startsWith('--out')) out = value();
    else if (a.startsWith('--only')) {
      sections = value().split(',').map((s) => {
        if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (one of ${SECTIONS.join(', ')})`);
        return s as Section;
      });
    } else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--quick|--full] [--backend wasm,cpu,webgpu] [--out bench/results] [--only peer,matrix,attention,scaling,eval,infer,compare,leak,parallel]\n  peer: the lab against the same step in PyTorch, interleaved (PUZZLE_LAB_PYTHON picks the interpreter; PUZZLE_LAB_WASM_THREADS the lab\'s wasm threads)');
      process.exit(0);
    } else throw new Error(`unknown flag ${a}`);
  }
  return { level, backends, explicitBackends, out, sections };
}
