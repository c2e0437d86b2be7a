// The safe state_dict pickle reader: what it accepts is exactly what torch.save writes for a
// state_dict; everything that could run code is refused before anything is built from it.
import { describe, expect, it } from 'vitest';
import { isTensor, readStateDictPickle } from '../../../../src-main/pipeline/torch/pickle';

const enc = new TextEncoder();
const bytes = (...parts: Array<number | string>): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else out.push(...enc.encode(p));
  }
  return Uint8Array.from(out);
};
const binunicode = (s: string): Array<number | string> => [0x58, s.length, 0, 0, 0, s];

describe('reading a state_dict pickle without running it', () => {
  it('builds tensor references from OrderedDict + _rebuild_tensor_v2 + persistent storage ids', () => {
    const pkl = bytes(
      0x80, 2,
      0x63, 'collections\nOrderedDict\n', 0x29, 0x52, 0x71, 0, // OrderedDict(), memo 0
      0x28, // MARK
      ...binunicode('w'),
      0x63, 'torch._utils\n_rebuild_tensor_v2\n',
      0x28, // MARK args
      0x28, ...binunicode('storage'), 0x63, 'torch\nBFloat16Storage\n', ...binunicode('0'), ...binunicode('cpu'), 0x4b, 6, 0x74, 0x51, // BINPERSID
      0x4b, 0, // offset
      0x4b, 2, 0x4b, 3, 0x86, // size (2, 3)
      0x4b, 3, 0x4b, 1, 0x86, // stride (3, 1)
      0x89, // False
      0x63, 'collections\nOrderedDict\n', 0x29, 0x52, // hooks
      0x74, 0x52, // TUPLE, REDUCE
      0x75, // SETITEMS
      0x7d, 0x58, 9, 0, 0, 0, '_metadata', 0x7d, 0x73, 0x62, // BUILD with {'_metadata': {}}
      0x2e,
    );
    const root = readStateDictPickle(pkl, 'f/data.pkl') as Map<string, unknown>;
    const t = root.get('w');
    expect(isTensor(t)).toBe(true);
    expect(t).toMatchObject({ shape: [2, 3], stride: [3, 1], offset: 0, storage: { key: '0', dtype: 'bfloat16', numel: 6 } });
  });

  it.each([
    ['os.system through GLOBAL', bytes(0x80, 2, 0x63, 'posix\nsystem\n', ...binunicode('echo hi'), 0x85, 0x52, 0x2e), /refused: the pickle names posix\.system/],
    ['builtins.eval through STACK_GLOBAL', bytes(0x80, 4, 0x8c, 8, 'builtins', 0x8c, 4, 'eval', 0x93, 0x2e), /refused: the pickle names builtins\.eval/],
    ['INST', bytes(0x80, 2, 0x28, 0x69, 'os\nsystem\n', 0x2e), /opcode INST/],
    ['NEWOBJ', bytes(0x80, 2, 0x29, 0x29, 0x81, 0x2e), /opcode NEWOBJ/],
    ['EXT1', bytes(0x80, 2, 0x82, 1, 0x2e), /opcode EXT1/],
    ['BUILD on a storage class', bytes(0x80, 2, 0x63, 'torch\nFloatStorage\n', 0x7d, 0x62, 0x2e), /BUILD on an object/],
    ['REDUCE of a storage class', bytes(0x80, 2, 0x63, 'torch\nFloatStorage\n', 0x29, 0x52, 0x2e), /REDUCE would call torch\.FloatStorage/],
    ['a truncated pickle', bytes(0x80, 2, 0x7d, 0x58, 200, 0, 0, 0, 'abc'), /truncated/],
  ])('refuses %s, naming the file and byte', (_name, pkl, message) => {
    expect(() => readStateDictPickle(pkl, 'ckpt/step_1: step_1/data.pkl')).toThrow(message);
    expect(() => readStateDictPickle(pkl, 'ckpt/step_1: step_1/data.pkl')).toThrow(/ckpt\/step_1: step_1\/data\.pkl: .*at byte \d+.*not run/);
  });
});
