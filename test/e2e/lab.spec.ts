// The journey of a new user, in order: draw and save a task, generate a tiny family, queue a
// TRM+DIS pair on it, watch it train, look at the filmstrips, compare the two runs, probe the
// model in the playground, adapt it to a task it never saw and ask why it answered as it did.
// One page for the whole journey (the steps build on each other).
import { expect, test, type Page } from '@playwright/test';
import { TOKEN, cell, journeyPage, nav, shot } from './helpers';

let page: Page;
journeyPage({ viewport: { width: 1280, height: 720 } }, (p) => {
  page = p;
});


test('opens the lab with the backend and queue in the status bar', async () => {
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const status = page.getByRole('contentinfo', { name: 'Status' });
  await expect(status).toContainText('connected');
  await expect(status.getByTestId('backend')).toContainText(/Backend: (tensorflow|wasm|cpu)/, { timeout: 60_000 });
  await expect(status.getByTestId('queue-summary')).toContainText('0 in queue');
  await shot(page, '01-open');
});

test('draws a 5×5 task with the pencil and fill, undoes, and saves it', async () => {
  await nav(page, 'Editor');
  await expect(page.getByRole('heading', { name: 'New task' })).toBeVisible();
  await page.getByLabel('Task id').fill('e2e-drawn');
  for (const side of ['input', 'output'] as const) {
    if (side === 'output') await cell(page, 'Train 1 output', 0, 0).click();
    await page.getByLabel('Rows').fill('5');
    await page.getByLabel('Cols').fill('5');
    await page.getByRole('button', { name: 'Resize' }).click();
    await expect(page.locator(`section[aria-label="Train 1 ${side}"] svg`)).toHaveAttribute('aria-label', `Train 1 ${side}, 5×5`);
  }
  // input: a blue diagonal line drawn by dragging, then fill the background green
  await cell(page, 'Train 1 input', 0, 0).click();
  const editor = page.getByRole('application', { name: 'Grid editor' });
  await editor.press('1');
  const from = await cell(page, 'Train 1 input', 0, 0).boundingBox();
  const to = await cell(page, 'Train 1 input', 0, 4).boundingBox();
  if (!from || !to) throw new Error('grid cells are not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  for (let c = 0; c < 5; c++) await expect(cell(page, 'Train 1 input', 0, c)).toHaveAttribute('data-v', '1');
  await editor.press('f');
  await editor.press('3');
  await cell(page, 'Train 1 input', 3, 3).click();
  await expect(cell(page, 'Train 1 input', 4, 4)).toHaveAttribute('data-v', '3');
  await expect(cell(page, 'Train 1 input', 0, 2)).toHaveAttribute('data-v', '1');
  await editor.press('Control+z');
  await expect(cell(page, 'Train 1 input', 4, 4)).toHaveAttribute('data-v', '0');
  await editor.press('Control+Shift+z');
  await expect(cell(page, 'Train 1 input', 4, 4)).toHaveAttribute('data-v', '3');
  // output: copy the input and recolour the line red with one fill
  await cell(page, 'Train 1 output', 0, 0).click();
  await editor.press('i');
  await editor.press('2');
  await cell(page, 'Train 1 output', 0, 0).click();
  await expect(cell(page, 'Train 1 output', 0, 4)).toHaveAttribute('data-v', '2');
  await expect(cell(page, 'Train 1 output', 4, 4)).toHaveAttribute('data-v', '3');
  await shot(page, '02-editor-drawn');
  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved e2e-drawn' })).toBeVisible();
  await expect(page).toHaveURL(/#\/editor\/.+/);
  await nav(page, 'Library');
  await page.getByLabel('Search id').fill('e2e-drawn');
  await expect(page.getByRole('link', { name: 'e2e-drawn' })).toBeVisible();
  await shot(page, '03-library-saved');
});

test('generates a tiny built-in family, previews it and adds it to the library', async () => {
  await nav(page, 'Library');
  await page.getByLabel('Search id').fill('');
  const gen = page.getByRole('region', { name: 'Generate tasks' });
  await gen.getByLabel('Tasks').fill('4');
  await gen.getByLabel('Min side').fill('3');
  await gen.getByLabel('Max side').fill('4');
  await gen.getByRole('button', { name: 'Preview' }).click();
  await expect(gen.getByRole('group', { name: /^Task / }).first()).toBeVisible();
  await gen.getByRole('button', { name: 'Add to library' }).click();
  await expect(page).toHaveURL(/#\/library\/.+/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('4 tasks');
  await shot(page, '04-generated');
});

test('queues a tiny TRM+DIS pair on the generated tasks after previewing the DIS targets', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: '+ New run' }).click();
  await expect(page.getByRole('heading', { name: 'New run' })).toBeVisible();
  await page.getByLabel('Name').fill('e2e');
  await page.getByRole('radio', { name: 'Library dataset' }).check();
  const dataset = page.getByRole('combobox', { name: /^Dataset/ });
  const generated = dataset.locator('option').filter({ hasText: /×4/ });
  await dataset.selectOption((await generated.getAttribute('value')) ?? '');
  await page.getByLabel('Canvas').fill('6');
  await page.getByLabel('Augmented versions per task').fill('1');
  await page.getByLabel('Optimizer steps').fill('60');
  await page.getByLabel('Batch').fill('16');
  await page.getByLabel('Warm-up steps').fill('10');
  await page.getByLabel('Eval every').fill('30');
  await page.getByLabel('Eval augmentations').fill('1');
  await page.getByLabel('Snapshot every').fill('20');
  await page.getByLabel('TRM N_sup (supervision steps)').fill('6');
  await page.getByRole('button', { name: 'Preview targets' }).click();
  const schedule = page.getByRole('group', { name: 'Target schedule' });
  await expect(schedule.getByRole('img', { name: /Target schedule: F0/ })).toBeVisible();
  await expect(schedule.getByRole('img', { name: /Target schedule: F6/ })).toBeVisible();
  await shot(page, '05-setup-targets');
  await page.getByRole('button', { name: 'Queue TRM + DIS' }).click();
  await expect(page).toHaveURL(/#\/runs$/);
  await expect(page.getByTestId('queue-row')).toHaveCount(2);
});

test('shows progress in the queue until both runs finish', async () => {
  const rows = page.getByTestId('queue-row');
  await expect(rows.first().getByRole('progressbar')).toBeVisible();
  await expect(page.getByRole('contentinfo', { name: 'Status' }).getByTestId('queue-summary')).toContainText(/Running .*: \d+\/60/, { timeout: 120_000 });
  await shot(page, '06-queue-running');
  const table = page.getByRole('region', { name: 'All runs' });
  await expect(table.getByRole('cell', { name: 'completed' })).toHaveCount(2, { timeout: 240_000 });
  await expect(rows).toHaveCount(0);
  await expect(table.getByRole('cell', { name: '60/60' })).toHaveCount(2);
  await shot(page, '07-queue-done');
});

test('the run view shows curves, the filmstrip with target frames and a scrubber over snapshots', async () => {
  await page.getByRole('region', { name: 'All runs' }).getByRole('link', { name: /^DIS/ }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  const film = page.getByRole('group', { name: 'Probe filmstrip' });
  await expect(film.getByRole('img', { name: /prediction at step 1,/ })).toBeVisible();
  await expect(film.getByRole('img', { name: /target frame of step 6,/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /Per-step metrics/ })).toBeVisible();
  const scrub = page.getByRole('slider', { name: /Training step/ });
  const last = await page.getByTestId('snapshot-step').textContent();
  await scrub.focus();
  await scrub.press('Home');
  await expect(page.getByTestId('snapshot-step')).not.toHaveText(last ?? '');
  await expect(film.getByRole('img', { name: /prediction at step 1,/ })).toBeVisible();
  await shot(page, '08-run-view');
});

test('compare opens the pair and one slider drives both filmstrips', async () => {
  await nav(page, 'Compare');
  await expect(page).toHaveURL(/#\/compare\/.+\/.+/);
  const slider = page.getByTestId('linked-step');
  await expect(slider).toBeVisible();
  await expect(page.getByRole('group', { name: 'A filmstrip' }).locator('.frame.active')).toHaveAttribute('data-step', '1');
  await slider.focus();
  await slider.press('End');
  // TRM and DIS both ran 6 supervision steps here, so both filmstrips follow to step 6
  await expect(page.getByRole('group', { name: 'A filmstrip' }).locator('.frame.active')).toHaveAttribute('data-step', '6');
  await expect(page.getByRole('group', { name: 'B filmstrip' }).locator('.frame.active')).toHaveAttribute('data-step', '6');
  // the linked cursor: hovering a cell of A highlights the same cell in B
  await page.getByRole('img', { name: /^A prediction at step 6/ }).locator('rect.cell').first().hover();
  await expect(page.getByRole('img', { name: /^B prediction at step 6/ }).locator('rect.cursor')).toHaveCount(1);
  await expect(page.getByText(/^cell \(\d+,\d+\)/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Config differences' })).toContainText('method');
  // one colour per run: the legend shows each run; a click hides it from every chart and back
  const legend = page.getByTestId('legend-run');
  await expect(legend).toHaveCount(2);
  await legend.first().click();
  await expect(legend.first()).toHaveAttribute('aria-pressed', 'false');
  await legend.first().click();
  await expect(legend.first()).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('film-header')).toHaveCount(2);
  await shot(page, '09-compare');
  // exports: the view as PNG (drawn by the lab itself) and the metrics of both runs as CSV
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export metrics CSV' }).click()]);
  const csvText = await (await csv.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8'));
  expect(csvText.split('\n')[0]).toBe('run,metric,step,trajectories,forward_equivalents,wall_sec,value');
  expect(csvText).toContain('TRM · e2e');
  expect(csvText).toContain('DIS · e2e');
});

test('a hand-made submission.json imports as an external solver and shows beside run A', async () => {
  // the compare view is still open on the pair; the solved-by table lists run A's evaluated puzzles
  const solved = page.getByRole('region', { name: 'Solved puzzles' });
  const ids = await solved.locator('tbody tr td:first-child').allTextContents();
  expect(ids.length).toBeGreaterThan(0);
  const tests = new Map<string, number>();
  for (const id of ids) tests.set(id, (tests.get(id) ?? 0) + 1);
  // one entry per test input of every task but the last, which the file leaves out
  const [missing] = [...tests.keys()].slice(-1);
  const submission = Object.fromEntries([...tests].filter(([id]) => id !== missing).map(([id, n]) => [id, Array.from({ length: n }, () => ({ attempt_1: [[0]], attempt_2: [[0]] }))]));
  await page.getByLabel(/Import submission\.json/).setInputFiles({ name: 'hand-made.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(submission)) });
  await expect(page).toHaveURL(/#\/compare\/.+\/ext-/);
  await expect(page.getByRole('combobox', { name: /^B/ })).toHaveValue(/^ext-/);
  await expect(solved.getByTestId('external-note')).toContainText('B (hand-made) is an external solver from a submission.json: attempts only');
  await expect(solved.locator('tbody tr')).toHaveCount(ids.length);
  await expect(solved.locator('tbody tr').first().locator('td').nth(3)).toHaveText(/✓|✗/);
  const score = page.getByRole('region', { name: 'Score of hand-made' });
  await expect(score.getByTestId('official-score')).toContainText('Official score against run');
  await expect(score).toContainText(`Missing: 1 of ${tests.size} tasks have no entry and count 0: ${missing}`);
  await expect(page.getByText(/has no curves and no filmstrips/).first()).toBeVisible();
  // the per-task grids: the solver's two attempts beside run A's voted answers
  await solved.getByRole('button', { name: `Show the grids of ${ids[0]} test 1` }).click();
  const grids = page.getByRole('group', { name: `Grids of ${ids[0]} test 1` });
  await expect(grids.getByRole('img', { name: /^B attempt_1/ })).toBeVisible();
  await expect(grids.getByRole('img', { name: /^expected output/ })).toBeVisible();
  await shot(page, '09b-compare-external-solver');
});

test('the playground runs an edited test input and shows the prediction at every step', async () => {
  await nav(page, 'Playground');
  await expect(page.getByRole('combobox', { name: /^Run/ })).not.toHaveValue('');
  // opened from the run, the playground offers exactly the run's own tasks, the first one preselected
  const taskSelect = page.getByRole('combobox', { name: 'Task of the run' });
  await expect(taskSelect).not.toHaveValue('');
  const generated = taskSelect.locator('option:not([disabled])').nth(1);
  await taskSelect.selectOption((await generated.getAttribute('value')) ?? '');
  const testInput = page.locator('section[aria-label="Test 1 input"]');
  await expect(testInput.locator('rect.cell').first()).toBeVisible();
  await page.getByRole('radio', { name: 'Colour 9 maroon' }).click();
  await testInput.locator('rect.cell[data-r="0"][data-c="0"]').click();
  await expect(testInput.locator('rect.cell[data-r="0"][data-c="0"]')).toHaveAttribute('data-v', '9');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const preds = page.getByRole('region', { name: 'Predictions' });
  await expect(preds.getByTestId('embedding')).toContainText('trained-edited');
  // the edited input is no longer scored against its old output
  await expect(page.getByTestId('no-known-answer')).toContainText('no known answer');
  const steps = preds.getByRole('img', { name: /predictions: prediction at step \d+,/ });
  await expect(steps.first()).toBeVisible();
  expect(await steps.count()).toBeGreaterThan(1);
  await shot(page, '10-playground-w1');
  const w = page.getByTestId('guidance');
  await w.focus();
  await w.press('Home');
  await expect(preds).toContainText('0.00');
  await expect(steps.first()).toBeVisible();
  await shot(page, '11-playground-w0');
});

// A task the run never trained on: drawn here, it has no learned puzzle embedding until the run is
// adapted to it. Blue cells turn red, on 3×3 grids that fit the run's 6×6 canvas.
const UNSEEN: Array<{ pair: string; blue: Array<[number, number]> }> = [
  { pair: 'Train 1', blue: [[0, 0], [1, 1], [2, 2]] },
  { pair: 'Train 2', blue: [[0, 2], [1, 0]] },
  { pair: 'Train 3', blue: [[2, 1], [0, 1], [1, 2]] },
  { pair: 'Test 1', blue: [[1, 2], [2, 0]] },
];

test('draws a task the run never saw, adapts the run to it, and shows why it answered as it did', async () => {
  await nav(page, 'Editor');
  await expect(page.getByRole('heading', { name: 'New task' })).toBeVisible();
  await page.getByLabel('Task id').fill('e2e-unseen');
  const editor = page.getByRole('application', { name: 'Grid editor' });
  const pairs = page.getByRole('navigation', { name: 'Pairs' });
  for (const { pair, blue } of UNSEEN) {
    if (pair === 'Train 2' || pair === 'Train 3') await pairs.getByRole('button', { name: '+ Train pair' }).click();
    if (pair === 'Test 1') await pairs.getByRole('button', { name: /^Test 1/ }).click();
    await expect(page.locator(`section[aria-label="${pair} input"]`)).toBeVisible();
    await page.getByRole('radio', { name: 'Colour 1 blue' }).click();
    for (const [r, c] of blue) await cell(page, `${pair} input`, r, c).click();
    await cell(page, `${pair} output`, 0, 0).click(); // edit the output side
    await editor.press('i');
    await page.getByRole('radio', { name: 'Colour 2 red' }).click();
    for (const [r, c] of blue) await cell(page, `${pair} output`, r, c).click();
    for (const [r, c] of blue) {
      await expect(cell(page, `${pair} input`, r, c)).toHaveAttribute('data-v', '1');
      await expect(cell(page, `${pair} output`, r, c)).toHaveAttribute('data-v', '2');
    }
  }
  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved e2e-unseen' })).toBeVisible();

  await nav(page, 'Playground');
  const runSelect = page.getByRole('combobox', { name: /^Run/ });
  const trm = runSelect.locator('option').filter({ hasText: /^TRM · e2e/ });
  await runSelect.selectOption((await trm.getAttribute('value')) ?? '');
  const taskSelect = page.getByRole('combobox', { name: 'Library task' });
  const unseen = taskSelect.locator('option').filter({ hasText: 'e2e-unseen' });
  await taskSelect.selectOption((await unseen.getAttribute('value')) ?? '');
  const knows = page.getByRole('region', { name: 'What the model knows about this task' });
  await expect(knows.getByTestId('classification')).toHaveAttribute('data-embedding', 'unseen');
  await expect(knows).toContainText('Never seen: adapt first');
  await expect(knows).toContainText('The model only knows a task through the puzzle embedding');
  await expect(page.getByRole('button', { name: 'Run with a blank embedding' })).toBeVisible();
  await shot(page, '12-playground-unseen');

  const form = knows.getByRole('form', { name: /^Adapt TRM · e2e/ });
  await form.getByLabel('Steps').fill('24');
  await expect(form.getByLabel('Augmented versions voting')).toHaveValue('1');
  await form.getByRole('button', { name: 'Adapt', exact: true }).click();
  const outcome = page.getByRole('region', { name: 'Adaptation result' });
  await expect(outcome.getByTestId('adapt-verdict')).toContainText(/Solved|Not solved|Partly solved/, { timeout: 120_000 });
  await expect(outcome).toContainText('Trained 24 embedding steps');
  await expect(outcome.getByRole('img', { name: /^Adaptation loss (fell|rose|did not settle|stayed flat).* over 24 steps|^Adaptation loss did not settle/ })).toBeVisible();
  await expect(outcome.getByTestId('adapt-answer').first()).toContainText(/attempt 1: \d of 2 votes [✓✗]/);
  await expect(knows.getByTestId('classification')).toHaveAttribute('data-embedding', 'adapted');
  await expect(knows).toContainText('Adapted: using the saved adaptation');
  await expect(knows.getByTestId('adaptation-info')).toContainText('24 embedding steps');
  await shot(page, '13-playground-adapted');

  await outcome.getByRole('button', { name: 'Why this answer? (test 1)' }).click();
  const why = page.getByRole('region', { name: 'Why this answer' });
  await expect(why.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(why.getByTestId('tally')).toContainText('2 versions (TRM)');
  const candidates = why.getByTestId('candidate');
  await expect(candidates.first()).toHaveAttribute('data-rank', '1');
  await expect(why.getByTestId('pass1')).toHaveText(/pass@1 [✓✗]/);
  const counts = await candidates.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  const noGrid = await why.getByRole('group', { name: 'Versions with no decodable grid' }).getByRole('img', { name: /^version / }).count();
  expect(counts.reduce((s, n) => s + n, 0) + noGrid).toBe(2);
  await shot(page, '14-vote-view');

  // re-opening the task needs no second adaptation: inference uses the saved one
  const other = taskSelect.locator('option').filter({ hasText: 'e2e-drawn' });
  await taskSelect.selectOption((await other.getAttribute('value')) ?? '');
  await expect(knows.getByTestId('classification')).toHaveAttribute('data-embedding', 'unseen');
  await taskSelect.selectOption((await unseen.getAttribute('value')) ?? '');
  await expect(knows.getByTestId('classification')).toHaveAttribute('data-embedding', 'adapted');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const preds = page.getByRole('region', { name: 'Predictions' });
  await expect(preds.getByTestId('embedding')).toContainText('Adapted: using the saved adaptation', { timeout: 60_000 });
  await preds.getByRole('button', { name: /^Why this answer\?/ }).click();
  await expect(page.getByRole('region', { name: 'Why this answer' }).getByTestId('tally')).toContainText('2 versions (TRM)');
});

test('the run view explains the votes of an evaluated puzzle', async () => {
  await nav(page, 'Runs');
  await page.getByRole('region', { name: 'All runs' }).getByRole('link', { name: /^TRM/ }).click();
  const votes = page.getByRole('region', { name: 'Votes of an evaluated puzzle' });
  await expect(votes.getByLabel('Augmented versions')).toHaveValue('1');
  await votes.getByRole('button', { name: 'Explain the votes' }).click();
  await expect(votes.getByTestId('candidate').first()).toBeVisible({ timeout: 60_000 });
  await expect(votes.getByTestId('tally')).toContainText('2 versions (TRM)');
  await expect(votes.getByTestId('pass1')).toHaveText(/pass@1 [✓✗]/);
  await votes.scrollIntoViewIfNeeded();
  await shot(page, '15-run-vote-view');
});
