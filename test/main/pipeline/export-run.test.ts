// Exporting a lab run for the authors' torchrun pipeline: the configuration maps onto their keys,
// options without an equivalent are listed, and the generated scripts really launch: a stand-in
// `torchrun` records its arguments (TRM), or runs the DIS launcher against a stand-in of
// train_arc_tiny_corrupt.py that has the real script's config dataclasses (no PyTorch needed).
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSeeds } from '../../../src-main/engine/trainer';
import { exportRun, runDataSeed } from '../../../src-main/pipeline/export-run';
import { mapRunConfig, renderOverride, stepsToEpochs } from '../../../src-main/pipeline/export-run/overrides';
import { readAuthorsDataset } from '../../../src-main/pipeline/authors-dataset/read';
import { buildDatasets } from '../../../src-main/engine/data/training-set';
import type { Method } from '../../../src-shared/method/methods';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { generateTasks } from '../../../src-shared/generators';
import { getEncoding } from '../../../src-shared/puzzle/tokens';
import { numpyUnavailable, tempDir } from './authors-dataset/helpers';

function tinyConfig(method: Method): RunConfig {
  const c = defaultRunConfig(method, 'tiny');
  c.data.augmentations = 4;
  c.budget.optimizerSteps = 500;
  c.eval.interval = 100;
  c.batchSize = 16;
  return c;
}
const tasks = () => generateTasks('recolour', { count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 0 });

const STATS = { totalGroups: 3, meanPuzzleExamples: 3 };
const PATHS = { dataPath: '${HERE}/data/d', runName: 'trm-x', checkpointPath: '${HERE}/checkpoints/trm-x' };

describe('export-run', () => {
  it('maps T, n, N_sup, sizes, optimizer, EMA and batch onto the keys of pretrain.py', () => {
    const c = tinyConfig('trm');
    const m = mapRunConfig(c, STATS, PATHS, 'arc');
    const args = m.overrides.map((o) => renderOverride(o, 'trm'));
    for (const want of [
      'arch=trm',
      "data_paths=['${HERE}/data/d']",
      'arch.H_cycles=3',
      'arch.L_cycles=4',
      'arch.halt_max_steps=16',
      'arch.hidden_size=64',
      'arch.num_heads=4',
      'arch.L_layers=1',
      'arch.puzzle_emb_ndim=64',
      'arch.puzzle_emb_len=16',
      'lr=0.0001',
      'puzzle_emb_lr=0.01',
      'weight_decay=0.1',
      'ema=True',
      'ema_rate=0.999',
      'global_batch_size=16',
      'lr_warmup_steps=2000',
      "+checkpoint_path='${HERE}/checkpoints/trm-x'",
      '+run_name=trm-x',
      "evaluators=[{name: 'arc@ARC', aggregated_voting: False}]",
    ]) {
      expect(args).toContain(want);
    }
    // 500 steps × 16 / 9 examples per epoch → 889 epochs, 5 evaluations
    expect([m.epochs, m.evalIntervalEpochs]).toEqual([890, 178]);
    expect(args).toContain('epochs=890');
    expect(args).toContain('eval_interval=178');
  });

  it('carries the MLP-mixer and the positional encoding as arch.mlp_t and arch.pos_encodings, for TRM and DIS', () => {
    for (const method of ['trm', 'dis'] as const) {
      const c = tinyConfig(method);
      c.model.mixer = 'mlp_t';
      c.model.posEncodings = 'learned';
      const m = mapRunConfig(c, STATS, PATHS, 'arc');
      const args = m.overrides.map((o) => renderOverride(o, method));
      expect(args.some((a) => /arch\.mlp_t=True/.test(a)), args.join(' ')).toBe(true);
      expect(args.some((a) => /arch\.pos_encodings=learned/.test(a)), args.join(' ')).toBe(true);
      expect(m.unsupported.join(' ')).not.toMatch(/mlp_t|pos_encodings|mixer|posEncodings/);
    }
    const plain = mapRunConfig(tinyConfig('trm'), STATS, PATHS, 'arc').overrides.map((o) => renderOverride(o, 'trm'));
    expect(plain).toContain('arch.mlp_t=False');
    expect(plain).toContain('arch.pos_encodings=rope');
  });

  it('turns the step budget into whole epochs with eval_interval dividing them, as their loop asserts', () => {
    for (const [steps, every, batch] of [
      [100_000, 10_000, 768],
      [7, 3, 5],
      [1000, 0, 64],
      [50, 1, 4],
    ] as const) {
      const r = stepsToEpochs(steps, every, batch, { totalGroups: 960, meanPuzzleExamples: 4.1458 });
      expect(r.epochs % r.evalEpochs).toBe(0);
      expect(r.totalSteps).toBeGreaterThanOrEqual(steps);
    }
    // the official ARC-1 run: 100000 epochs at 768 ↔ 518,226 steps (docs/method-notes.md#schedule-and-ema)
    expect(stepsToEpochs(518_226, 51_823, 768, { totalGroups: 960, meanPuzzleExamples: 3_633_410 / 876_405 }).epochs).toBe(100_000);
  });

  it('lists every lab option their code cannot express instead of dropping it', () => {
    const c = tinyConfig('dis');
    c.dis.xSource = 'original';
    c.dis.targets = 'mask';
    c.dis.stepWeights = 'linear';
    c.optimizer.kind = 'adam-atan2';
    c.budget.trajectories = 1000;
    c.data.canvas = 10;
    const m = mapRunConfig(c, STATS, PATHS, 'arc');
    const text = m.unsupported.join('\n');
    for (const key of ['dis.xSource = original', 'dis.targets = mask', 'dis.stepWeights = linear', 'optimizer.kind = adam-atan2', 'budget.trajectories = 1000', 'data.canvas = 10', 'eval.clearVotes = true']) {
      expect(text).toContain(key);
    }
    const trm = tinyConfig('trm');
    trm.halting.enabled = false;
    trm.optimizer.kind = 'adamw';
    expect(mapRunConfig(trm, STATS, PATHS, 'arc').unsupported.join('\n')).toMatch(/halting\.enabled = false[\s\S]*optimizer\.kind = adamw/);
  });

  it('exports the same versions and puzzle ids the lab run trains with (same tasks, same data seed)', async () => {
    const c = tinyConfig('trm');
    expect(runDataSeed(c.seed)).toBe(runSeeds(c.seed).dataSeed);
    expect(runDataSeed(1234)).toBe(runSeeds(1234).dataSeed);
    const out = path.join(await tempDir('export-run-ids'), 'x');
    const s = await exportRun(c, tasks(), out);
    const lab = buildDatasets(tasks(), { encoding: getEncoding('arc', c.data.canvas), augmentations: 4, evalAugmentations: c.eval.augmentations, translate: c.data.translate, trainOnTestPairs: false, seed: runSeeds(c.seed).dataSeed, blankPuzzleIds: false });
    const ds = await readAuthorsDataset(s.dataset.folder);
    try {
      expect(ds.identifiers).toEqual(lab.train.versionNames);
    } finally {
      await ds.close();
    }
  });

  it('writes launch scripts naming the repository and commit that run torchrun with every override (one machine and several)', async () => {
    const c = tinyConfig('trm');
    const out = path.join(await tempDir('export-run-trm'), 'trm export');
    const s = await exportRun(c, tasks(), out, { gpus: 4, nodes: 2 });
    expect(s.repo).toEqual({ name: 'SamsungSAILMontreal/TinyRecursiveModels', url: 'https://github.com/SamsungSAILMontreal/TinyRecursiveModels', commit: 'e7b6871' });
    const one = await readFile(path.join(out, 'train_1node.sh'), 'utf8');
    expect(one).toContain('checked against commit e7b6871');
    expect(await readFile(path.join(out, 'README.md'), 'utf8')).toContain('checked against commit `e7b6871`');
    // a stand-in repository and torchrun that records its arguments
    const repo = await tempDir('fake-trm-repo');
    await writeFile(path.join(repo, 'pretrain.py'), '');
    const bin = await tempDir('fake-bin');
    const log = path.join(bin, 'args.json');
    await writeFile(path.join(bin, 'torchrun'), `#!/usr/bin/env bash\npython3 -c 'import json,sys,os; json.dump({"cwd": os.getcwd(), "args": sys.argv[2:]}, open(sys.argv[1], "w"))' ${JSON.stringify(log)} "$@"\n`);
    await chmod(path.join(bin, 'torchrun'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, AUTHORS_REPO: repo };
    const r1 = spawnSync('bash', [path.join(out, 'train_1node.sh'), 'arch.forward_dtype=float32'], { env, encoding: 'utf8' });
    expect(r1.stderr).toBe('');
    expect(r1.status).toBe(0);
    const got1 = JSON.parse(await readFile(log, 'utf8')) as { cwd: string; args: string[] };
    expect(got1.cwd).toBe(repo);
    expect(got1.args.slice(0, 6)).toEqual(['--nproc-per-node', '4', '--rdzv_backend=c10d', '--rdzv_endpoint=localhost:0', '--nnodes=1', 'pretrain.py']);
    expect(got1.args).toContain(`data_paths=['${out}/data/${path.basename(s.dataset.folder)}']`);
    expect(got1.args).toContain('arch.L_cycles=4');
    expect(got1.args[got1.args.length - 1]).toBe('arch.forward_dtype=float32');
    const r2 = spawnSync('bash', [path.join(out, 'train_multinode.sh')], { env: { ...env, MASTER_ADDR: 'node0', INIT_CHECKPOINT: '/ckpt/step_10' }, encoding: 'utf8' });
    expect(r2.stderr).toBe('');
    expect(r2.status).toBe(0);
    const got2 = JSON.parse(await readFile(log, 'utf8')) as { args: string[] };
    expect(got2.args.slice(0, 10)).toEqual(['--nnodes', '2', '--nproc-per-node', '4', '--rdzv_id', s.command.match(/\+run_name=(\S+)/)![1], '--rdzv_backend', 'c10d', '--rdzv_endpoint', 'node0:29500']);
    expect(got2.args).toContain("+load_checkpoint='/ckpt/step_10'");
    // a process count that does not divide the batch is refused before torchrun starts
    const r3 = spawnSync('bash', [path.join(out, 'train_1node.sh')], { env: { ...env, GPUS: '3' }, encoding: 'utf8' });
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain('global_batch_size 16 must be a multiple of the 3 processes');
    // no repository: a clear message
    const r4 = spawnSync('bash', [path.join(out, 'train_1node.sh')], { env: { ...env, AUTHORS_REPO: bin }, encoding: 'utf8' });
    expect(r4.status).toBe(1);
    expect(r4.stderr).toContain('has no pretrain.py; is it a clone of SamsungSAILMontreal/TinyRecursiveModels?');
  });

  it('maps an HRM run onto pretrain.py as arch=hrm with both block stacks and no TRM-only keys', () => {
    const c = tinyConfig('hrm');
    c.model.layers = 2;
    c.model.hLayers = 3;
    const m = mapRunConfig(c, STATS, PATHS, 'arc');
    const args = m.overrides.map((o) => renderOverride(o, 'hrm'));
    for (const want of ['arch=hrm', 'arch.H_layers=3', 'arch.L_layers=2', 'arch.H_cycles=2', 'arch.L_cycles=2', 'arch.halt_max_steps=16', 'arch.puzzle_emb_ndim=64', 'ema=False', '+run_name=trm-x', "evaluators=[{name: 'arc@ARC', aggregated_voting: False}]"]) {
      expect(args).toContain(want);
    }
    // HRM's config has no puzzle_emb_len (its prefix is ceil(ndim / hidden)) and the lab's HRM has no MLP-mixer
    expect(args.filter((a) => a.startsWith('arch.puzzle_emb_len') || a.startsWith('arch.mlp_t'))).toEqual([]);
    expect(m.unsupported.filter((u) => u.startsWith('model.puzzleEmbLen'))).toEqual([]);
    c.model.puzzleEmbLen = 4;
    expect(mapRunConfig(c, STATS, PATHS, 'arc').unsupported).toContain("model.puzzleEmbLen = 4: HRM's puzzle prefix is always ceil(puzzle_emb_ndim / hidden_size) = 1 position(s)");
  });

  it('writes HRM launch scripts that run pretrain.py with arch=hrm, and strip the compiled-model key prefix from the start weights under DISABLE_COMPILE', async () => {
    const c = tinyConfig('hrm');
    const out = path.join(await tempDir('export-run-hrm'), 'hrm');
    const s = await exportRun(c, tasks(), out, { gpus: 2 });
    expect(s.method).toBe('hrm');
    expect(s.repo.name).toBe('SamsungSAILMontreal/TinyRecursiveModels');
    expect(s.command).toMatch(/^torchrun --nproc-per-node 2 pretrain\.py arch=hrm /);
    const readme = await readFile(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('Method: **HRM**');
    expect(readme).toContain('`arch=hrm`');
    expect(await readFile(path.join(out, 'train_1node.sh'), 'utf8')).toContain('models/recursive_reasoning/hrm.py');
    // stand-ins: a repository, a torchrun that records its arguments, a python that records the key rewrite
    const repo = await tempDir('fake-trm-repo-hrm');
    await writeFile(path.join(repo, 'pretrain.py'), '');
    const bin = await tempDir('fake-bin-hrm');
    const log = path.join(bin, 'args.json');
    const pyLog = path.join(bin, 'python.json');
    await writeFile(path.join(bin, 'torchrun'), `#!/usr/bin/env bash\npython3 -c 'import json,sys; json.dump(sys.argv[2:], open(sys.argv[1], "w"))' ${JSON.stringify(log)} "$@"\n`);
    await writeFile(path.join(bin, 'python'), `#!/usr/bin/env bash\npython3 -c 'import json,sys; json.dump(sys.argv[2:], open(sys.argv[1], "w"))' ${JSON.stringify(pyLog)} "$@"\n`);
    await chmod(path.join(bin, 'torchrun'), 0o755);
    await chmod(path.join(bin, 'python'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, AUTHORS_REPO: repo, INIT_CHECKPOINT: '/ckpt/step_10' };
    const r1 = spawnSync('bash', [path.join(out, 'train_1node.sh')], { env, encoding: 'utf8' });
    expect(r1.stderr).toBe('');
    expect(r1.status).toBe(0);
    const args1 = JSON.parse(await readFile(log, 'utf8')) as string[];
    expect(args1[args1.indexOf('pretrain.py') + 1]).toBe('arch=hrm');
    expect(args1).toContain('arch.H_layers=1');
    expect(args1).toContain("+load_checkpoint='/ckpt/step_10'");
    const r2 = spawnSync('bash', [path.join(out, 'train_1node.sh')], { env: { ...env, DISABLE_COMPILE: '1' }, encoding: 'utf8' });
    expect(r2.stderr).toBe('');
    expect(r2.status).toBe(0);
    const py = JSON.parse(await readFile(pyLog, 'utf8')) as string[];
    expect(py[0]).toBe('-c');
    expect(py[1]).toContain('removeprefix("_orig_mod.")');
    expect(py.slice(2)).toEqual(['/ckpt/step_10', '/ckpt/step_10.uncompiled']);
    expect(JSON.parse(await readFile(log, 'utf8'))).toContain("+load_checkpoint='/ckpt/step_10.uncompiled'");
  });

  const noPython = numpyUnavailable();
  it.skipIf(noPython !== null)(`the DIS launcher sets train_arc_tiny_corrupt.py's config fields and refuses unknown ones${noPython === null ? '' : ` (skipped: ${noPython})`}`, async () => {
    const c = tinyConfig('dis');
    const out = path.join(await tempDir('export-run-dis'), 'dis');
    const s = await exportRun(c, tasks(), out, { gpus: 2 });
    expect(s.repo.commit).toBe('032f116');
    // Stand-in of the DIS script: its config dataclasses (field names and defaults as in the real
    // file) and a launch() that prints the config it builds.
    const repo = await tempDir('fake-dis-repo');
    await writeFile(
      path.join(repo, 'train_arc_tiny_corrupt.py'),
      [
        'import json',
        'from dataclasses import dataclass, field, asdict',
        'from typing import List, Optional',
        '@dataclass',
        'class LossConfig:',
        '    name: str = "losses@ACTLossHeadV4"',
        '    loss_type: str = "stablemax_cross_entropy"',
        '@dataclass',
        'class ArchConfig:',
        '    name: str = "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV5"',
        '    loss: LossConfig = field(default_factory=LossConfig)',
        '    halt_exploration_prob: float = 0.1',
        '    halt_max_steps: int = 6',
        '    N_supervision: int = 6',
        '    H_cycles: int = 1',
        '    L_cycles: int = 2',
        '    H_layers: int = 0',
        '    L_layers: int = 1',
        '    hidden_size: int = 256',
        '    num_heads: int = 8',
        '    expansion: int = 4',
        '    puzzle_emb_ndim: int = 256',
        '    pos_encodings: str = "rope"',
        '    forward_dtype: str = "bfloat16"',
        '    mlp_t: bool = False',
        '    puzzle_emb_len: int = 16',
        '    no_ACT_continue: bool = True',
        '@dataclass',
        'class EvaluatorConfig:',
        '    name: str',
        '@dataclass',
        'class PretrainConfig:',
        '    arch: ArchConfig = field(default_factory=ArchConfig)',
        "    data_paths: List[str] = field(default_factory=lambda: ['data/arc1concept-aug-1000'])",
        '    data_paths_test: List[str] = field(default_factory=list)',
        '    evaluators: List[EvaluatorConfig] = field(default_factory=lambda: [EvaluatorConfig(name="arc@ARC")])',
        '    global_batch_size: int = 512',
        '    epochs: int = 200000',
        '    lr: float = 1e-4',
        '    lr_min_ratio: float = 1.0',
        '    lr_warmup_steps: int = 2000',
        '    weight_decay: float = 0.1',
        '    beta1: float = 0.9',
        '    beta2: float = 0.95',
        '    puzzle_emb_lr: float = 1e-2',
        '    puzzle_emb_weight_decay: float = 0.1',
        '    project_name: Optional[str] = None',
        '    run_name: Optional[str] = None',
        '    load_checkpoint: Optional[str] = None',
        '    checkpoint_path: Optional[str] = None',
        '    checkpoint_every_eval: bool = True',
        '    eval_interval: Optional[int] = 5000',
        '    min_eval_interval: int = 0',
        '    eval_save_outputs: List[str] = field(default_factory=list)',
        '    seed: int = 0',
        '    ema: bool = False',
        '    ema_rate: float = 0.999',
        '    freeze_weights: bool = False',
        'def launch():',
        '    import pickle',
        '    config = PretrainConfig()',
        '    pickle.loads(pickle.dumps(config))  # torch.distributed broadcasts it this way',
        '    print(json.dumps(asdict(config)))',
        '',
      ].join('\n'),
    );
    const bin = await tempDir('fake-bin-dis');
    // torchrun stand-in: run the entry point with python, as one process would
    await writeFile(path.join(bin, 'torchrun'), '#!/usr/bin/env bash\nwhile [[ "$1" == --* ]]; do if [[ "$1" == *=* ]]; then shift; else shift 2; fi; done\nexec python3 "$@"\n');
    await chmod(path.join(bin, 'torchrun'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, AUTHORS_REPO: repo };
    const r = spawnSync('bash', [path.join(out, 'train_1node.sh')], { env, encoding: 'utf8' });
    expect(r.stderr.slice(-2000)).toBe('');
    expect(r.status).toBe(0);
    const cfg = JSON.parse(r.stdout) as { arch: Record<string, unknown>; [k: string]: unknown };
    expect(cfg.arch).toMatchObject({ H_cycles: 1, L_cycles: 2, halt_max_steps: 6, hidden_size: 64, num_heads: 4, L_layers: 1, puzzle_emb_ndim: 64 });
    expect(cfg).toMatchObject({ global_batch_size: 16, lr: 0.0001, lr_min_ratio: 1.0, ema: false, seed: 0, data_paths: [`${out}/data/${path.basename(s.dataset.folder)}`] });
    expect(cfg['checkpoint_path']).toBe(`${out}/checkpoints/${s.command.match(/run_name=(\S+)/)![1]}`);
    const bad = spawnSync('bash', [path.join(out, 'train_1node.sh'), 'arch.H_cycle=2'], { env, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("arch.H_cycle: 'H_cycle' is not a field of ArchConfig in train_arc_tiny_corrupt.py");
    const wrongType = spawnSync('bash', [path.join(out, 'train_1node.sh'), 'epochs=1.5'], { env, encoding: 'utf8' });
    expect(wrongType.stderr).toContain('epochs: expected an integer, got 1.5');
  });

  it('refuses an existing folder and leaves no partial export behind', async () => {
    const dir = await tempDir('export-run-exists');
    await mkdir(path.join(dir, 'taken'));
    await expect(exportRun(tinyConfig('trm'), tasks(), path.join(dir, 'taken'))).rejects.toThrow(/already exists/);
    const broken = [{ id: 'a', train: [{ input: [[1]], output: [[1]] }], test: [] }, { id: 'a', train: [{ input: [[1]], output: [[1]] }], test: [] }];
    await expect(exportRun(tinyConfig('trm'), broken, path.join(dir, 'new'))).rejects.toThrow(/appears twice/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
