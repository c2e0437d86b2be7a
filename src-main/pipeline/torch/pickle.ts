// A safe reader for the pickle inside a PyTorch checkpoint (`data.pkl`). It NEVER executes anything:
// it interprets the few opcodes a saved state_dict uses and builds plain values from them. GLOBAL may
// only name the handful of callables a state_dict needs (OrderedDict, torch's tensor rebuilders, the
// storage classes), and REDUCE/BUILD are interpreted for exactly those; any other opcode or global
// (os.system, builtins.eval, NEWOBJ, INST, EXT, …) stops the read with an error naming it and its byte
// offset. A checkpoint is data, and a malicious one must be refused, not run.

export type TorchDType = 'float32' | 'bfloat16' | 'float16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPE_BYTES: Record<TorchDType, number> = {
  float32: 4,
  bfloat16: 2,
  float16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** torch.<Name>Storage → dtype (the legacy typed storages torch.save still names). */
export const STORAGE_DTYPES: Record<string, TorchDType> = {
  FloatStorage: 'float32',
  BFloat16Storage: 'bfloat16',
  HalfStorage: 'float16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export interface StorageRef {
  kind: 'storage';
  /** the record name under `<archive>/data/` */
  key: string;
  dtype: TorchDType;
  /** elements in the storage */
  numel: number;
}

export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  /** in elements */
  offset: number;
  shape: number[];
  stride: number[];
}

class Global {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get full(): string {
    return `${this.module}.${this.name}`;
  }
}

class Tuple {
  constructor(readonly items: unknown[]) {}
}

const MARK = Symbol('mark');

/** Every global a state_dict pickle may name. Nothing here is ever called: each is interpreted below. */
const ALLOWED_GLOBALS = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_parameter',
  'torch._tensor._rebuild_from_type_v2',
  'torch.Tensor',
  'torch.nn.parameter.Parameter',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
]);

export class PickleError extends Error {
  constructor(where: string, why: string) {
    super(`${where}: ${why}`);
    this.name = 'PickleError';
  }
}

const OPNAMES: Record<number, string> = {
  0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x62: 'BUILD', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x69: 'INST', 0x6f: 'OBJ',
  0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x50: 'PERSID', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x53: 'STRING', 0x56: 'UNICODE',
  0x64: 'DICT', 0x6c: 'LIST', 0x67: 'GET', 0x70: 'PUT', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/**
 * Reads a state_dict pickle. Returns the top-level value: an ordered Map for a state_dict, whose values
 * are TensorRef (or nested Maps, plain numbers and strings for wrapped checkpoints).
 */
export function readStateDictPickle(bytes: Uint8Array, where: string): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let p = 0;
  let opAt = 0;
  const fail = (why: string): never => {
    throw new PickleError(where, `${why} (at byte ${opAt}); the pickle was not run`);
  };
  const need = (n: number): void => {
    if (p + n > bytes.length) fail(`the pickle ends in the middle of an opcode (truncated after ${bytes.length} bytes)`);
  };
  const u8 = (): number => (need(1), bytes[p++] as number);
  const u16 = (): number => (need(2), (p += 2), view.getUint16(p - 2, true));
  const i32 = (): number => (need(4), (p += 4), view.getInt32(p - 4, true));
  const u32 = (): number => (need(4), (p += 4), view.getUint32(p - 4, true));
  const u64 = (): number => (need(8), (p += 8), Number(view.getBigUint64(p - 8, true)));
  const text = (n: number): string => {
    need(n);
    try {
      return decoder.decode(bytes.subarray(p, (p += n)));
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) fail('GLOBAL without its newline-terminated name (truncated)');
    const s = new TextDecoder().decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= (marks[marks.length - 1] as number))) fail('stack underflow (malformed pickle)');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) return fail('a MARK-terminated opcode without MARK (malformed pickle)');
    return stack.splice(m);
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow (malformed pickle)');
    return stack[stack.length - 1];
  };
  const global = (module: string, name: string): Global => {
    const g = new Global(module, name);
    if (!ALLOWED_GLOBALS.has(g.full)) fail(`refused: the pickle names ${g.full}, which a state_dict never needs (only collections.OrderedDict, torch's tensor rebuilders and torch.*Storage are accepted)`);
    return g;
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const reduce = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof Global)) return fail('REDUCE of something that is not an accepted global');
    if (!(args instanceof Tuple)) return fail(`REDUCE ${fn.full} without an argument tuple`);
    const a = args.items;
    switch (fn.full) {
      case 'collections.OrderedDict':
        if (a.length !== 0) fail('OrderedDict(...) with arguments (a state_dict pickles an empty one and fills it)');
        return new Map();
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor':
        return rebuildTensor(a);
      case 'torch._utils._rebuild_parameter': {
        const t = a[0];
        if (!isTensor(t)) fail('_rebuild_parameter of something that is not a tensor');
        return t;
      }
      case 'torch._tensor._rebuild_from_type_v2': {
        const [inner, type, innerArgs] = a;
        if (!(type instanceof Global) || (type.full !== 'torch.Tensor' && type.full !== 'torch.nn.parameter.Parameter')) fail('_rebuild_from_type_v2 to a type other than torch.Tensor/Parameter');
        return reduce(inner, innerArgs);
      }
      default:
        return fail(`refused: REDUCE would call ${fn.full}`);
    }
  };
  const rebuildTensor = (a: unknown[]): TensorRef => {
    const [storage, offset, size, stride] = a;
    if (!isStorage(storage)) return fail('_rebuild_tensor_v2 without a storage (persistent id)');
    const ints = (v: unknown, what: string): number[] => {
      if (!(v instanceof Tuple) || !v.items.every((x) => Number.isInteger(x) && (x as number) >= 0)) fail(`_rebuild_tensor_v2: ${what} is not a tuple of non-negative integers`);
      return (v as Tuple).items as number[];
    };
    if (!Number.isInteger(offset) || (offset as number) < 0) fail('_rebuild_tensor_v2: the storage offset is not a non-negative integer');
    const shape = ints(size, 'the size');
    const strides = ints(stride, 'the stride');
    if (shape.length !== strides.length) fail(`_rebuild_tensor_v2: size [${shape.join(', ')}] and stride [${strides.join(', ')}] differ in rank`);
    return { kind: 'tensor', storage, offset: offset as number, shape, stride: strides };
  };

  for (;;) {
    opAt = p;
    if (p >= bytes.length) fail('the pickle ends without STOP (truncated)');
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} values on the stack (malformed pickle)`);
        return stack[0];
      case 0x28: // MARK
        marks.push(stack.length);
        stack.push(MARK);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new Tuple([]));
        break;
      case 0x74: {
        // TUPLE
        const items = popMark();
        items.shift(); // the MARK itself
        stack.push(new Tuple(items));
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1..3
        const n = op - 0x84;
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push(new Tuple(items));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`memo entry ${k} was never stored`);
        stack.push(memo.get(k));
        break;
      }
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement of n bytes
        const n = u8();
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[p + i] as number);
        if (n > 0 && ((bytes[p + n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
        p += n;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) fail('an integer too large for a tensor size');
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(p, false));
        p += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without module and name strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x51: {
        // BINPERSID: ('storage', storage_type, key, location, numel)
        const pid = pop();
        if (!(pid instanceof Tuple) || pid.items[0] !== 'storage' || pid.items.length < 5) fail('a persistent id that is not a torch storage reference');
        const [, type, key, , numel] = (pid as Tuple).items;
        if (!(type instanceof Global) || type.module !== 'torch' || !(type.name in STORAGE_DTYPES)) fail('a storage of an unknown type');
        if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key)) fail('a storage key that is not a plain record name');
        if (!Number.isInteger(numel) || (numel as number) < 0) fail('a storage size that is not a non-negative integer');
        const ref: StorageRef = { kind: 'storage', key: key as string, dtype: STORAGE_DTYPES[(type as Global).name] as TorchDType, numel: numel as number };
        stack.push(ref);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x62: {
        // BUILD: only a dict's attribute state (OrderedDict._metadata) or a tensor's empty state
        const state = pop();
        const obj = top();
        if (obj instanceof Map || isTensor(obj)) {
          if (state !== null && !(state instanceof Map) && !(state instanceof Tuple)) fail('BUILD with a state that is not a dict');
          break;
        }
        fail('refused: BUILD on an object other than a dict or tensor');
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        items.shift();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail('APPEND to something that is not a list');
        (list as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        items.shift();
        const list = top();
        if (!Array.isArray(list)) fail('APPENDS to something that is not a list');
        (list as unknown[]).push(...items);
        break;
      }
      default:
        fail(`refused: opcode ${OPNAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`} is not one a state_dict uses`);
    }
  }
}

function isStorage(v: unknown): v is StorageRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'storage';
}

export function isTensor(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}
