// all_config.yaml as pretrain.py writes it (yaml.dump of the pydantic config).
import { describe, expect, it } from 'vitest';
import { authorsConfigFrom, parseYamlSubset } from '../../../../src-main/pipeline/torch/all-config';

const TEXT = `arch:
  H_cycles: 3
  L_cycles: 4
  L_layers: 2
  expansion: 4
  halt_exploration_prob: 0.1
  halt_max_steps: 16
  hidden_size: 512
  loss:
    loss_type: stablemax_cross_entropy
    name: losses@ACTLossHead
  mlp_t: false
  name: recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1
  num_heads: 8
  pos_encodings: rope
  puzzle_emb_len: 16
  puzzle_emb_ndim: 512
checkpoint_path: checkpoints/Arc1concept-aug-1000-ACT-torch/pretrain_att_arc1concept_4
data_paths:
- data/arc1concept-aug-1000
data_paths_test: []
ema: true
evaluators:
- name: arc@ARC
  submission_K: 2
global_batch_size: 768
load_checkpoint: null
lr: 0.0001
run_name: 'quoted: name'
`;

describe('reading all_config.yaml', () => {
  it('reads the arch section and the training fields the import records', () => {
    const y = parseYamlSubset(TEXT, 'all_config.yaml');
    expect(y).toMatchObject({ data_paths: ['data/arc1concept-aug-1000'], data_paths_test: [], evaluators: [{ name: 'arc@ARC', submission_K: 2 }], load_checkpoint: null, run_name: 'quoted: name' });
    expect(authorsConfigFrom(y, 'all_config.yaml')).toMatchObject({
      archName: 'recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1',
      lossName: 'losses@ACTLossHead',
      H_cycles: 3,
      L_cycles: 4,
      num_heads: 8,
      hidden_size: 512,
      halt_max_steps: 16,
      mlp_t: false,
      pos_encodings: 'rope',
      lr: 0.0001,
      ema: true,
      global_batch_size: 768,
    });
  });

  it('names the file and line of what it cannot read, and a file without arch', () => {
    expect(() => parseYamlSubset('arch:\n  a: 1\n    b: 2\n', '/x/all_config.yaml')).toThrow(/\/x\/all_config\.yaml, line 3/);
    expect(() => authorsConfigFrom(parseYamlSubset('lr: 1\n', 'c.yaml'), 'c.yaml')).toThrow(/c\.yaml: has no "arch" section/);
  });
});
