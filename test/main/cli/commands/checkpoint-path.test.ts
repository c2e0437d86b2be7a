import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCheckpoint } from '../../../../src-main/cli/commands/checkpoint-path';

describe('a --checkpoint argument', () => {
  it('may name a run of the lab by id, looked up in the lab’s data directory', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ckpt-arg-'));
    try {
      mkdirSync(path.join(dataDir, 'runs', 'run-abc'), { recursive: true });
      // found in the lab (it has no checkpoint yet, so that is what is said)
      await expect(resolveCheckpoint('run-abc', dataDir)).rejects.toThrow(/run-abc is neither a checkpoint folder nor a run folder with a valid checkpoint/);
      await expect(resolveCheckpoint('run-nope', dataDir)).rejects.toThrow(`checkpoint path run-nope does not exist, and ${path.join(dataDir, 'runs')} has no run run-nope`);
      await expect(resolveCheckpoint('../x/y', dataDir)).rejects.toThrow(/^checkpoint path \.\.\/x\/y does not exist$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
