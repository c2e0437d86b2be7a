// The engine process: the only place tfjs runs. Started per training run (and once, warm, for the
// playground's interactive requests) by the lab service; built as out/main/engine.js for Electron's
// utilityProcess and run through tsx with child_process.fork headless. Every command is validated;
// everything it learns goes back as EngineEvents / replies.
import { adaptTask, classifyTask, explainVotes } from '../adaptation/adapt-task';
import { evaluateCheckpoint, runInference, runTrainJob } from '../api';
import { initBackend } from '../backend';
import { diagnoseBackend } from '../doctor';
import { openParentChannel } from './channel';
import type { EngineRequest, HostCommand, ProcessReply } from './messages';
import { parseHostCommand } from './validate-command';

const channel = openParentChannel();
const parentPid = process.ppid;
let stopReason: 'cancel' | 'pause' | null = null;
let training = false;
let backendReady: Promise<unknown> | null = null;
// Interactive requests run one after another: tfjs in one process is single-threaded anyway.
let requestChain: Promise<void> = Promise.resolve();

function message(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Called by the trainer between steps: a stop command, or a parent that died (orphaned: quit at once). */
function stopRequested(): 'cancel' | 'pause' | null {
  if (channel.kind === 'fork' && process.ppid !== parentPid) process.exit(0);
  return stopReason;
}

async function train(job: Extract<HostCommand, { type: 'train' }>['job']): Promise<void> {
  if (training) {
    channel.send({ type: 'rejected', message: 'this engine process is already training; one job per process' });
    return;
  }
  training = true;
  let finished = false;
  try {
    await runTrainJob(
      job,
      (e) => {
        if (e.type === 'finished') finished = true;
        channel.send(e);
      },
      { stopRequested },
    );
  } catch (e) {
    if (!finished) channel.send({ type: 'finished', status: 'failed', step: 0, error: message(e) });
  }
}

async function answer(cmd: EngineRequest): Promise<ProcessReply> {
  const requestId = cmd.requestId;
  switch (cmd.type) {
    case 'infer':
      return { type: 'infer-result', requestId, result: await runInference(cmd.request) };
    case 'adapt': {
      stopReason = null; // a 'cancel' abandons the adaptation in progress only
      const result = await adaptTask(cmd.request, (progress) => channel.send({ type: 'adapt-progress', requestId, progress }), { stopRequested });
      return { type: 'adapt-result', requestId, result };
    }
    case 'classify':
      return { type: 'classify-result', requestId, result: await classifyTask(cmd.checkpointDir, cmd.task) };
    case 'explain-votes': {
      const r = cmd.request;
      return { type: 'explain-result', requestId, result: await explainVotes(r.checkpointDir, r.task, r.testIndex, r.augmentations) };
    }
    case 'evaluate':
      return { type: 'evaluate-result', requestId, result: await evaluateCheckpoint(cmd.checkpointDir, cmd.tasks, cmd.augmentations) };
  }
}

function request(cmd: EngineRequest): void {
  requestChain = requestChain.then(async () => {
    try {
      backendReady ??= initBackend('auto');
      await backendReady;
      channel.send(await answer(cmd));
    } catch (e) {
      channel.send({ type: 'request-error', requestId: cmd.requestId, message: e instanceof Error ? e.message : String(e) });
    }
  });
}

async function probe(choice: Extract<HostCommand, { type: 'probe' }>['backend']): Promise<void> {
  try {
    const p = initBackend(choice);
    backendReady ??= p;
    channel.send({ type: 'probe-result', backend: await p });
  } catch (e) {
    channel.send({ type: 'probe-error', message: e instanceof Error ? e.message : String(e) });
  }
}

channel.onMessage((data) => {
  const parsed = parseHostCommand(data);
  if (!parsed.ok) {
    channel.send({ type: 'rejected', message: parsed.message });
    return;
  }
  const cmd = parsed.command;
  switch (cmd.type) {
    case 'train':
      void train(cmd.job);
      break;
    case 'probe':
      void probe(cmd.backend);
      break;
    case 'doctor':
      // a fresh process per backend (the service starts one each): a forced backend is process-global
      void diagnoseBackend(cmd.backend, cmd.measure).then(
        (entry) => channel.send({ type: 'doctor-result', entry }),
        (e: unknown) => channel.send({ type: 'probe-error', message: e instanceof Error ? e.message : String(e) }),
      );
      break;
    case 'stop':
      stopReason = cmd.reason;
      break;
    default:
      request(cmd);
  }
});
channel.onGone(() => process.exit(0));
channel.send({ type: 'ready', pid: process.pid });
