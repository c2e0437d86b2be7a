// The library dataset name of one import: named after its files, so that the dataset column of a
// task row reads as where it came from ("3 files" there read as if the task had three files).

/** "007bbfb7" for one file; "arc-agi_training_challenges + 1 more file" for several. */
export function importName(fileNames: readonly string[]): string {
  const base = (n: string): string => n.replace(/\.json$/i, '');
  const first = fileNames[0];
  if (first === undefined) return 'import';
  const more = fileNames.length - 1;
  return more === 0 ? base(first) : `${base(first)} + ${more} more file${more === 1 ? '' : 's'}`;
}
