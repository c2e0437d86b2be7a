// Splitting a tensor into its rows along axis 0 without the wasm backend's quadratic cost: tfjs-wasm's
// Slice (and so tf.unstack / tf.split) starts with readSync(x), which copies the WHOLE input out of the
// wasm heap for every slice taken — unstacking [32, 916, 32] costs 34 ms, i.e. B·H full copies. Rows
// along axis 0 are contiguous, so each is one heap-to-heap copy of its own size. This registers a
// small kernel for the wasm backend that does exactly that; other backends use tf.unstack (the cpu
// backend's contiguous slice is already a subarray copy; tfjs-node's is native).
import * as tf from '@tensorflow/tfjs';

export const UNSTACK_ROWS = 'PuzzleLabUnstackRows';

interface WasmBackendLike {
  dataIdMap: { get(id: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: UNSTACK_ROWS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs['x'] as tf.TensorInfo;
      const b = backend as unknown as WasmBackendLike;
      const rows = x.shape[0] as number;
      const inner = x.shape.slice(1);
      const size = inner.reduce((p, q) => p * q, 1);
      const outs: tf.TensorInfo[] = [];
      for (let i = 0; i < rows; i++) {
        const out = b.makeOutput(inner, x.dtype);
        // Views are taken after the allocation: growing the heap detaches older views.
        const src = b.typedArrayFromHeap(x);
        b.typedArrayFromHeap(out).set(src.subarray(i * size, (i + 1) * size));
        outs.push(out);
      }
      return outs;
    },
  });
}

/** x[i] for i = 0..x.shape[0]−1, each of shape x.shape.slice(1). No gradient: use inside custom-gradient ops. */
export function unstackRows<T extends tf.Tensor>(x: tf.Tensor): T[] {
  if (tf.getBackend() !== 'wasm' || x.dtype === 'string' || x.shape[0] === 0) return tf.unstack(x) as T[];
  register();
  return tf.engine().runKernel(UNSTACK_ROWS, { x }, {}) as unknown as T[];
}
