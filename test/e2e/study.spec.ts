// The comparison-study journey (issue 13): generate puzzles → queue a TRM-vs-DIS study (k = 2
// seeds, tiny and short) → the study view compares the methods with seed bands and a verdict →
// open a puzzle of one of its runs in the playground → solve it yourself in solve mode, and see the
// attempt beside the models' in the human-vs-model table.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TOKEN, journeyPage, nav, shot } from './helpers';

let page: Page;
journeyPage({ viewport: { width: 1280, height: 800 } }, (p) => {
  page = p;
});


/** The colours of a rendered grid, row by row (cells carry data-r, data-c and data-v). */
async function gridValues(grid: Locator): Promise<number[][]> {
  const cells = await grid.locator('rect.cell').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-r')), Number(e.getAttribute('data-c')), Number(e.getAttribute('data-v'))]));
  const out: number[][] = [];
  for (const [r, c, v] of cells) (out[r!] ??= [])[c!] = v!;
  return out;
}

test('generates puzzles named by their parameters', async () => {
  await page.goto(`/?token=${TOKEN}`);
  await nav(page, 'Library');
  const gen = page.getByRole('region', { name: 'Generate tasks' });
  await gen.getByLabel('Tasks').fill('4');
  await gen.getByLabel('Min side').fill('3');
  await gen.getByLabel('Max side').fill('4');
  await gen.getByLabel('Seed').fill('5');
  await gen.getByRole('button', { name: 'Add to library' }).click();
  await expect(page).toHaveURL(/#\/library\/.+/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('sides 3–4, difficulty 1, seed 5');
});

test('queues a TRM-vs-DIS study with two seeds each as one action', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: '+ New run' }).click();
  await page.getByLabel('Name').fill('study-e2e');
  await page.getByRole('radio', { name: 'Library dataset' }).check();
  const dataset = page.getByRole('combobox', { name: /^Dataset/ });
  const generated = dataset.locator('option').filter({ hasText: /seed 5/ });
  await dataset.selectOption((await generated.getAttribute('value')) ?? '');
  await page.getByLabel('Canvas').fill('6');
  await page.getByLabel('Augmented versions per task').fill('1');
  await page.getByLabel('Optimizer steps').fill('24');
  await page.getByLabel('Batch').fill('16');
  await page.getByLabel('Warm-up steps').fill('4');
  await page.getByLabel('Eval every').fill('12');
  await page.getByLabel('Eval augmentations').fill('1');
  await page.getByLabel('Snapshot every').fill('0');
  await page.getByLabel('TRM N_sup (supervision steps)').fill('2');
  await page.getByLabel('DIS N_sup (supervision steps)').fill('2');
  await page.getByLabel('Seeds per method').fill('2');
  await page.getByRole('button', { name: 'Queue study (2 methods × 2 seeds = 4 runs)' }).click();
  await expect(page).toHaveURL(/#\/studies\/study-/);
  await expect(page.getByRole('heading', { name: 'study-e2e' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Runs of the study' }).locator('tbody tr')).toHaveCount(4);
});

test('the study view compares the methods with seed bands, a verdict and exports', async () => {
  test.setTimeout(900_000);
  const runs = page.getByRole('region', { name: 'Runs of the study' });
  await expect(runs.getByRole('cell', { name: 'completed' })).toHaveCount(4, { timeout: 840_000 });
  const verdict = page.getByTestId('study-verdict');
  await expect(verdict).toContainText('Over 2 seeds of TRM and 2 seeds of DIS', { timeout: 30_000 });
  await expect(verdict).toContainText(/the network calls of TRM/);
  await expect(verdict).toContainText(/seed spread/);
  // one band and one mean line per method (a band of equal seeds has no height, so it is attached, not visible)
  for (const m of ['trm', 'dis']) {
    await expect(page.getByTestId(`band-${m}`)).toBeAttached();
    await expect(page.getByTestId(`mean-${m}`)).toBeAttached();
    expect((await page.getByTestId(`band-${m}`).getAttribute('points'))?.split(' ')).toHaveLength(4); // 2 evaluations × (max, min)
  }
  await page.getByLabel('Cost axis').selectOption('wall');
  await expect(page.getByRole('img', { name: /pass@2 against wall-clock seconds/ })).toBeVisible();
  await shot(page, '20-study');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = await (await csv.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8'));
  expect(text.split('\n')[0]).toBe('method,seed,run_id,step,network_calls,wall_sec,pass_at_1,pass_at_2');
  expect(text.trim().split('\n')).toHaveLength(1 + 4 * 2); // two evaluations per run
  const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report (markdown)' }).click()]);
  expect(md.suggestedFilename()).toBe('study-e2e.md');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  // the study is kept: listed, and reopens
  await nav(page, 'Studies');
  await page.getByRole('link', { name: 'study-e2e' }).click();
  await expect(page.getByTestId('study-verdict')).toContainText('Over 2 seeds');
});

test('a puzzle of one of its runs opens in the playground, and the user solves it in solve mode', async () => {
  const runs = page.getByRole('region', { name: 'Runs of the study' });
  await runs.getByRole('link', { name: 'playground' }).first().click();
  await expect(page).toHaveURL(/#\/playground\/run-/);
  const taskSelect = page.getByRole('combobox', { name: 'Task of the run' });
  await expect(taskSelect).not.toHaveValue('');
  const taskId = await taskSelect.inputValue();
  await page.getByRole('button', { name: 'Solve it yourself' }).click();
  const solve = page.getByRole('region', { name: 'Solve it yourself' });
  await expect(solve.getByTestId('solve-tries')).toHaveText('3 of 3 tries left.');
  // the playground's editor (which shows the test output) is hidden while solving
  await expect(page.getByTestId('editor-hidden')).toBeVisible();
  await expect(page.locator('section[aria-label="Test 1 output"]')).toHaveCount(1); // only the answer being drawn

  // work out the recolouring from the first demonstration, as a person would
  const input = await gridValues(solve.getByRole('img', { name: /^Demonstration 1 input/ }));
  const output = await gridValues(solve.getByRole('img', { name: /^Demonstration 1 output/ }));
  const map = new Map<number, number>();
  input.forEach((row, r) => row.forEach((v, c) => v !== output[r]![c] && map.set(v, output[r]![c]!)));
  expect(map.size).toBeGreaterThan(0);

  // start from a copy of the test input and repaint the mapped cells
  await solve.getByRole('button', { name: 'Copy of the input' }).click();
  const answer = solve.locator('section[aria-label="Test 1 output"]');
  const test = await gridValues(answer);
  for (const [from, to] of map) {
    await solve.getByRole('radio', { name: new RegExp(`^Colour ${to} `) }).click();
    for (const [r, row] of test.entries()) {
      for (const [c, v] of row.entries()) if (v === from) await answer.locator(`rect.cell[data-r="${r}"][data-c="${c}"]`).click();
    }
  }
  await solve.getByRole('button', { name: 'Check answer' }).click();
  await expect(solve.getByTestId('solve-result')).toHaveText('Correct on try 1!');
  await expect(solve.getByTestId('solve-tries')).toHaveText('Solved on try 1.');
  await shot(page, '21-solve-mode');

  // the attempt is kept beside the models' (by content): the study's table shows it
  await nav(page, 'Studies');
  await page.getByRole('link', { name: 'study-e2e' }).click();
  const table = page.getByTestId('human-vs-model');
  const row = table.locator('tbody tr').filter({ has: page.getByRole('cell', { name: taskId, exact: true }) });
  await expect(row.first()).toContainText('solved (1 try)');
});
