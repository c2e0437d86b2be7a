// `puzzle-lab <command>`: the headless command line (run through tsx; see scripts/puzzle-lab.mjs).

import { pathToFileURL } from 'node:url';
import { formatHelp, parseArgs, closest, UsageError, type CommandSpec, type ParsedArgs } from '../command-line/args';
import * as adapt from './commands/adapt';
import * as doctor from './commands/doctor';
import * as evalCmd from './commands/eval';
import * as exportDataset from './commands/export-dataset';
import * as exportRunCmd from './commands/export-run';
import * as importDataset from './commands/import-dataset';
import * as families from './commands/families';
import * as importCheckpoint from './commands/import-checkpoint';
import * as infer from './commands/infer';
import * as score from './commands/score';
import * as targets from './commands/targets';
import * as train from './commands/train';
import { processIo, type Io } from './io';

interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  train,
  eval: evalCmd,
  score,
  infer,
  adapt,
  targets,
  families,
  doctor,
  'import-checkpoint': importCheckpoint,
  'export-dataset': exportDataset,
  'import-dataset': importDataset,
  'export-run': exportRunCmd,
};

function overview(): string {
  const lines = ['Usage: puzzle-lab <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(19)}${c.spec.summary.split('\n')[0] ?? ''}`);
  lines.push('', 'Run `puzzle-lab <command> --help` for the options of a command.');
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? rest[0] : undefined;
    const cmd = target !== undefined ? COMMANDS[target] : undefined;
    io.out(cmd !== undefined ? `${formatHelp(cmd.spec)}\n` : overview());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (cmd === undefined) {
    const hint = closest(name, Object.keys(COMMANDS));
    io.err(`puzzle-lab: unknown command "${name}"${hint !== null ? ` (did you mean "${hint}"?)` : ''}\n\n${overview()}`);
    return 2;
  }
  try {
    const args = parseArgs(cmd.spec, rest);
    if (args.help) {
      io.out(`${formatHelp(cmd.spec)}\n`);
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    io.err(`puzzle-lab ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.PUZZLE_LAB_DEBUG === '1' && e instanceof Error && e.stack !== undefined) io.err(`${e.stack}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `puzzle-lab targets … | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`puzzle-lab: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
