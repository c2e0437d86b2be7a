// Built-in and file data sources → concrete tasks. Library sources (tasks or datasets stored in the
// lab's database) are resolved by the lab service, which owns the database.

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from '../../../src-shared/method/run-config';
import { generateTasks } from '../../../src-shared/generators';
import { nqueensDataset } from '../../../src-shared/generators/nqueens';
import { sudokuDataset } from '../../../src-shared/generators/sudoku';
import { importFiles, MAX_FILE_BYTES } from '../../../src-shared/puzzle/formats';
import type { Task } from '../../../src-shared/puzzle/types';

const CHALLENGES = '_challenges.json';
const SOLUTIONS = '_solutions.json';
/** How many file errors a message lists before summarising the rest. */
const ERRORS_SHOWN = 5;

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The files to read for a path: a folder's JSON files, or one file with its challenges/solutions partner. */
async function filesFor(p: string): Promise<string[]> {
  let info;
  try {
    info = await stat(p);
  } catch {
    throw new Error(`ARC data path ${p} does not exist`);
  }
  if (info.isDirectory()) {
    const files = await jsonFilesUnder(p);
    if (files.length === 0) throw new Error(`ARC data folder ${p} holds no .json files`);
    return files;
  }
  const lower = p.toLowerCase();
  if (lower.endsWith(CHALLENGES)) {
    const partner = p.slice(0, -CHALLENGES.length) + SOLUTIONS;
    return (await exists(partner)) ? [p, partner] : [p];
  }
  if (lower.endsWith(SOLUTIONS)) {
    const partner = p.slice(0, -SOLUTIONS.length) + CHALLENGES;
    return (await exists(partner)) ? [partner, p] : [p];
  }
  return [p];
}

/** Tasks from an ARC task file, a Kaggle challenges(+solutions) file, or a folder of them (recursively). */
export async function loadArcPath(p: string): Promise<Task[]> {
  const names = await filesFor(p);
  // Refuse oversized files before reading them: a 200 MB file would otherwise block for minutes.
  for (const name of names) {
    const size = (await stat(name)).size;
    if (size > MAX_FILE_BYTES) {
      throw new Error(`${name} is ${(size / 2 ** 20).toFixed(0)} MB; the lab reads ARC files up to ${MAX_FILE_BYTES / 2 ** 20} MB (split it)`);
    }
  }
  const files = await Promise.all(names.map(async (name) => ({ name, content: await readFile(name, 'utf8') })));
  const { tasks, errors } = importFiles(files);
  if (errors.length > 0) {
    const shown = errors.slice(0, ERRORS_SHOWN).map((e) => `  ${e.message}`);
    if (errors.length > ERRORS_SHOWN) shown.push(`  … and ${errors.length - ERRORS_SHOWN} more`);
    throw new Error(`${errors.length} problem(s) reading ARC data from ${p}:\n${shown.join('\n')}`);
  }
  if (tasks.length === 0) throw new Error(`no ARC tasks found in ${p}`);
  return tasks;
}

export async function resolveSource(source: DataSource): Promise<Task[]> {
  switch (source.kind) {
    case 'family':
      return generateTasks(source.family, {
        count: source.tasks,
        minSide: source.minSide,
        maxSide: source.maxSide,
        difficulty: source.difficulty,
        seed: source.seed,
      });
    case 'nqueens':
      return [nqueensDataset({ n: source.n, train: source.train, test: source.test, seed: source.seed })];
    case 'sudoku':
      return [sudokuDataset({ train: source.train, test: source.test, difficulty: source.difficulty, seed: source.seed })];
    case 'file':
      return loadArcPath(source.path);
    case 'library':
    case 'dataset':
      throw new Error(`a "${source.kind}" data source refers to the lab's library; only the lab service can resolve it (use --file or a built-in family here)`);
  }
}
