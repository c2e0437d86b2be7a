// The one rule for telling apart tasks that share an id inside one run's data (an original and its
// edited copy selected together, two files with the same stem): the n-th repeat of "x" (n ≥ 2)
// becomes "x~n". The service applies it when it resolves a run's tasks; evaluation reports, the
// engine's puzzle rows and every view that names a run's task use the ids it gives.

/** The ids a list of task ids becomes: the n-th repeat of "x" (n ≥ 2) is "x~n". */
export function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}~${n}`;
  });
}

/** The tasks with their ids made unique by uniqueIds (a task whose id does not change is kept as is). */
export function withUniqueIds<T extends { id: string }>(tasks: readonly T[]): T[] {
  const ids = uniqueIds(tasks.map((t) => t.id));
  return tasks.map((t, i) => (ids[i] === t.id ? t : { ...t, id: ids[i]! }));
}
