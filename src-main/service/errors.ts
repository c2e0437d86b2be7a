// Errors the API reports to clients. The code travels over the wire (WireResponse.error.code); any
// other thrown error becomes 'internal' with its message.
export type LabErrorCode = 'bad-request' | 'not-found' | 'conflict' | 'internal';

export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string) {
    super(message);
    this.name = 'LabError';
    this.code = code;
  }
}

export const badRequest = (message: string): LabError => new LabError('bad-request', message);
export const notFound = (message: string): LabError => new LabError('not-found', message);
export const conflict = (message: string): LabError => new LabError('conflict', message);

export function toWireError(e: unknown): { code: LabErrorCode; message: string } {
  if (e instanceof LabError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
