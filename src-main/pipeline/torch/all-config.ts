// The authors' `all_config.yaml`, written beside the checkpoints by pretrain.py
// (`yaml.dump(config.model_dump())`: PyYAML block style, keys sorted, lists of a mapping at the same
// indent as their key). Only that subset of YAML is read: block mappings and sequences, plain and
// quoted scalars, `[]`/`{}` for empty collections. What the import takes from it is the `arch` section
// (name, H_cycles, L_cycles, L_layers, hidden_size, num_heads, expansion, puzzle_emb_ndim,
// puzzle_emb_len, halt_max_steps, pos_encodings, mlp_t, rope_theta) and a few training fields.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function scalar(raw: string): Yaml {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true' || s === 'True') return true;
  if (s === 'false' || s === 'False') return false;
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s.startsWith('[') && s.endsWith(']')) return s.slice(1, -1).split(',').map((x) => scalar(x)).filter((x) => x !== null);
  return s;
}

/** Parses the YAML subset above; throws with the line number on anything else. */
export function parseYamlSubset(text: string, where: string): Yaml {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const stripped = l.replace(/\s+#.*$/, '');
    if (stripped.trim() === '' || stripped.trim().startsWith('#') || stripped.trim() === '---') return;
    lines.push({ indent: stripped.length - stripped.trimStart().length, text: stripped.trim(), no: i + 1 });
  });
  let i = 0;
  const fail = (l: Line, why: string): never => {
    throw new Error(`${where}, line ${l.no}: ${why}`);
  };
  const block = (indent: number): Yaml => {
    const first = lines[i];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith('- ') || first.text === '-') return sequence(first.indent);
    return mapping(first.indent);
  };
  const mapping = (indent: number): Yaml => {
    const out: { [k: string]: Yaml } = {};
    while (i < lines.length) {
      const l = lines[i] as Line;
      if (l.indent < indent) break;
      if (l.indent > indent) fail(l, 'unexpected indentation');
      if (l.text.startsWith('- ')) break;
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(l.text);
      if (!m) fail(l, `expected "key: value", got "${l.text}"`);
      const key = String(scalar((m as RegExpExecArray)[1] as string));
      const rest = (m as RegExpExecArray)[2];
      i++;
      if (rest !== undefined && rest !== '') out[key] = scalar(rest);
      else {
        const next = lines[i];
        // PyYAML puts a mapping's list at the key's own indent.
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) out[key] = block(next.indent);
        else out[key] = null;
      }
    }
    return out;
  };
  const sequence = (indent: number): Yaml => {
    const out: Yaml[] = [];
    while (i < lines.length) {
      const l = lines[i] as Line;
      if (l.indent !== indent || !(l.text.startsWith('- ') || l.text === '-')) break;
      const rest = l.text === '-' ? '' : l.text.slice(2);
      if (rest === '') {
        i++;
        out.push(block(indent + 1));
      } else if (/^[^'"[{][^:]*:(\s|$)/.test(rest)) {
        // "- key: value" opens a mapping whose further keys are indented to the item's text
        lines[i] = { indent: indent + 2, text: rest, no: l.no };
        out.push(mapping(indent + 2));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  };
  const value = block(0);
  if (i < lines.length) fail(lines[i] as Line, 'unexpected content');
  return value;
}

/** What the lab takes from all_config.yaml. Every field is optional: older or edited files may lack some. */
export interface AuthorsConfig {
  file: string;
  archName?: string;
  lossName?: string;
  H_cycles?: number;
  L_cycles?: number;
  L_layers?: number;
  /** HRM's f_H blocks */
  H_layers?: number;
  hidden_size?: number;
  num_heads?: number;
  expansion?: number;
  puzzle_emb_ndim?: number;
  puzzle_emb_len?: number;
  halt_max_steps?: number;
  halt_exploration_prob?: number;
  pos_encodings?: string;
  mlp_t?: boolean;
  rope_theta?: number;
  lr?: number;
  puzzle_emb_lr?: number;
  weight_decay?: number;
  global_batch_size?: number;
  ema?: boolean;
  data_paths?: string[];
}

const num = (v: Yaml | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: Yaml | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function authorsConfigFrom(y: Yaml, file: string): AuthorsConfig {
  if (y === null || typeof y !== 'object' || Array.isArray(y)) throw new Error(`${file}: not a pretrain.py config (expected a mapping at the top)`);
  const arch = y['arch'];
  if (arch === null || typeof arch !== 'object' || Array.isArray(arch) || arch === undefined) throw new Error(`${file}: has no "arch" section (not an all_config.yaml written by pretrain.py?)`);
  const loss = arch['loss'];
  const out: AuthorsConfig = { file };
  const set = <K extends keyof AuthorsConfig>(k: K, v: AuthorsConfig[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('archName', str(arch['name']));
  set('lossName', loss && typeof loss === 'object' && !Array.isArray(loss) ? str(loss['name']) : undefined);
  for (const k of ['H_cycles', 'L_cycles', 'L_layers', 'H_layers', 'hidden_size', 'num_heads', 'expansion', 'puzzle_emb_ndim', 'puzzle_emb_len', 'halt_max_steps', 'halt_exploration_prob', 'rope_theta'] as const) {
    set(k, num(arch[k]));
  }
  set('pos_encodings', str(arch['pos_encodings']));
  if (typeof arch['mlp_t'] === 'boolean') out.mlp_t = arch['mlp_t'];
  for (const k of ['lr', 'puzzle_emb_lr', 'weight_decay', 'global_batch_size'] as const) set(k, num(y[k]));
  if (typeof y['ema'] === 'boolean') out.ema = y['ema'];
  const dp = y['data_paths'];
  if (Array.isArray(dp)) out.data_paths = dp.filter((d): d is string => typeof d === 'string');
  return out;
}

/**
 * all_config.yaml beside the checkpoint (pretrain.py writes it into checkpoint_path, the folder of the
 * step_N files), or null when there is none.
 */
export async function readAuthorsConfigBeside(checkpointFile: string): Promise<AuthorsConfig | null> {
  const file = path.join(path.dirname(path.resolve(checkpointFile)), 'all_config.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return authorsConfigFrom(parseYamlSubset(text, file), file);
}
