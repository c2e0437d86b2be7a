// Test data builders for the renderer tests: plain API objects with defaults, overridden per test.
import type { RunSummary } from '../../../src-shared/api/contract';

/** A queued TRM run summary with no progress; override what the test is about. */
export function runSummary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'r',
    name: 'r',
    method: 'trm',
    status: 'queued',
    group: null,
    queuePosition: null,
    step: 0,
    totalSteps: 100,
    examplesPerSec: 0,
    etaSec: null,
    backend: null,
    error: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    ...over,
  };
}
