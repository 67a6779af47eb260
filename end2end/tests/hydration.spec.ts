import { MENU } from './fixtures/console-shell';
import { expect, test } from './fixtures/console';

test.describe('hydration', () => {
  test('the theme toggle works once the wasm has hydrated, and persists via a cookie', async ({ page, shell, context }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    await page.goto('/cloudtrail/event-history');
    await expect(shell.root).toHaveAttribute('data-theme', 'light');
    await shell.toggleThemeTo('dark');
    await expect(shell.themeToggle).toContainText('Light');
    const cookie = (await context.cookies()).find((c) => c.name === 'skywatch_theme');
    expect(cookie?.value).toBe('dark');

    // The server renders the cookie's theme first: no flash of light.
    const html = await (await page.request.get('/cloudtrail/event-history')).text();
    expect(html).toMatch(/data-theme="dark"[^>]*data-testid="app-root"|data-testid="app-root"[^>]*data-theme="dark"/);
    await page.reload();
    await expect(shell.root).toHaveAttribute('data-theme', 'dark');
    await expect(shell.themeToggle).toContainText('Light');

    // Other pages too, and back to light.
    await shell.navLink('nav-settings-users').click();
    await expect(shell.title).toHaveText('Users');
    await expect(shell.root).toHaveAttribute('data-theme', 'dark');
    await shell.toggleThemeTo('light');
    expect((await context.cookies()).find((c) => c.name === 'skywatch_theme')?.value).toBe('light');
    await page.reload();
    await expect(shell.root).toHaveAttribute('data-theme', 'light');
    await expect(shell.themeToggle).toContainText('Dark');

    expect(errors, 'no script errors while hydrating').toEqual([]);
  });

  test('the wasm bundle and styles are served', async ({ page }) => {
    for (const [path, type] of [
      ['/pkg/skywatch.js', /javascript/],
      ['/pkg/skywatch.wasm', /application\/wasm/],
      ['/pkg/skywatch.css', /text\/css/],
    ] as const) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()['content-type'], path).toMatch(type);
    }
  });

  // One test per page and role (issue 4's CI run timed out when every page shared one test's 30 s budget: each
  // page load compiles the debug wasm afresh). A failure now names the page it happened on.
  for (const role of ['admin', 'viewer'] as const) {
    test.describe(`as ${role}`, () => {
      test.use({ signedInAs: role });

      for (const entry of [{ path: '/', title: 'Console home' }, ...MENU]) {
        test(`${entry.path} hydrates without script errors`, async ({ page, shell }) => {
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
          await page.goto(entry.path);
          await expect(shell.title).toHaveText(entry.title);
          // The wasm is loaded and working once the toggle flips the theme.
          await shell.waitForHydration();
          expect(errors).toEqual([]);
        });
      }
    });
  }
});
