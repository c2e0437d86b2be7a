import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeExit, forkLauncher, type EngineProcess } from '../../../../src-main/engine/process/host';
import type { EngineMessage } from '../../../../src-main/engine/process/messages';
import { whenReady } from '../../../../src-main/service/inference';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';

const SCRIPTED = path.join(import.meta.dirname, 'fixtures/scripted-engine.ts');
const launch = forkLauncher({ entry: SCRIPTED });
const dir = mkdtempSync(path.join(tmpdir(), 'lab-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collect(p: EngineProcess): EngineMessage[] {
  const seen: EngineMessage[] = [];
  p.onMessage((m) => seen.push(m));
  return seen;
}

const job = (name: string, steps = 5) => ({
  runId: 'r1',
  config: { ...defaultRunConfig('trm', 'tiny'), name, budget: { optimizerSteps: steps, trajectories: 0 }, checkpointInterval: 2 },
  tasks: [{ id: 't', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1]] }] }],
  runDir: path.join(dir, name),
  resume: false,
});

describe('the engine host', () => {
  it('forks an engine process that answers a job with validated events and then closes cleanly', async () => {
    const p = launch({ name: 'test' });
    const seen = collect(p);
    await whenReady(p, 60_000);
    p.send({ type: 'train', job: job('ok') });
    await expect.poll(() => seen.some((m) => m.type === 'finished'), { timeout: 30_000 }).toBe(true);
    expect(seen.map((m) => m.type)).toEqual(['ready', 'started', 'progress', 'progress', 'checkpoint', 'progress', 'progress', 'checkpoint', 'progress', 'checkpoint', 'finished']);
    const exit = await p.close();
    expect(exit.signal).toBeNull();
  });

  it('reports an engine that is killed with its signal', async () => {
    const p = launch({ name: 'test' });
    await whenReady(p, 60_000);
    p.send({ type: 'train', job: job('crash@2') });
    const exit = await new Promise((resolve) => p.onExit(resolve));
    expect(exit).toMatchObject({ signal: 'SIGKILL', reason: expect.stringMatching(/killed by SIGKILL/) });
  });

  it('never passes on a message that fails validation, and says what was wrong', async () => {
    const p = launch({ name: 'test' });
    const seen = collect(p);
    const errors: string[] = [];
    p.onProtocolError((e) => errors.push(e));
    await whenReady(p, 60_000);
    p.send({ type: 'train', job: job('garbage', 1) });
    await expect.poll(() => errors.length, { timeout: 30_000 }).toBe(1);
    expect(errors[0]).toMatch(/invalid 'progress' message at step/);
    expect(seen.filter((m) => m.type === 'progress').every((m) => typeof m.step === 'number')).toBe(true);
    await p.close();
  });

  it('has the engine reject a command that fails its validation', async () => {
    const p = launch({ name: 'test' });
    const seen = collect(p);
    await whenReady(p, 60_000);
    p.send({ type: 'train', job: { ...job('x'), tasks: [] } });
    await expect.poll(() => seen.find((m) => m.type === 'rejected'), { timeout: 30_000 }).toMatchObject({ message: /job\.tasks/ });
    await p.close();
  });

  it('describes exits in words a user can act on', () => {
    expect(describeExit(null, 'SIGKILL', '')).toMatch(/SIGKILL \(killed, or out of memory\)/);
    expect(describeExit(3, null, 'Error: boom\n')).toBe('engine process exited with code 3; last output: Error: boom');
  });
});
