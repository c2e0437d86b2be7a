// infer and adapt on a checkpoint argument (commands/checkpoint-path.ts). A run of the lab goes through
// the lab's API, as the app's playground does: it applies the canvas rule, picks the run's newest
// checkpoint and runs its warm engine (lab.ts: this process starts the lab when none holds the data
// directory, else it talks to the running one over its control channel). A checkpoint folder
// outside the lab runs the engine here, after the same canvas rule in the same words
// (canvasRefusal), so both are refused alike.
import { randomUUID } from 'node:crypto';
import type { LabClient } from '../../src-shared/api/contract';
import { badRequest } from '../../src-shared/api/errors';
import { canvasRefusal } from '../../src-shared/method/canvas-fit';
import type { Task } from '../../src-shared/puzzle/types';
import type { CheckpointTarget } from './commands/checkpoint-path';
import { openLab } from './lab';

export interface OnCheckpoint<T> {
  /** through the lab holding the run's data directory (this process's own, or the running one) */
  lab(api: LabClient, runId: string): Promise<T>;
  /** the engine here, on a checkpoint folder */
  direct(checkpointDir: string): Promise<T>;
}

export async function onCheckpoint<T>(target: CheckpointTarget, task: Task, testIndex: number | null, how: OnCheckpoint<T>): Promise<T> {
  if (target.kind === 'lab') {
    // this command queues no run, so the lab it starts trains none (queued runs wait for the app)
    const lab = await openLab(target.dataDir, { startable: () => false });
    try {
      return await how.lab(lab.api, target.runId);
    } finally {
      await lab.close();
    }
  }
  await checkFolderFits(target.checkpoint, task, testIndex);
  return how.direct(target.checkpoint);
}

/** The service's canvas rule for a checkpoint folder, from the run config its checkpoint records. */
async function checkFolderFits(checkpoint: string, task: Task, testIndex: number | null): Promise<void> {
  const { readCheckpointMeta } = await import('../engine/checkpoint-io');
  const { parseMeta } = await import('../engine/checkpoint-state');
  const refusal = canvasRefusal(task, parseMeta((await readCheckpointMeta(checkpoint)).meta, checkpoint).config.data, testIndex);
  if (refusal !== null) throw badRequest(refusal);
}

/** A request id for the lab's adapt-progress events of one adaptation. */
export function requestId(): string {
  return `cli-${randomUUID()}`;
}
