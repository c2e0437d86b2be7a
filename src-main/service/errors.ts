// Errors the API reports to clients: the one shape in src-shared/api/errors.ts (code, message,
// where). Any other thrown error becomes 'internal' with its message.
export { badRequest, conflict, LabError, notFound, toWireError, type LabErrorCode } from '../../src-shared/api/errors';
