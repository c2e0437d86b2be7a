// infer, adapt and eval on a checkpoint argument (commands/checkpoint-path.ts) go through the lab's API,
// as the app's playground does: the lab applies the canvas rule, picks the checkpoint and runs its
// warm engine process (lab.ts: this process starts the lab when none holds the data directory, else
// it talks to the running one over its control channel). A run of the lab is named by its id; a
// checkpoint or run folder outside any lab is handed to the lab of the given (or default) data
// directory as a path the user named, so both are served, and refused, by the same request.
import { randomUUID } from 'node:crypto';
import type { LabClient } from '../../src-shared/api/contract';
import { resolveDataDir } from '../service/data-dir';
import type { CheckpointTarget } from './commands/checkpoint-path';
import { openLab } from './lab';

/** What a request on a checkpoint names: a lab run, or a checkpoint folder. */
export type CheckpointRef = { runId: string } | { checkpointDir: string };

export async function onCheckpoint<T>(target: CheckpointTarget, dataDirFlag: string | undefined, call: (api: LabClient, ref: CheckpointRef) => Promise<T>): Promise<T> {
  // this command queues no run, so a lab it starts trains none (queued runs wait for the app)
  const lab = await openLab(target.kind === 'lab' ? target.dataDir : resolveDataDir(dataDirFlag));
  try {
    if (target.kind === 'lab') return await call(lab.api, { runId: target.runId });
    await lab.grant(target.checkpoint);
    return await call(lab.api, { checkpointDir: target.checkpoint });
  } finally {
    await lab.close();
  }
}

/** A request id for the lab's adapt-progress events of one adaptation. */
export function requestId(): string {
  return `cli-${randomUUID()}`;
}
