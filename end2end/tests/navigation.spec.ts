import { MENU, TIME_RANGES } from './fixtures/console-shell';
import { expect, test } from './fixtures/console';

test.describe('navigation', () => {
  test('every menu entry opens its page and marks itself active', async ({ page, shell }) => {
    // Visits every page in one test: marked slow (three times the timeout) so a slow host does not fail it.
    test.slow();
    await expect(shell.title).toHaveText('Console home');
    await shell.expectActiveNav(null);
    await expect(shell.sidenav.getByRole('link')).toHaveCount(MENU.length);
    for (const entry of MENU) {
      await test.step(entry.path, async () => {
        await shell.navLink(entry.testId).click();
        await expect(page).toHaveURL((url) => url.pathname === entry.path);
        await expect(shell.title).toHaveText(entry.title);
        await shell.expectActiveNav(entry.testId);
        if (entry.comingSoon) {
          await expect(shell.comingSoon).toBeVisible();
          await expect(shell.comingSoon).toContainText('Coming soon');
        } else {
          await expect(shell.comingSoon).toHaveCount(0);
        }
      });
    }
    await shell.brand.click();
    await expect(page).toHaveURL((url) => url.pathname === '/');
    await expect(shell.title).toHaveText('Console home');
    await shell.expectActiveNav(null);
  });

  test('every menu entry renders on a direct load too', async ({ page, shell }) => {
    // Visits every page in one test: marked slow (three times the timeout) so a slow host does not fail it.
    test.slow();
    for (const entry of MENU) {
      const response = await page.goto(entry.path);
      expect(response?.status(), entry.path).toBe(200);
      await expect(shell.title).toHaveText(entry.title);
      await shell.expectActiveNav(entry.testId);
    }
  });

  test('an unknown path shows Page not found', async ({ page, shell }) => {
    const response = await page.goto('/no/such-page');
    expect(response?.status()).toBe(404);
    await expect(shell.title).toHaveText('Page not found');
    await shell.expectActiveNav(null);
  });

  test('region and time range land in the URL and survive navigation', async ({ page, shell }) => {
    await page.goto('/cloudwatch/alarms');
    await shell.expectActiveRange('3h');

    await shell.chooseRegion('eu-west-1');
    await expect(page).toHaveURL((url) => url.pathname === '/cloudwatch/alarms' && url.searchParams.get('region') === 'eu-west-1');
    await expect(shell.regionSummary()).toHaveText('eu-west-1');

    await shell.chooseRange('1h');
    await expect(page).toHaveURL(
      (url) => url.searchParams.get('range') === '1h' && url.searchParams.get('region') === 'eu-west-1',
    );
    await shell.expectActiveRange('1h');

    for (const testId of ['nav-cloudtrail-event-history', 'nav-xray-traces', 'nav-settings-users']) {
      await shell.navLink(testId).click();
      await expect(page).toHaveURL(
        (url) =>
          url.pathname === `/${testId.replace(/^nav-/, '').replace('-', '/')}` &&
          url.searchParams.get('range') === '1h' &&
          url.searchParams.get('region') === 'eu-west-1',
      );
      await shell.expectActiveNav(testId);
      await shell.expectActiveRange('1h');
      await expect(shell.regionSummary()).toHaveText('eu-west-1');
    }

    // Every range link keeps the region and sets its own range.
    for (const range of TIME_RANGES) {
      const href = await shell.rangeLink(range).getAttribute('href');
      const url = new URL(href!, 'http://x');
      expect(url.pathname).toBe('/settings/users');
      expect(url.searchParams.get('range')).toBe(range);
      expect(url.searchParams.get('region')).toBe('eu-west-1');
    }

    // A reload renders the same choices from the URL alone.
    await page.reload();
    await shell.expectActiveRange('1h');
    await expect(shell.regionSummary()).toHaveText('eu-west-1');
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('pages render on the server with the menu', async ({ page, shell }) => {
      await page.goto('/cloudtrail/event-history?region=eu-west-1&range=1d');
      await expect(shell.title).toHaveText('Event history');
      await expect(shell.sidenav).toBeVisible();
      for (const entry of MENU) await expect(shell.navLink(entry.testId)).toBeVisible();
      await shell.expectActiveNav('nav-cloudtrail-event-history');
      await shell.expectActiveRange('1d');
      await expect(shell.regionSummary()).toHaveText('eu-west-1');

      // Plain links still navigate, carrying the choices.
      await shell.navLink('nav-events-buses').click();
      await expect(page).toHaveURL(
        (url) => url.pathname === '/events/buses' && url.searchParams.get('range') === '1d' && url.searchParams.get('region') === 'eu-west-1',
      );
      await expect(shell.title).toHaveText('Buses');
      await expect(shell.comingSoon).toBeVisible();
      await shell.expectActiveNav('nav-events-buses');
    });

    test('the signed-in user menu and the page data are in the server-rendered page', async ({ page, shell }) => {
      test.slow();
      // Whether the streamed parts make it into the document before </body> depends on timing, so load a few
      // times: every load must have them.
      for (let i = 0; i < 8; i++) {
        await page.goto('/cloudtrail/event-history');
        await expect(shell.title).toHaveText('Event history');
        await expect(shell.currentUser).toHaveText('admin', { timeout: 1_000 });
        await expect(shell.signOutButton).toHaveCount(1, { timeout: 1_000 });
        await expect(page.getByTestId('events-table')).toBeVisible({ timeout: 1_000 });
      }
    });
  });
});
