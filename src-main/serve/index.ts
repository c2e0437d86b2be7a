// `npm run serve` (and the fallback of `npm start`): the lab headless, in the browser. Prints one
// line with the URL and its per-start token, as Jupyter does.
//   --port N       listen on 127.0.0.1:N (default: a free port)
//   --data-dir D   database and runs (default: $PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab)
//   --token T      fixed token instead of a random one (tests; or $PUZZLE_LAB_TOKEN)
//   --no-open      do not open a browser
//   --concurrency N, --on-engine-crash fail|resume   run queue settings
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forkLauncher } from '../engine/process/host';
import { LabService } from '../service/api';
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

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        token: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'on-engine-crash': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log('usage: npm run serve -- [--port N] [--data-dir DIR] [--token T] [--no-open] [--concurrency N] [--on-engine-crash fail|resume]');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${values.port}`);
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) fail(`--concurrency must be 1..16, got ${values.concurrency}`);
  const onCrash = values['on-engine-crash'] ?? 'fail';
  if (onCrash !== 'fail' && onCrash !== 'resume') fail(`--on-engine-crash must be fail or resume, got ${onCrash}`);
  const token = values.token ?? process.env['PUZZLE_LAB_TOKEN'] ?? randomBytes(24).toString('hex');
  if (token.length < 8 || !/^[A-Za-z0-9._~-]+$/.test(token)) fail('--token must be at least 8 URL-safe characters');

  const service = new LabService({
    dataDir: resolveDataDir(values['data-dir']),
    mode: 'serve',
    launcher: forkLauncher(),
    queue: { concurrency, onEngineCrash: onCrash },
  });
  const server = await startServer({ api: service, token, port, rendererDir: path.join(ROOT, 'out/renderer') });
  console.log(`Puzzle Lab is running at ${server.url}`);
  if (!values['no-open']) openBrowser(server.url);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C: leave now
    stopping = true;
    console.error(`puzzle-lab serve: ${signal}: pausing running runs (they checkpoint) and shutting down…`);
    void (async () => {
      await server.close();
      await service.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
