// JSON.parse keeps the last of two equal keys and says nothing. A file with "train" twice, or one task
// id twice in a combined file, is ambiguous, so after a successful parse this scan finds repeated keys
// (one pass over the text, no allocation per value: a 4 MB ARC file takes milliseconds).

export interface DuplicateKey {
  key: string;
  /** where the object holding it sits, e.g. "" (the top level) or "007bbfb7.train[0]" */
  path: string;
  /** the top-level key it sits under (a task id in a combined file), or null at the top level */
  top: string | null;
}

interface Frame {
  keys: Set<string> | null; // null for an array
  expectKey: boolean;
  index: number;
  lastKey: string;
  path: string;
  top: string | null;
}

/** Every repeated key in `text`, which must be valid JSON (call after JSON.parse succeeded). */
export function duplicateKeys(text: string, limit = 20): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const child = (parent: Frame | undefined): { path: string; top: string | null } => {
    if (parent === undefined) return { path: '', top: null };
    if (parent.keys === null) return { path: `${parent.path}[${parent.index}]`, top: parent.top };
    const path = parent.path === '' ? parent.lastKey : `${parent.path}.${parent.lastKey}`;
    return { path, top: parent.top ?? parent.lastKey };
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j++;
        } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && top.keys !== null && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) {
          out.push({ key, path: top.path, top: top.top });
          if (out.length >= limit) return out;
        }
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      const where = child(stack[stack.length - 1]);
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, index: 0, lastKey: '', ...where });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        if (top.keys !== null) top.expectKey = true;
        else top.index++;
      }
    }
  }
  return out;
}
