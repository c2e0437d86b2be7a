// The authors' dataset folder, as build_arc_dataset.py writes it and puzzle_dataset.py reads it
// (docs/method-notes.md#tokens, #puzzle-identifiers; identical in SamsungSAILMontreal/TinyRecursiveModels and
// machinestein/Deep-Improvement-Supervision):
//
//   <folder>/identifiers.json        list: puzzle id → version name ("<blank>" at 0)
//   <folder>/test_puzzles.json       {task id: {train: [...], test: [{input, output}]}} (raw evaluation tasks)
//   <folder>/<split>/dataset.json    metadata (below), split ∈ {train, test}
//   <folder>/<split>/<set>__inputs.npy              uint8 [examples, seq_len]
//   <folder>/<split>/<set>__labels.npy              uint8 [examples, seq_len] (PAD 0 = ignored)
//   <folder>/<split>/<set>__puzzle_identifiers.npy  int32 [puzzles]
//   <folder>/<split>/<set>__puzzle_indices.npy      int32 [puzzles + 1]  CSR: puzzle → examples
//   <folder>/<split>/<set>__group_indices.npy       int32 [groups + 1]   CSR: group (task) → puzzles
// with set = "all" in every builder.

/** PuzzleDatasetMetadata, in the field order pydantic's model_dump writes. */
export interface AuthorsMetadata {
  seq_len: number;
  vocab_size: number;
  pad_id: number;
  ignore_label_id: number | null;
  blank_identifier_id: number;
  num_puzzle_identifiers: number;
  total_groups: number;
  mean_puzzle_examples: number;
  total_puzzles: number;
  sets: string[];
}

export const SPLITS = ['train', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const FIELDS = ['inputs', 'labels', 'puzzle_identifiers', 'puzzle_indices', 'group_indices'] as const;
export type FieldName = (typeof FIELDS)[number];

export const IDENTIFIERS_FILE = 'identifiers.json';
export const TEST_PUZZLES_FILE = 'test_puzzles.json';
export const METADATA_FILE = 'dataset.json';
export const BLANK_IDENTIFIER = '<blank>';

export function npyName(set: string, field: FieldName): string {
  return `${set}__${field}.npy`;
}
