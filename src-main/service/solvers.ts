// External solvers: a submission.json from anywhere, imported once (validated, with its sha256) and
// scored the official way against the tasks of a run or a library dataset, so the run views can show
// it beside the lab's own runs. The format code itself is shared (src-shared/puzzle/submission.ts).
import { createHash } from 'node:crypto';
import type { ExternalSolver, SolverScore } from '../../src-shared/api/contract';
import { reportFromSubmission, scoreSubmission, SubmissionError, validateSubmission, type Submission } from '../../src-shared/puzzle/submission';
import type { Grid, Task } from '../../src-shared/puzzle/types';
import { badRequest, notFound } from './errors';
import type { Db } from './store/db';
import { SolverStore } from './store/solver-store';

function parse(content: string, file: string): Submission {
  const body = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw badRequest(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return validateSubmission(value, file);
  } catch (e) {
    if (e instanceof SubmissionError) throw badRequest(e.message);
    throw e;
  }
}

export class ExternalSolvers {
  readonly store: SolverStore;

  constructor(db: Db, private readonly changed: () => void) {
    this.store = new SolverStore(db);
  }

  import(q: { name: string; file: string; content: string }): ExternalSolver {
    const submission = parse(q.content, q.file);
    const sha256 = createHash('sha256').update(q.content, 'utf8').digest('hex');
    const solver = this.store.insert({ name: q.name, sourceFile: q.file, sha256, submission });
    this.changed();
    return solver;
  }

  list(): ExternalSolver[] {
    return this.store.list();
  }

  mustGet(id: string): ExternalSolver {
    const s = this.store.get(id);
    if (s === null) throw notFound(`no external solver with id ${id}`);
    return s;
  }

  delete(id: string): void {
    if (!this.store.delete(id)) throw notFound(`no external solver with id ${id}`);
    this.changed();
  }

  /**
   * Scores a solver against reference tasks (their known test outputs). Tasks of the submission the
   * reference does not hold are left out and listed; reference tasks it lacks are listed as missing.
   */
  score(id: string, against: SolverScore['against'], tasks: readonly Task[]): SolverScore {
    const solver = this.mustGet(id);
    const submission = this.store.submission(id)!;
    const known: Array<[string, Grid[]]> = [];
    const unknown: string[] = [];
    for (const t of tasks) {
      if (t.test.some((p) => p.output === undefined)) unknown.push(t.id);
      else known.push([t.id, t.test.map((p) => p.output!)]);
    }
    const solutions = Object.fromEntries(known);
    if (known.length === 0) {
      throw badRequest(`${against.kind} ${against.name} has no task with known test outputs to score ${solver.sourceFile} against`);
    }
    try {
      const score = scoreSubmission(submission, solutions, { submissionFile: solver.sourceFile, solutionsFile: `${against.kind} ${against.name}`, extraTasks: 'ignore' });
      return { solver, against, score, report: reportFromSubmission(submission, score), unknown };
    } catch (e) {
      if (e instanceof SubmissionError) throw badRequest(e.message);
      throw e;
    }
  }
}
