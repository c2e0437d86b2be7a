import { describe, expect, it } from 'vitest';
import { relevantConfig } from '../../../src-shared/method/config-relevance';
import { defaultRunConfig } from '../../../src-shared/method/run-config';

describe('the config sections a method uses', () => {
  it('leaves DIS settings out of a TRM config and halting out of a DIS config', () => {
    const trm = relevantConfig(defaultRunConfig('trm', 'tiny'));
    expect(trm).not.toHaveProperty('dis');
    expect(trm).toHaveProperty('halting');
    const dis = relevantConfig(defaultRunConfig('dis', 'tiny'));
    expect(dis).not.toHaveProperty('halting');
    expect(dis).toHaveProperty('dis');
    expect(dis).toHaveProperty('model');
  });
});
