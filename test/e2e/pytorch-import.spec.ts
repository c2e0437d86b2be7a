// Importing the authors' PyTorch checkpoint from the browser (serve mode): the file is uploaded in
// chunks over the WebSocket, the run opens in the run view with its provenance, and the playground
// runs it on a library task (a blank puzzle embedding: the checkpoint never saw lab tasks).
// Runs after the lab journey (file order) and brings its own tasks, so it also runs alone.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TOKEN, journeyPage, nav, shot } from './helpers';

let page: Page;
const FIX = path.resolve('test/fixtures/torch/dis');
journeyPage({ viewport: { width: 1280, height: 720 } }, (p) => {
  page = p;
});


test('imports a DIS step_N with its all_config.yaml and opens it in the run view and the playground', async () => {
  await page.goto(`/?token=${TOKEN}`);
  await nav(page, 'Library');
  const gen = page.getByRole('region', { name: 'Generate tasks' });
  await gen.getByLabel('Tasks').fill('2');
  await gen.getByLabel('Min side').fill('3');
  await gen.getByLabel('Max side').fill('4');
  await gen.getByRole('button', { name: 'Preview' }).click();
  await gen.getByRole('button', { name: 'Add to library' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2 tasks');

  await nav(page, 'Runs');
  await page.getByRole('button', { name: 'Import PyTorch checkpoint…' }).click();
  const panel = page.getByRole('region', { name: 'Import a PyTorch checkpoint' });
  await panel.getByLabel('Checkpoint…').setInputFiles(path.join(FIX, 'step_5'));
  await expect(panel).toContainText('hidden 32');
  await expect(panel).toContainText('Confirm heads, T, n first');
  await panel.getByLabel('all_config.yaml…').setInputFiles(path.join(FIX, 'all_config.yaml'));
  await expect(panel).toContainText('recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV5');
  await panel.getByLabel('ARC canvas').fill('6');
  await expect(panel).toContainText('blank puzzle embedding');
  await shot(page, '20-import-checkpoint');
  await panel.getByRole('button', { name: 'Import as a run' }).click();
  await expect(page).toHaveURL(/#\/runs\/run-/);
  await expect(page.getByLabel('Provenance')).toContainText('Imported from PyTorch: step_5 (step 5, torch-zip');

  await nav(page, 'Playground');
  await page.getByRole('combobox', { name: /^Run/ }).selectOption({ label: 'DIS step_5 (PyTorch) (completed, step 5)' });
  const taskSelect = page.getByRole('combobox', { name: /^Task/ });
  const first = taskSelect.locator('option:not([disabled])').first();
  await taskSelect.selectOption((await first.getAttribute('value')) ?? '');
  await page.getByRole('button', { name: /^Run( with a blank embedding)?$/ }).click();
  const preds = page.getByRole('region', { name: 'Predictions' });
  await expect(preds.getByRole('img', { name: /predictions: prediction at step \d+,/ }).first()).toBeVisible();
  await shot(page, '21-imported-playground');
});
