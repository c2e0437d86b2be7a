import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOneTask } from '../../../src-main/cli/tasks';
import { tempDataDir } from '../service/helpers';

const { dir, cleanup } = tempDataDir();
afterAll(cleanup);
const good = { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1]], output: [[2]] }] };

describe('picking a task on the command line', () => {
  it('applies the one id rule to --task and to the ids in the file', async () => {
    const file = path.join(dir, 'set_challenges.json');
    writeFileSync(file, JSON.stringify({ fine: good, 'bad\u202Eid': good }));
    await expect(loadOneTask(file, 'a\u0000b')).rejects.toThrow('--task "a\\u{0000}b" contains a control, invisible or formatting character');
    await expect(loadOneTask(file, 'fine')).rejects.toThrow(/task "bad\\u\{202E\}id": task id contains a control/);
  });

  it('refuses a file larger than the lab reads, before reading it', async () => {
    const file = path.join(dir, 'huge.json');
    writeFileSync(file, Buffer.alloc(33 * 2 ** 20, 0x20));
    await expect(loadOneTask(file, undefined)).rejects.toThrow(/huge\.json is 33 MB; the lab reads ARC files up to 32 MB/);
  });
});
