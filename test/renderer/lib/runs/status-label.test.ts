import { describe, expect, it } from 'vitest';
import { statusLabel } from '../../../../src-renderer/src/lib/runs/status-label';

describe('the words a run state is shown with (run view and queue)', () => {
  it('names a run paused for a full disk or a database that refuses writes, and shows other states as they are', () => {
    expect(statusLabel({ status: 'paused', pausedFor: 'disk-full' })).toBe('paused: disk full');
    expect(statusLabel({ status: 'paused', pausedFor: 'storage' })).toBe('paused: cannot write');
    expect(statusLabel({ status: 'paused' })).toBe('paused');
    expect(statusLabel({ status: 'running' })).toBe('running');
  });
});
