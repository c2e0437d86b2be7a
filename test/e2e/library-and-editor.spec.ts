// Issue 13 in Chromium: the editor shows the whole task and fits a 30×30 grid at 1440×900, the
// first click on any grid paints; the library names an import after the file that loaded, shows
// its metadata as fields, renames and deletes with Undo; the theme follows the system setting and
// remembers a manual choice.
import { expect, test, type Page } from '@playwright/test';
import { TOKEN, cell, journeyPage, nav, shot } from './helpers';

let page: Page;
journeyPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' }, async (p) => {
  page = p;
  await page.goto(`/?token=${TOKEN}`);
});

test('the editor shows every pair, paints on the first click and fits a 30×30 grid at 1440×900', async () => {
  await nav(page, 'Editor');
  await expect(page.getByRole('group', { name: 'Demonstrations' }).locator('section[aria-label="Train 1 input"]')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Tests' }).locator('section[aria-label="Test 1 output"]')).toBeVisible();
  // the first click on the other grid paints (colour 1 is chosen)
  await cell(page, 'Test 1 output', 1, 1).click();
  await expect(cell(page, 'Test 1 output', 1, 1)).toHaveAttribute('data-v', '1');
  await cell(page, 'Train 1 input', 2, 2).click();
  await expect(cell(page, 'Train 1 input', 2, 2)).toHaveAttribute('data-v', '1');
  // Rows/Cols: an inline error, then Enter applies
  const rows = page.getByLabel('Rows');
  await rows.fill('31');
  await expect(page.getByText('Rows: 31 is outside 1–30')).toBeVisible();
  await rows.fill('30');
  await page.getByLabel('Cols').fill('30');
  await page.getByLabel('Cols').press('Enter');
  const big = page.locator('section[aria-label="Train 1 input"] svg');
  await expect(big).toHaveAttribute('aria-label', 'Train 1 input, 30×30');
  await page.getByRole('button', { name: 'Fit' }).click();
  const box = await big.boundingBox();
  if (!box) throw new Error('the grid is not on screen');
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1440);
  expect(box.y + box.height).toBeLessThanOrEqual(900);
  await shot(page, '14-editor-whole-task');
});

test('an import is named after the file that loaded; the dataset renames, and deletes with Undo', async () => {
  await nav(page, 'Library');
  const good = { train: [{ input: [[1, 0]], output: [[0, 1]] }], test: [{ input: [[2, 0]], output: [[0, 2]] }] };
  await page.getByLabel('Import ARC JSON…').first().setInputFiles([
    { name: 'aaa-broken.json', mimeType: 'application/json', buffer: Buffer.from('{not json') },
    { name: 'e2e-good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) },
  ]);
  await expect(page).toHaveURL(/#\/library\/.+/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('e2e-good');
  const details = page.getByLabel('Dataset details');
  await expect(details).toContainText('imported');
  await expect(details).not.toContainText('{');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Dataset name', { exact: true }).fill('E2E renamed');
  await page.getByLabel('Dataset name', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('E2E renamed');
  await page.getByRole('button', { name: 'Delete' }).click();
  const toast = page.getByRole('status').filter({ hasText: 'Deleted "E2E renamed"' });
  await expect(toast).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Datasets' })).not.toContainText('E2E renamed');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('E2E renamed');
  await expect(page.getByRole('complementary', { name: 'Datasets' })).toContainText('E2E renamed');
});

test('the theme follows the system setting and remembers a manual choice', async () => {
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(255, 255, 255)');
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme').selectOption('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
