// THE error shape of the API, the same whichever transport carried it (Electron IPC, the serve
// WebSocket, the CLI in-process): a code a program can branch on, a message a person can read, and,
// when known, where the problem is (task id, pair, cell, file, request field). The service throws
// it; every client rebuilds it from the wire (fromWire) and throws it, so the UI sees one shape.
import type { ErrorLocation } from '../puzzle/errors';

/**
 * bad-request … conflict come from the service; disconnected, timeout, too-large and send are the
 * client's own (the request never got an answer).
 */
export type LabErrorCode = 'bad-request' | 'not-found' | 'conflict' | 'internal' | 'disconnected' | 'timeout' | 'too-large' | 'send';

/** Where a problem is: the puzzle location (file › task › pair › cell) and, for a bad request, the field path. */
export interface LabErrorWhere extends ErrorLocation {
  /** the offending request field, e.g. "params.task.train[0].input[2][3]" */
  field?: string;
}

/** A LabError as it travels (JSON / structured clone: plain data only). */
export interface WireError {
  code: LabErrorCode;
  message: string;
  where?: LabErrorWhere;
}

export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly where: LabErrorWhere | undefined;
  constructor(code: LabErrorCode, message: string, where?: LabErrorWhere) {
    super(message);
    this.name = 'LabError';
    this.code = code;
    this.where = where;
  }
}

export const badRequest = (message: string, where?: LabErrorWhere): LabError => new LabError('bad-request', message, where);
export const notFound = (message: string, where?: LabErrorWhere): LabError => new LabError('not-found', message, where);
export const conflict = (message: string, where?: LabErrorWhere): LabError => new LabError('conflict', message, where);

/** Any thrown value as a wire error ('internal' with its message when it is not a LabError). */
export function toWireError(e: unknown): WireError {
  if (e instanceof LabError) return { code: e.code, message: e.message, ...(e.where !== undefined && { where: e.where }) };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/**
 * The LabError a client throws for a failed call of `method`. The message names the method once
 * (the service's validation messages already start with it).
 */
export function fromWire(method: string, e: WireError): LabError {
  const message = e.message.startsWith(`${method}: `) ? e.message : `${method}: ${e.message}`;
  return new LabError(e.code, message, e.where);
}
