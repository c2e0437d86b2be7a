// Shared by the UI tests: screenshots go to test-results/screenshots/<name>.png.
import type { Page } from '@playwright/test';

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
