import { EventHistoryPage } from './fixtures/event-history-page';
import { expect, test } from './fixtures/console';

test.describe('CloudTrail event history', () => {
  test("the admin's sign-in is recorded as ConsoleLogin", async ({ eventHistory }) => {
    await eventHistory.goto();
    await expect(eventHistory.table).toBeVisible();
    const logins = eventHistory.rowsNamed('ConsoleLogin');
    await expect(logins.first()).toBeVisible();
    const newest = logins.first();
    const cells = eventHistory.cells(newest);
    await expect(cells.nth(0)).toHaveText('ConsoleLogin');
    await expect(cells.nth(2)).toHaveText('admin');
    await expect(cells.nth(3)).toHaveText('signin.amazonaws.com');
  });

  test("the console's own reads are recorded, in the region viewed", async ({ eventHistory }) => {
    // Viewing history is itself a LookupEvents call, recorded like the AWS console's.
    await eventHistory.goto('?region=eu-central-1');
    await eventHistory.goto('?region=eu-central-1&attr=EventName&value=LookupEvents');
    const lookups = eventHistory.rowsNamed('LookupEvents');
    await expect(lookups.first()).toBeVisible();
    const cells = eventHistory.cells(lookups.first());
    await expect(cells.nth(2)).toHaveText('admin');
    await expect(cells.nth(3)).toHaveText('cloudtrail.amazonaws.com');
    const record = await eventHistory.openRecord(lookups.first());
    expect(record.awsRegion).toBe('eu-central-1');
    expect(record.readOnly).toBe(true);
  });

  test('filtering by EventName shows only those events, and Clear removes the filter', async ({ page, eventHistory }) => {
    await eventHistory.goto('?range=1d');
    await eventHistory.filterBy('EventName', 'ConsoleLogin');
    await expect(eventHistory.attribute).toHaveValue('EventName');
    await expect(eventHistory.value).toHaveValue('ConsoleLogin');
    await expect(eventHistory.rows.first()).toBeVisible();
    const names = await eventHistory.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-name')));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(['ConsoleLogin']));
    // The GET form keeps the time range.
    expect(new URL(page.url()).searchParams.get('range')).toBe('1d');

    await eventHistory.filterBy('EventName', 'NoSuchEventName');
    await expect(eventHistory.empty).toBeVisible();
    await expect(eventHistory.rows).toHaveCount(0);

    await eventHistory.clear.click();
    await expect(page).toHaveURL((url) => url.pathname === EventHistoryPage.path && !url.searchParams.has('value'));
    expect(new URL(page.url()).searchParams.get('range')).toBe('1d');
    await eventHistory.expectLoaded();
    await expect(eventHistory.rows.first()).toBeVisible();
  });

  test("a row's JSON opens and is the CloudTrail record", async ({ page, eventHistory }) => {
    await eventHistory.goto('?attr=EventName&value=ConsoleLogin');
    const row = eventHistory.rowsNamed('ConsoleLogin').first();
    const record = await eventHistory.openRecord(row);
    expect(record.eventName).toBe('ConsoleLogin');
    expect(record.eventSource).toBe('signin.amazonaws.com');
    expect(typeof record.eventID).toBe('string');
    expect(new URL(page.url()).searchParams.get('event')).toBe(record.eventID);
    expect(Number.isNaN(Date.parse(record.eventTime))).toBe(false);
    // The filter stays while a record is open.
    expect(new URL(page.url()).searchParams.get('value')).toBe('ConsoleLogin');
    await expect(row).toHaveClass(/selected/);

    // Looking the record up by its id finds exactly it.
    await eventHistory.goto(`?attr=EventId&value=${encodeURIComponent(record.eventID)}`);
    await expect(eventHistory.rows).toHaveCount(1);
    await expect(eventHistory.rows.first()).toHaveAttribute('data-event-name', 'ConsoleLogin');

    // Clicking the open row's link again closes it.
    await eventHistory.goto(`?attr=EventName&value=ConsoleLogin&event=${encodeURIComponent(record.eventID)}`);
    await expect(eventHistory.json).toHaveCount(1);
    await eventHistory.page.locator('tr.selected').getByTestId('event-link').click();
    await expect(page).toHaveURL((url) => !url.searchParams.get('event'));
    await expect(eventHistory.json).toHaveCount(0);
  });

  test('another region has its own (empty) history', async ({ eventHistory, shell }) => {
    await eventHistory.goto('?region=ap-southeast-2&attr=EventName&value=ConsoleLogin');
    await expect(shell.regionSummary()).toHaveText('ap-southeast-2');
    await expect(eventHistory.empty).toBeVisible();
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the filter form shows the filter it applied', async ({ page }) => {
      await page.goto('/cloudtrail/event-history?attr=Username&value=admin');
      await expect(page.getByTestId('filter-attribute')).toHaveValue('Username');
      await expect(page.getByTestId('filter-value')).toHaveValue('admin');
    });
  });
});
