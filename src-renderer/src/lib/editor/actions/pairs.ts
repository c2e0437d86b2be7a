// Task structure: which grid is edited, and adding or deleting demonstration and test pairs.
import type { Grid, Task } from '../../../../../src-shared/puzzle/types';
import { currentGrid, dims, type EditorState, type Target } from '../state';
import type { Action } from './types';

export const focus: Action<Target> = {
  name: 'focus',
  label: 'Edit grid',
  undoable: false,
  perform(s, target) {
    const list = target.kind === 'train' ? s.task.train : s.task.test;
    if (target.index < 0 || target.index >= list.length) return s;
    return { ...s, target, selection: null, floating: null, cursor: { r: 0, c: 0 } };
  },
};

function blankLike(g: Grid | undefined): Grid {
  const { rows, cols } = g ? dims(g) : { rows: 3, cols: 3 };
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/** Add a pair of the given kind (sized like the grid being edited) and edit its input. */
export const addPair: Action<'train' | 'test'> = {
  name: 'add-pair',
  label: 'Add pair',
  undoable: true,
  perform(s, kind) {
    const g = currentGrid(s);
    const input = blankLike(g);
    const task: Task =
      kind === 'train'
        ? { ...s.task, train: [...s.task.train, { input, output: blankLike(g) }] }
        : { ...s.task, test: [...s.task.test, { input, output: blankLike(g) }] };
    const index = (kind === 'train' ? task.train : task.test).length - 1;
    return { ...s, task, target: { kind, index, side: 'input' }, selection: null, floating: null };
  },
};

/** Delete the pair being edited; a task keeps at least one train and one test pair. */
export const deletePair: Action = {
  name: 'delete-pair',
  label: 'Delete this pair',
  undoable: true,
  enabled: (s) => (s.target.kind === 'train' ? s.task.train.length : s.task.test.length) > 1,
  perform(s) {
    const { kind, index } = s.target;
    const list = kind === 'train' ? s.task.train : s.task.test;
    if (list.length <= 1) return s;
    const task: Task =
      kind === 'train'
        ? { ...s.task, train: s.task.train.filter((_, i) => i !== index) }
        : { ...s.task, test: s.task.test.filter((_, i) => i !== index) };
    return { ...s, task, target: { kind, index: Math.max(0, index - 1), side: 'input' }, selection: null, floating: null };
  },
};
