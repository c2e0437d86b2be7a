// Shared by the UI tests: screenshots go to test-results/screenshots/<name>.png.
import { expect, test, type Browser, type Page } from '@playwright/test';

export const TOKEN = 'e2e-token';

export async function shot(page: Page, name: string): Promise<void> {
  // the nav and status bar are sticky; unstick them so a full-page shot does not draw them mid-page
  await page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
    style: 'nav[aria-label="Main"], footer[aria-label="Status"] { position: static !important; height: auto !important; }',
  });
}

/** A cell of an editor grid, e.g. cell(page, 'Train 1 input', 0, 0). */
export function cell(page: Page, grid: string, r: number, c: number) {
  return page.locator(`section[aria-label="${grid}"] rect.cell[data-r="${r}"][data-c="${c}"]`);
}

/**
 * One page for a serial journey (its tests build on each other): opened before the first test and
 * handed to `ready`, closed after the last; an uncaught exception in the UI fails the test it
 * happened in.
 */
export function journeyPage(options: Parameters<Browser['newPage']>[0], ready: (page: Page) => Promise<void> | void): void {
  test.describe.configure({ mode: 'serial' });
  const errors: string[] = [];
  let page: Page | undefined;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage(options);
    page.on('pageerror', (e) => errors.push(e.message));
    await ready(page);
  });
  test.afterAll(async () => {
    await page?.close();
  });
  test.afterEach(() => {
    expect(errors).toEqual([]);
  });
}

/** Follows a link of the main navigation. */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}
