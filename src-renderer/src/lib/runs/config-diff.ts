// Run configs as flat "path = value" rows, and the rows where two configs differ.
export function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, Array.isArray(value) ? JSON.stringify(value) : String(value)]];
}

export function configDiff(a: unknown, b: unknown): Array<{ path: string; a: string | undefined; b: string | undefined }> {
  const fa = new Map(flatten(a));
  const fb = new Map(flatten(b));
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths.filter((p) => fa.get(p) !== fb.get(p)).map((path) => ({ path, a: fa.get(path), b: fb.get(path) }));
}

/** The rows where any of several configs differ, with each config's value (undefined = absent). */
export function configDiffAll(configs: readonly unknown[]): Array<{ path: string; values: Array<string | undefined> }> {
  const flat = configs.map((c) => new Map(flatten(c)));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  return paths
    .map((path) => ({ path, values: flat.map((f) => f.get(path)) }))
    .filter((r) => r.values.some((v) => v !== r.values[0]));
}
