import { defineConfig, devices } from '@playwright/test';

// One server for the whole run, on an unusual port, with a fresh data dir (see start-server.sh).
const PORT = Number(process.env.SKYWATCH_E2E_PORT ?? 4591);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './tests',
  // The README screenshot generator is not a test: run it with SKYWATCH_SCREENSHOTS=1 (scripts/screenshots).
  testIgnore: process.env.SKYWATCH_SCREENSHOTS ? [] : ['**/screenshots.spec.ts'],
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
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
    command: './start-server.sh',
    cwd: __dirname,
    env: { SKYWATCH_E2E_PORT: String(PORT) },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 2_000 },
  },
});
