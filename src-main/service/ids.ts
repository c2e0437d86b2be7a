// Ids for datasets, library tasks, runs and groups: short, random, URL- and file-name-safe.
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'ds' | 'task' | 'run' | 'grp' | 'ext'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export const nowIso = (): string => new Date().toISOString();
