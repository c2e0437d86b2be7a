// docs/deviations.md is the one place where the lab's deliberate differences from the authors' code
// are stated; this keeps the ones the lab cannot drop in it, each with the reference file it concerns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/deviations.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Topic') && !l.startsWith('|---'));

describe('docs/deviations.md', () => {
  it('is one table that states fp32, the sampler stream, DIS batches, evaluation versions, votes and EMA, each citing a reference file', () => {
    const topics = rows.map((r) => r.split('|')[1]!.trim());
    for (const t of ['Number format', 'Random streams', 'Sampler stream', 'DIS batches', 'Evaluation versions', 'Votes across evaluations', 'EMA decay']) {
      expect(topics).toContain(t);
    }
    for (const r of rows) {
      expect(r.split('|').length, r).toBe(6); // 4 columns
      expect(r, `row "${r.slice(0, 40)}" cites a file`).toMatch(/`[^`]+\.(py|yaml|ts)`/);
    }
    expect(doc.match(/^\| Topic/gm)).toHaveLength(1);
  });
});
