// A batch of plain 2-D products as ONE tfjs kernel on wasm: a[N, M, K] · b[N, K, P] → [N, M, P].
//
// Why (issue #16.2): tfjs-wasm sends a product to XNNPACK only when it is 2-D without transpose flags;
// a batched (3-D) matMul runs a scalar loop 10–50× slower (docs/engine-interfaces.md#wasm-fast-paths).
// Per-(batch·head) attention therefore ran every head as its own 2-D matMul, with the heads split off
// by copies first and joined by concats after: at 80 tokens × batch 16 that was ~1,200 of a DIS tiny
// step's ~2,500 kernels, and the count grew with the batch. This kernel keeps each product on XNNPACK's
// 2-D path but issues all N of them from inside one kernel call, on VIEWS of the operands: every
// slice i of a, b and the output is registered with the wasm module under a fresh tensor id pointing
// into the parent's memory (no copy), the module's own BatchMatMul runs on the [1, M, K]·[1, K, P]
// views (its XNNPACK fast path), and the view ids are released again. Releasing an id in the module
// drops only its bookkeeping and the XNNPACK operator cached for it (the memory belongs to the parent
// tensor and is freed by tfjs as usual); fresh ids per call matter, because that operator cache is
// keyed by the weight tensor's id.
//
// Other backends get tf.matMul's batched product (native on tfjs-node and WebGPU; on cpu it is the
// same loop as per-slice products). No gradient: use it inside custom-gradient ops (attention.ts).
import * as tf from '@tensorflow/tfjs';

export const HEADS_MATMUL = 'PuzzleLabHeadsMatMul';

/** The parts of tfjs-backend-wasm 4.22's BackendWasm this kernel uses. */
interface WasmBackendInternals {
  dataIdNextNumber: number;
  dataIdMap: { get(id: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
}

let registered = false;
// The module's BatchMatMul, bound once per wasm module instance (a new backend has a new module).
let bound: { module: unknown; run: (...a: unknown[]) => void } | null = null;

function batchMatMulOf(b: WasmBackendInternals): (...a: unknown[]) => void {
  if (bound?.module !== b.wasm) {
    // (a_id, a_shape, a_rank, b_id, b_shape, b_rank, transpose_a, transpose_b, out_id), as tfjs-backend-wasm binds it.
    bound = { module: b.wasm, run: b.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) };
  }
  return bound.run;
}

const shapeBytes = (s: number[]): Uint8Array => new Uint8Array(new Int32Array(s).buffer);

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: HEADS_MATMUL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const a = inputs['a'] as tf.TensorInfo;
      const bT = inputs['b'] as tf.TensorInfo;
      const be = backend as unknown as WasmBackendInternals;
      const [N, M, K] = a.shape as [number, number, number];
      const P = bT.shape[2] as number;
      const out = be.makeOutput([N, M, P], 'float32');
      // Offsets are read after the output's allocation (they are plain numbers: heap growth keeps them valid).
      const aAt = be.dataIdMap.get(a.dataId)!.memoryOffset;
      const bAt = be.dataIdMap.get(bT.dataId)!.memoryOffset;
      const oAt = be.dataIdMap.get(out.dataId)!.memoryOffset;
      const run = batchMatMulOf(be);
      const { registerTensor, disposeData } = be.wasm.tfjs;
      const aShape = shapeBytes([1, M, K]);
      const bShape = shapeBytes([1, K, P]);
      for (let i = 0; i < N; i++) {
        const ia = be.dataIdNextNumber++;
        const ib = be.dataIdNextNumber++;
        const io = be.dataIdNextNumber++;
        registerTensor(ia, M * K, aAt + 4 * i * M * K);
        registerTensor(ib, K * P, bAt + 4 * i * K * P);
        registerTensor(io, M * P, oAt + 4 * i * M * P);
        try {
          run(ia, aShape, 3, ib, bShape, 3, 0, 0, io);
        } finally {
          disposeData(ia);
          disposeData(ib);
          disposeData(io);
        }
      }
      return out;
    },
  });
}

/** a[N, M, K] · b[N, K, P] → [N, M, P]: N independent 2-D products (float32). No gradient. */
export function headsMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [N, M, K] = a.shape;
  if (b.shape[0] !== N || b.shape[1] !== K) throw new Error(`headsMatMul: a ${JSON.stringify(a.shape)} and b ${JSON.stringify(b.shape)} do not multiply as [N, M, K]·[N, K, P]`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new Error('headsMatMul: float32 operands only');
  if (tf.getBackend() !== 'wasm' || N === 0 || M === 0 || K === 0 || b.shape[2] === 0) return tf.matMul(a, b);
  register();
  return tf.engine().runKernel(HEADS_MATMUL, { a, b }, {}) as tf.Tensor3D;
}
