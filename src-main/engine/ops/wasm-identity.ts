// A copy-free Identity kernel for the wasm backend. tfjs clones every tensor a gradient needs
// (engine.saveTensorsForBackwardMode → clone → Identity), and tfjs-backend-wasm 4.22's Identity
// COPIES the data, where the cpu and webgl backends only add a reference. On a training step of a
// small model that is hundreds of full-activation copies (~240 per DIS tiny step). Tensor data is
// immutable in tfjs (ops write only into fresh outputs; Variable.assign re-points its dataId), so a
// clone may share its input's data, exactly as tfjs-backend-cpu does and as wasm's own Reshape does
// (incRef on the dataId, freed when the last reference goes). Other backends are untouched.
// (A same-dtype Cast, which wasm also copies, was tried the same way: no measurable gain, so not done.)
import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: unknown): void;
}

let installed = false;

/** Installs the shared-data Identity for 'wasm' once, when the wasm backend is active. Cheap to call. */
export function useSharedIdentityOnWasm(): void {
  if (installed || tf.getBackend() !== 'wasm') return;
  installed = true;
  const previous = tf.getKernel('Identity', 'wasm');
  if (!previous) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x'] as tf.TensorInfo;
      // Strings live outside the wasm heap: keep the original path for them.
      if (x.dtype === 'string') return previous.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
