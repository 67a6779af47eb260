import { ConsoleShell } from './fixtures/console-shell';
import { EventHistoryPage } from './fixtures/event-history-page';
import { UsersPage } from './fixtures/users-page';
import { expect, test } from './fixtures/console';

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test.describe('viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('sees the users and a note that viewers cannot add users', async ({ page, usersPage, shell }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    test.slow(); // ten page loads
    // The note depends on when the session resource resolves relative to hydration; load the page several
    // times so a race shows up reliably.
    for (let i = 0; i < 10; i++) {
      await usersPage.goto();
      await shell.expectSignedInAs('viewer', 'viewer');
      expect(await usersPage.userNames()).toEqual(expect.arrayContaining(['admin', 'viewer']));
      await expect(usersPage.viewerNote, `load ${i + 1}`).toBeVisible({ timeout: 3_000 });
      expect(errors, `no script errors on load ${i + 1}`).toEqual([]);
    }
  });

  test('sees the add-user form disabled', async ({ usersPage }) => {
    await usersPage.goto();
    // Playwright counts a control inside a disabled <fieldset> as disabled (the fieldset itself is not a control).
    await expect(usersPage.fieldset).toHaveJSProperty('disabled', true);
    await expect(usersPage.submit).toBeDisabled();
    await expect(usersPage.name).toBeDisabled();
  });

  test('a direct POST to /api/add_user is refused with 403 and changes nothing', async ({ page, usersPage }) => {
    await usersPage.goto();
    const before = await usersPage.userNames();
    const name = unique('sneaky');

    const response = await page.request.post('/api/add_user', {
      form: { name, password: 'sneaky-password', role: 'admin' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('AccessDenied');

    await usersPage.goto();
    expect(await usersPage.userNames()).toEqual(before);
    await expect(usersPage.row(name)).toHaveCount(0);

    // The refusal is in the trail, with its error code.
    const history = new EventHistoryPage(page);
    await history.goto('?attr=EventName&value=CreateUser');
    const refused = history.rows.filter({ hasText: 'AccessDenied' }).filter({ hasText: 'viewer' });
    await expect(refused.first()).toBeVisible();
    const record = await history.openRecord(refused.first());
    expect(record.errorCode).toBe('AccessDenied');
    expect(record.eventSource).toBe('iam.amazonaws.com');
  });

  test('a user refused to a viewer does not exist afterwards', async ({ page, browser, baseURL }) => {
    const name = unique('ghost');
    const refused = await page.request.post('/api/add_user', { form: { name, password: 'ghost-password', role: 'viewer' } });
    expect(refused.status()).toBe(403);

    // The refused user does not exist: signing in with its password fails.
    const fresh = await browser.newContext({ baseURL });
    const attempt = await fresh.request.post('/api/login', {
      form: { username: name, password: 'ghost-password', next: '/' },
      headers: { accept: 'text/html' }, // as a browser's native form post
      maxRedirects: 0,
    });
    // A failed sign-in goes back to the form with the error in the URL, and sets no session.
    expect(attempt.status()).toBe(302);
    expect(attempt.headers()['location']).toContain('/login?error=1');
    expect((await fresh.cookies()).find((c) => c.name === 'skywatch_session')).toBeUndefined();
    await fresh.close();
  });
});

test.describe('admin', () => {
  test.use({ signedInAs: 'admin' });

  test('adds a user with the form and sees it confirmed and listed', async ({ usersPage, shell }) => {
    await usersPage.goto();
    await expect(usersPage.viewerNote).toHaveCount(0);
    await expect(usersPage.submit).toBeEnabled();
    const name = unique('dave');
    // The confirmation is the action's value, shown by the wasm: submit once the page is hydrated.
    await shell.waitForHydration();
    await usersPage.addUser(name, 'dave-password', 'admin');
    await expect(usersPage.ok).toBeVisible();
    await expect(usersPage.error).toHaveCount(0);
    await expect(usersPage.row(name)).toHaveCount(1);
    await expect(usersPage.row(name).locator('td').nth(1)).toHaveText('admin');
    // Still there after a reload: it was stored.
    await usersPage.goto();
    await expect(usersPage.row(name)).toHaveCount(1);
  });

  test('an added user is listed, is in the trail as CreateUser, and can sign in', async ({ page, usersPage, shell, browser, baseURL }) => {
    await usersPage.goto();
    const name = unique('carol');
    // The same server function the form posts to, with the admin's session cookie.
    const response = await page.request.post('/api/add_user', {
      form: { name, password: 'carol-password', role: 'viewer' },
      maxRedirects: 0,
    });
    expect(response.status(), await response.text()).toBe(200);

    await usersPage.goto();
    await expect(usersPage.row(name)).toHaveCount(1);
    await expect(usersPage.row(name).locator('td').nth(1)).toHaveText('viewer');

    // The trail has the CreateUser, found by the user's ARN.
    const account = (await shell.accountSelect.locator('summary').textContent())!.replace(/\D/g, '');
    expect(account).toMatch(/^\d{12}$/);
    const arn = `arn:aws:iam::${account}:user/${name}`;
    const history = new EventHistoryPage(page);
    await history.goto();
    await history.filterBy('ResourceName', arn);
    await expect(history.rows).toHaveCount(1);
    const row = history.rowsNamed('CreateUser');
    await expect(row).toHaveCount(1);
    await expect(history.cells(row).nth(2)).toHaveText('admin');
    await expect(history.cells(row).nth(3)).toHaveText('iam.amazonaws.com');
    const record = await history.openRecord(row);
    expect(record.eventName).toBe('CreateUser');
    expect(record.eventSource).toBe('iam.amazonaws.com');
    expect(record.errorCode ?? null).toBeNull();
    expect(record.requestParameters).toMatchObject({ userName: name, role: 'viewer' });
    expect(JSON.stringify(record)).not.toContain('carol-password');

    // The new user can sign in, as a viewer.
    const context = await browser.newContext({ baseURL });
    const other = await context.newPage();
    await other.goto('/login');
    await other.getByTestId('login-username').fill(name);
    await other.getByTestId('login-password').fill('carol-password');
    await other.getByTestId('login-submit').click();
    await expect(other).toHaveURL((url) => url.pathname === '/');
    await new ConsoleShell(other).expectSignedInAs(name, 'viewer');
    await context.close();
  });

  test('a bad role is refused with an error', async ({ page, usersPage }) => {
    await usersPage.goto();
    const before = await usersPage.userNames();
    const response = await page.request.post('/api/add_user', {
      form: { name: unique('bad-role'), password: 'bad-role-password', role: 'superuser' },
    });
    expect(response.status()).toBe(400);
    await usersPage.goto();
    expect(await usersPage.userNames()).toEqual(before);
  });
});

// The Users page without scripts: what the server renders must already hold the viewer's restrictions.
test.describe('viewer without JavaScript', () => {
  test.use({ signedInAs: 'viewer', javaScriptEnabled: false });

  test('the server-rendered Users page already shows the note and a disabled form', async ({ usersPage }) => {
    await usersPage.page.goto(UsersPage.path);
    await expect(usersPage.title).toHaveText('Users');
    await expect(usersPage.viewerNote).toBeVisible();
    await expect(usersPage.submit).toBeDisabled();
  });
});
