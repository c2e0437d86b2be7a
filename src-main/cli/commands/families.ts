// `puzzle-lab families`: the built-in puzzle families.

import { FAMILIES } from '../../../src-shared/generators';
import { bool, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';

export const spec: CommandSpec = {
  name: 'families',
  summary: 'List the built-in puzzle families (ARC-style generators, N-Queens, Sudoku) and their defaults.',
  flags: { json: { type: 'boolean', help: 'print JSON instead of a table' } },
  examples: ['puzzle-lab families', 'puzzle-lab families --json'],
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const rows = FAMILIES.map((f) => ({ ...f.info, defaults: f.defaults }));
  if (bool(args, 'json') === true) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const idWidth = Math.max(...rows.map((r) => r.id.length)) + 2;
  const indent = ' '.repeat(idWidth + 9);
  for (const r of rows) {
    io.out(`${r.id.padEnd(idWidth)}${r.kind.padEnd(9)}${r.title}\n${indent}${r.description}\n${indent}defaults: ${defaultsText(r.kind, r.defaults)}\n`);
  }
  io.out(`\n${rows.length} families. Use one with: puzzle-lab train --family <id>   or   puzzle-lab targets --family <id>\n`);
  return 0;
}

function defaultsText(kind: string, d: (typeof FAMILIES)[number]['defaults']): string {
  const side = kind === 'nqueens' ? `n = ${d.maxSide}` : d.minSide === d.maxSide ? `side ${d.maxSide}` : `sides ${d.minSide}–${d.maxSide}`;
  const pairs = d.trainPairs === undefined ? '' : `, ${d.trainPairs} demonstration pairs`;
  return `${d.count} tasks, ${side}, difficulty ${d.difficulty}${pairs}`;
}
