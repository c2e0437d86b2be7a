// Counts applications of `net` (docs/method-notes.md#compute-accounting: one call = the injection add plus L_layers blocks),
// split by whether the call is recorded on the gradient tape. The split is measured, not declared:
// tfjs's engine says whether the tape is on when the call runs, so a no-grad cycle that leaked into
// the tape would be counted as a gradient call.
import * as tf from '@tensorflow/tfjs';
import type { CallCounts } from '../../src-shared/method/protocol';

export class CallCounter {
  grad = 0;
  noGrad = 0;

  /** Called by the network at every application. */
  record(): void {
    if (tf.engine().isTapeOn()) this.grad++;
    else this.noGrad++;
  }

  snapshot(): CallCounts {
    return { grad: this.grad, noGrad: this.noGrad };
  }

  total(): number {
    return this.grad + this.noGrad;
  }

  reset(): void {
    this.grad = 0;
    this.noGrad = 0;
  }

  restore(c: CallCounts): void {
    this.grad = c.grad;
    this.noGrad = c.noGrad;
  }
}
