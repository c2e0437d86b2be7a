// The authors' repositories the exports were checked against (docs/method-notes.md names them). Scripts
// and READMEs name them so a user clones exactly what the command lines were written for.

import type { Method } from '../../src-shared/method/methods';

export interface AuthorsRepo {
  name: string;
  url: string;
  /** the commit the lab's export was checked against */
  commit: string;
  /** the training entry point the launch scripts run */
  entry: string;
  /** files whose names the overrides follow */
  checkedFiles: string[];
}

export const TRM_REPO: AuthorsRepo = {
  name: 'SamsungSAILMontreal/TinyRecursiveModels',
  url: 'https://github.com/SamsungSAILMontreal/TinyRecursiveModels',
  commit: 'e7b6871',
  entry: 'pretrain.py',
  checkedFiles: ['pretrain.py', 'config/cfg_pretrain.yaml', 'config/arch/trm.yaml', 'puzzle_dataset.py', 'dataset/build_arc_dataset.py', 'evaluators/arc.py'],
};

export const DIS_REPO: AuthorsRepo = {
  name: 'machinestein/Deep-Improvement-Supervision',
  url: 'https://github.com/machinestein/Deep-Improvement-Supervision',
  // HEAD 032f116 ("Update README.md"); the last code commit is 4898393 ("Version 3").
  commit: '032f116',
  entry: 'train_arc_tiny_corrupt.py',
  checkedFiles: ['train_arc_tiny_corrupt.py', 'models/recursive_reasoning/trm.py (TinyRecursiveReasoningModel_ACTV5)', 'models/losses.py (ACTLossHeadV4)', 'puzzle_dataset.py'],
};

/**
 * HRM runs go to the TRM authors' pretrain.py with `arch=hrm`: their repository carries HRM
 * (models/recursive_reasoning/hrm.py, the HierarchicalReasoningModel_ACTV1 of sapientinc/HRM with the
 * same parameter names) as the baseline of the TRM paper, and it reads the dataset format, evaluator
 * options and `load_checkpoint` the TRM export already writes. sapientinc/HRM's own pretrain.py has no
 * `load_checkpoint`, no EMA and a single `data_path`, so a lab run could not start there from its weights.
 */
export const HRM_REPO: AuthorsRepo = {
  ...TRM_REPO,
  checkedFiles: ['pretrain.py', 'config/cfg_pretrain.yaml', 'config/arch/hrm.yaml', 'models/recursive_reasoning/hrm.py', 'models/losses.py (ACTLossHead)', 'puzzle_dataset.py'],
};

export function repoFor(method: Method): AuthorsRepo {
  return method === 'trm' ? TRM_REPO : method === 'hrm' ? HRM_REPO : DIS_REPO;
}
