// `npm run serve` (and the fallback of `npm start`): the lab headless, in the browser. Prints one
// line with the URL and its per-start token, as Jupyter does. Flags: `npm run serve -- --help`
// (the project's one argument parser, src-main/command-line/args.ts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bool, formatHelp, num, parseArgs, str, UsageError, type CommandSpec } from '../command-line/args';
import { forkLauncher } from '../engine/process/host';
import { LabService } from '../service/api';
import { startControlChannel } from '../service/control-channel';
import { resolveDataDir } from '../service/data-dir';
import { startServer } from './server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function fail(message: string): never {
  console.error(`puzzle-lab serve: ${message}`);
  process.exit(2);
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no browser here: the printed URL is enough
    child.unref();
  } catch {
    /* same */
  }
}

const spec: CommandSpec = {
  name: '',
  program: 'npm run serve --',
  summary: 'The lab headless, in the browser: prints one URL with its per-start token, as Jupyter does.',
  flags: {
    port: { type: 'int', arg: 'N', help: 'listen on 127.0.0.1:N', defaultText: 'a free port' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'database and runs (the app and the CLI use the same default)', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
    token: { type: 'string', arg: 'T', help: 'a fixed token instead of a random one (tests; or $PUZZLE_LAB_TOKEN)' },
    open: { type: 'boolean', help: 'open a browser (--no-open: do not)', defaultText: 'on' },
    concurrency: { type: 'int', arg: 'N', help: 'runs training at the same time, 1-16', defaultText: '1' },
    'on-engine-crash': { type: 'string', help: 'what a crashed engine process does to its run', choices: ['fail', 'resume'], defaultText: 'fail' },
  },
};

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(spec, process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (args.help) {
    console.log(formatHelp(spec));
    return;
  }
  const port = num(args, 'port') ?? 0;
  if (port < 0 || port > 65535) fail(`--port must be 0..65535, got ${port}`);
  const concurrency = num(args, 'concurrency') ?? 1;
  if (concurrency < 1 || concurrency > 16) fail(`--concurrency must be 1..16, got ${concurrency}`);
  const onCrash = (str(args, 'on-engine-crash') ?? 'fail') as 'fail' | 'resume';
  const token = str(args, 'token') ?? process.env['PUZZLE_LAB_TOKEN'] ?? randomBytes(24).toString('hex');
  if (token.length < 8 || !/^[A-Za-z0-9._~-]+$/.test(token)) fail('--token must be at least 8 URL-safe characters');

  const service = new LabService({
    dataDir: resolveDataDir(str(args, 'data-dir')),
    mode: 'serve',
    launcher: forkLauncher(),
    queue: { concurrency, onEngineCrash: onCrash },
  });
  const server = await startServer({ api: service, token, port, rendererDir: path.join(ROOT, 'out/renderer') });
  // `puzzle-lab` commands on this data directory talk to this lab through it (service/control-channel.ts)
  const control = await startControlChannel(service);
  console.log(`Puzzle Lab is running at ${server.url}`);
  if (bool(args, 'open') !== false) openBrowser(server.url);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C: leave now
    stopping = true;
    console.error(`puzzle-lab serve: ${signal}: pausing running runs (they checkpoint) and shutting down…`);
    void (async () => {
      await server.close();
      await control.close();
      await service.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
