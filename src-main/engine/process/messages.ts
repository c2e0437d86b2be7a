// What travels between the lab service and an engine process. Commands are the engine protocol's
// EngineCommand plus a backend probe; replies are EngineEvents plus the answers to infer and probe
// requests. Both ends validate what they receive: the engine its commands (validate-command.ts), the
// service its messages (validate-message.ts).
import type {
  AdaptProgress,
  AdaptResult,
  BackendInfo,
  EngineCommand,
  EngineEvent,
  EvalReport,
  InferResult,
  TaskClassification,
  VoteExplanation,
} from '../../../src-shared/method/protocol';
import type { ChainBackend, DoctorEntry } from '../../../src-shared/method/doctor';
import type { BackendChoice } from '../../../src-shared/method/run-config';

export type HostCommand =
  | EngineCommand
  | { type: 'probe'; backend: BackendChoice }
  /** the GPU doctor: force one backend in this (fresh) process, say why it fails or measure it */
  | { type: 'doctor'; backend: ChainBackend; measure: boolean };

export type ProcessReply =
  | { type: 'ready'; pid: number }
  | { type: 'infer-result'; requestId: string; result: InferResult }
  | { type: 'adapt-progress'; requestId: string; progress: AdaptProgress }
  | { type: 'adapt-result'; requestId: string; result: AdaptResult }
  | { type: 'classify-result'; requestId: string; result: TaskClassification }
  | { type: 'explain-result'; requestId: string; result: VoteExplanation }
  | { type: 'evaluate-result'; requestId: string; result: EvalReport }
  /** an infer/adapt/classify/explain/evaluate request failed; the process stays up */
  | { type: 'request-error'; requestId: string; message: string }
  | { type: 'probe-result'; backend: BackendInfo }
  | { type: 'probe-error'; message: string }
  | { type: 'doctor-result'; entry: DoctorEntry }
  /** a command the engine could not even parse; the process stays up */
  | { type: 'rejected'; message: string };

export type EngineMessage = EngineEvent | ProcessReply;

/** Requests answered by one reply each (the warm interactive engine process). */
export type EngineRequest = Extract<HostCommand, { requestId: string }>;
export type ReplyType = 'infer-result' | 'adapt-result' | 'classify-result' | 'explain-result' | 'evaluate-result';
