import { ConsoleShell } from './fixtures/console-shell';
import { EventHistoryPage } from './fixtures/event-history-page';
import { expect, signIn, test } from './fixtures/console';

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test.describe('viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('sees the users and a note that viewers cannot add users', async ({ usersPage, shell }) => {
    await usersPage.goto();
    await shell.expectSignedInAs('viewer', 'viewer');
    expect(await usersPage.userNames()).toEqual(expect.arrayContaining(['admin', 'viewer']));
    await expect(usersPage.viewerNote).toBeVisible();
  });

  test('sees the add-user form disabled', async ({ usersPage }) => {
    await usersPage.goto();
    await expect(usersPage.fieldset).toBeDisabled();
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

  test('the new user cannot be used to sign in after a refused add', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    const viewer = await signIn(page, 'viewer');
    await expect(viewer.currentRole).toHaveText('viewer');
    const name = unique('ghost');
    const refused = await page.request.post('/api/add_user', { form: { name, password: 'ghost-password', role: 'viewer' } });
    expect(refused.status()).toBe(403);
    await context.close();

    const fresh = await browser.newContext({ baseURL });
    const login = await fresh.newPage();
    await login.goto('/login');
    await login.getByTestId('login-username').fill(name);
    await login.getByTestId('login-password').fill('ghost-password');
    await login.getByTestId('login-submit').click();
    await expect(login.getByTestId('login-error')).toBeVisible();
    await fresh.close();
  });
});

test.describe('admin', () => {
  test.use({ signedInAs: 'admin' });

  test('adds a user with the form and sees it confirmed and listed', async ({ usersPage, shell }) => {
    await usersPage.goto();
    await expect(usersPage.viewerNote).toHaveCount(0);
    await expect(usersPage.fieldset).toBeEnabled();
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
