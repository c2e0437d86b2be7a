// The service's side of the API table (src-shared/api/contract.ts): is this a method, do its
// parameters fit the method's schema, is the request small enough. Types erase at runtime; a
// compromised renderer or a stray WebSocket client can send anything. A failure is a 'bad-request'
// that names the method and the field path.
import * as v from 'valibot';
import { LAB_API, LAB_METHODS, type LabMethod, type ParamsOf } from '../../src-shared/api/contract';
import type { LabErrorWhere } from '../../src-shared/api/errors';
import { badRequest } from './errors';

const METHOD_SET: ReadonlySet<string> = new Set(LAB_METHODS);

export function isLabMethod(m: unknown): m is LabMethod {
  return typeof m === 'string' && METHOD_SET.has(m);
}

/**
 * Where a validation issue is: the field path, and, inside a task, the task id, the pair
 * ("train[2].input") and the cell, as the puzzle core's own errors say it.
 */
export function issueWhere(issue: v.BaseIssue<unknown>): LabErrorWhere {
  let field = 'params';
  const keys: unknown[] = [];
  let task: unknown;
  for (const p of issue.path ?? []) {
    const key = p.key;
    field += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
    keys.push(key);
    if (key === 'task') task = p.value;
  }
  const where: LabErrorWhere = { field };
  if (task === undefined) return where;
  const at = keys.indexOf('task');
  const taskId = (task as { id?: unknown } | null)?.id;
  if (typeof taskId === 'string' && taskId !== '') where.taskId = taskId;
  const [kind, index, side, row, col] = keys.slice(at + 1);
  if ((kind === 'train' || kind === 'test') && typeof index === 'number') {
    where.pair = typeof side === 'string' ? `${kind}[${index}].${side}` : `${kind}[${index}]`;
    if (typeof row === 'number' && typeof col === 'number') where.cell = [row, col];
  }
  return where;
}

/** Checks `method` is an API method and `params` fits its schema; throws 'bad-request' otherwise. */
export function parseParams<M extends LabMethod>(method: M, params: unknown): ParamsOf<M> {
  const schema: (typeof LAB_API)[M]['params'] = LAB_API[method].params;
  const r = v.safeParse(schema, params);
  if (!r.success) {
    const issue = r.issues[0];
    const where = issue === undefined ? { field: 'params' } : issueWhere(issue);
    throw badRequest(`${method}: ${where.field}: ${issue?.message ?? 'invalid'}`, where);
  }
  return r.output;
}

/**
 * Rough size of a structured value (JSON characters), stopping as soon as it passes `limit`, so an
 * oversized IPC payload is refused without walking all of it.
 */
export function exceedsSize(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'string') size += x.length + 2;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (const e of x) stack.push(e);
    } else if (typeof x === 'object' && x !== null) {
      for (const [k, e] of Object.entries(x)) {
        size += k.length + 4;
        stack.push(e);
      }
    } else size += 8;
    if (size > limit) return true;
  }
  return false;
}
