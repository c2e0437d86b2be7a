// UI tests: Debian's Chromium against headless serve mode (the built renderer + the real API over
// WebSocket) on a fresh data directory each run. `npm test` builds the renderer first.
import { defineConfig } from '@playwright/test';

const PORT = 4174;
const E2E_TOKEN = 'e2e-token';

export default defineConfig({
  testDir: 'test/e2e',
  // training on a 2-core CPU is slow: the whole user journey gets minutes, not seconds
  timeout: 300_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/?token=${E2E_TOKEN}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    actionTimeout: 20_000,
    launchOptions: {
      // Debian's chromium (apt-get install chromium); `npx playwright install` cannot download here.
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx tsx src-main/serve/index.ts --port ${PORT} --data-dir "$(mktemp -d -t puzzle-lab-e2e-XXXXXX)" --token ${E2E_TOKEN} --no-open`,
    url: `http://127.0.0.1:${PORT}/?token=${E2E_TOKEN}`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
