// The training methods the lab knows, in one list that every view, schema and command iterates
// (run setup, compare, studies, the CLI's --method). A fourth method adds one entry here, one method
// file in the engine and its model pieces.
export const METHODS = ['trm', 'dis', 'hrm'] as const;
export type Method = (typeof METHODS)[number];

export interface MethodInfo {
  /** short label, as in tables and legends */
  label: string;
  /** one line on what it is */
  title: string;
  /** the Q head's halting output is trained and shown (TRM, HRM); DIS always runs N_sup steps */
  qHalt: boolean;
  /** the Q head's "continue" output is trained with a bootstrapped target (HRM) */
  qContinue: boolean;
}

export const METHOD_INFO: Record<Method, MethodInfo> = {
  trm: { label: 'TRM', title: 'Tiny Recursive Model (one shared network, Q-halting)', qHalt: true, qContinue: false },
  dis: { label: 'DIS', title: 'Deep Improvement Supervision (step-conditioned targets, no halting)', qHalt: false, qContinue: false },
  hrm: { label: 'HRM', title: 'Hierarchical Reasoning Model (low- and high-level networks, Q-halting with the continue target)', qHalt: true, qContinue: true },
};

export function isMethod(x: unknown): x is Method {
  return typeof x === 'string' && (METHODS as readonly string[]).includes(x);
}

export function methodLabel(m: Method): string {
  return METHOD_INFO[m].label;
}
