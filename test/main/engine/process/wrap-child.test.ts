// The host side of an engine process never lets a failing listener, or a send on a closed channel,
// throw out of the child's IPC events into the lab's own process.
import { describe, expect, it } from 'vitest';
import { wrapChild, type RawChild } from '../../../../src-main/engine/process/host';

function fakeRaw() {
  let onMessage: (m: unknown) => void = () => {};
  let onExit: (code: number | null, signal: string | null) => void = () => {};
  const raw: RawChild = {
    pid: 1234,
    postMessage: () => {
      throw Object.assign(new Error('Channel closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' });
    },
    onMessage: (l) => (onMessage = l),
    onExit: (l) => (onExit = l),
    onStderr: () => {},
    disconnect: () => {},
    kill: () => {},
  };
  return { raw, message: (m: unknown) => onMessage(m), exit: () => onExit(1, null) };
}

describe('an engine process seen from the lab', () => {
  it('keeps delivering to the other listeners when one throws, and never throws into the IPC event', () => {
    const f = fakeRaw();
    const proc = wrapChild(f.raw);
    const seen: string[] = [];
    proc.onMessage(() => {
      throw new Error('database or disk is full');
    });
    proc.onMessage((m) => seen.push(m.type));
    proc.onExit(() => {
      throw new Error('boom');
    });
    proc.onExit((e) => seen.push(`exit ${e.code}`));
    expect(() => f.message({ type: 'ready', pid: 1234 })).not.toThrow();
    expect(() => proc.send({ type: 'stop', reason: 'pause' })).not.toThrow();
    expect(() => f.exit()).not.toThrow();
    expect(seen).toEqual(['ready', 'exit 1']);
  });
});
