import { expect, scriptErrors, test } from './fixtures/console';
import { LogGroupPage } from './fixtures/logs-page';
import { EXPORTS_REGION, ExportTasksPage, describeTask, exportsOk, seedGroup } from './fixtures/logs-exports-page';

// Everything happens in a region no other spec keeps logs in, with names unique to the run; groups and events are
// put through the front door (signed as botocore signs it), exports are made and cancelled in the console.
const RUN = Date.now().toString(36);
/** The large group: 200 KB events, enough for an export that runs well over ten seconds (with the debug build). */
const BULK_STREAMS = 16;
const BULK_EVENTS = 12;

test.describe('cloudwatch logs export tasks', () => {
  test("a group's export from its page: the form, refusals, the task completing with its progress full", async ({ page, request, baseURL }) => {
    test.setTimeout(60_000);
    const errors = scriptErrors(page);
    const name = `/e2e/${RUN}/shop`;
    await seedGroup(request, baseURL!, name, ['web-1', 'web-2', 'worker'], { events: 5 });

    // "Export to S3" on the group's page opens the form with the group chosen.
    const group = new LogGroupPage(page);
    await group.goto(name, `&region=${EXPORTS_REGION}`);
    await page.getByTestId('export-group').click();
    const exports = new ExportTasksPage(page);
    await expect(page).toHaveURL(
      (url) => url.pathname === ExportTasksPage.path && url.searchParams.get('group') === name && url.searchParams.get('create') === '1',
    );
    await expect(exports.form).toBeVisible();
    await expect(exports.group).toHaveValue(name);
    await expect(exports.prefix).toHaveValue('exportedlogs');
    await expect(exports.create).toHaveCount(0);

    // The range defaults to the last hour; the quick choices set it up to now.
    const span = async () => Date.parse(`${await exports.to.inputValue()}Z`) - Date.parse(`${await exports.from.inputValue()}Z`);
    expect(await span()).toBe(3_600_000);
    await expect(page.getByTestId('export-quick-1h')).toHaveClass(/active/);
    await page.getByTestId('export-quick-1d').click();
    await expect(page.getByTestId('export-quick-1d')).toHaveClass(/active/);
    expect(await span()).toBe(86_400_000);

    // Refusals are CloudWatch Logs' own: a bucket name S3 does not allow, then a range ending before it starts.
    await exports.bucket.fill('Not_A_Bucket');
    await expect(exports.objects).toHaveText('s3://Not_A_Bucket/exportedlogs/<task id>/<log stream>/000000.gz');
    await exports.submit.click();
    await expect(exports.formError).toHaveText('InvalidParameterException: The given bucket does not exist. Please make sure the bucket is valid.');
    await exports.bucket.fill(`e2e-${RUN}-archive`);
    const end = await exports.to.inputValue();
    await exports.from.fill(end);
    await exports.to.fill(end.replace(/T\d\d/, 'T00'));
    await exports.submit.click();
    await expect(exports.formError).toContainText("InvalidParameterException: Specified time range of '");
    await expect(exports.formError).toContainText('is not valid. Please make sure the values are non-negative and the start time is before the end time.');

    // A good one: the task is on top of the list, and reaches COMPLETED with every stream written.
    await page.getByTestId('export-quick-1h').click();
    await exports.name.fill(`e2e-${RUN}`);
    await exports.prefix.fill('shop/archive');
    await exports.submit.click();
    const id = await exports.createdId();
    await expect(page).toHaveURL((url) => url.searchParams.get('create') === null && url.searchParams.get('region') === EXPORTS_REGION);
    await expect(exports.form).toHaveCount(0);
    const row = exports.row(id);
    await expect(exports.rows.first()).toHaveAttribute('data-id', id);
    await expect(row.getByTestId('export-status')).toHaveText('COMPLETED', { timeout: 20_000 });
    await expect(row.getByTestId('export-name')).toHaveText(`e2e-${RUN}`);
    await expect(row.getByTestId('export-group')).toHaveText(name);
    await expect(row.getByTestId('export-destination')).toHaveText(`s3://e2e-${RUN}-archive/shop/archive`);
    expect(await exports.streams(id)).toEqual([3, 3]);
    await expect(exports.bar(id)).toHaveAttribute('aria-valuenow', '100');
    await expect(row.getByTestId('export-streams')).toHaveText('3 / 3 streams');
    await expect(row.getByTestId('export-events')).toHaveText(/^15 events · \d+ B$/);
    await expect(row.getByTestId('export-completed')).toHaveText(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d$/);
    await expect(row.getByTestId('export-cancel')).toHaveCount(0);
    await expect(exports.live).toHaveCount(0);
    const task = await describeTask(request, baseURL!, id);
    expect(task.status.code).toBe('COMPLETED');
    expect(task.destinationPrefix).toBe('shop/archive');

    // The group links back to its page.
    await row.getByTestId('export-group').getByRole('link').click();
    await expect(page).toHaveURL((url) => url.pathname === LogGroupPage.path && url.searchParams.get('name') === name);
    expect(errors, 'no script errors').toEqual([]);
  });

  test('a running export moves on its own, holds the one active slot, and is cancelled after a confirmation', async ({ page, request, baseURL }) => {
    test.setTimeout(180_000);
    const errors = scriptErrors(page);
    // Enough data that the export runs for a while: large events, few calls, so the test puts them quickly.
    const bulk = `/e2e/${RUN}/bulk`;
    const streams = Array.from({ length: BULK_STREAMS }, (_, i) => `s${String(i).padStart(2, '0')}`);
    let started = Date.now();
    await seedGroup(request, baseURL!, bulk, streams, { events: BULK_EVENTS, lineBytes: 200_000 });
    console.log(`bulk put in ${Date.now() - started} ms`);
    const small = `/e2e/${RUN}/orders`;
    await seedGroup(request, baseURL!, small, ['api'], { events: 2 });

    const exports = new ExportTasksPage(page);
    await exports.goto(`?region=${EXPORTS_REGION}&group=${encodeURIComponent(bulk)}&create=1`);
    await expect(exports.group).toHaveValue(bulk);
    await exports.bucket.fill(`e2e-${RUN}-bulk`);
    started = Date.now();
    await exports.submit.click();
    const id = await exports.createdId();
    let bulkLeft = true;
    try {
      const row = exports.row(id);
      await expect(row.getByTestId('export-status')).toHaveText('RUNNING');
      await expect(exports.live).toContainText('1 active');

      // Its progress moves without a reload: the page reads the list again while a task is active.
      const [before, total] = await exports.streams(id);
      expect(total).toBe(streams.length);
      expect(before).toBeLessThan(total);
      await expect.poll(async () => (await exports.streams(id))[0], { timeout: 10_000 }).toBeGreaterThan(before);
      await expect(row.getByTestId('export-status')).toHaveText('RUNNING');

      // One active task an account: a second is refused with AWS's error.
      await exports.create.click();
      await expect(exports.form).toBeVisible();
      await exports.group.selectOption(small);
      await exports.bucket.fill(`e2e-${RUN}-orders`);
      await exports.submit.click();
      await expect(exports.formError).toHaveText('LimitExceededException: Resource limit exceeded.');
      await page.getByTestId('create-export-cancel').click();
      await expect(exports.form).toHaveCount(0);

      // Only the active task can be cancelled, and only after a confirmation.
      await expect(exports.rows.filter({ has: page.getByTestId('export-cancel') })).toHaveCount(1);
      await row.getByTestId('export-cancel').click();
      await expect(exports.confirm).toContainText(`Cancel export task ${id}?`);
      await page.getByTestId('cancel-export-no').click();
      await expect(exports.confirm).toHaveCount(0);
      await row.getByTestId('export-cancel').click();
      await exports.confirmYes.click();
      await expect(exports.notice).toHaveText(`Export task ${id} cancelled.`);
      console.log(`bulk cancelled ${Date.now() - started} ms after it was created`);
      bulkLeft = false;
      await expect(row.getByTestId('export-status')).toHaveText('CANCELLED');
      await expect(row.getByTestId('export-cancel')).toHaveCount(0);
      await expect(exports.rows.filter({ has: page.getByTestId('export-cancel') })).toHaveCount(0);
      await expect(exports.live).toHaveCount(0);
      const [done] = await exports.streams(id);
      expect(done).toBeLessThan(streams.length);
      expect((await describeTask(request, baseURL!, id)).status.code).toBe('CANCELLED');

      // The status filter is in the URL, so a filtered list is a link.
      await exports.status.selectOption('CANCELLED');
      await expect(page).toHaveURL((url) => url.searchParams.get('status') === 'CANCELLED' && url.searchParams.get('region') === EXPORTS_REGION);
      await expect(exports.rows).toHaveCount(1);
      await expect(exports.row(id)).toBeVisible();
      await exports.status.selectOption('RUNNING');
      await expect(exports.empty).toHaveText('No export tasks match the filter.');
      await page.goBack();
      await expect(exports.row(id)).toBeVisible();
      await exports.goto(`?region=${EXPORTS_REGION}&status=COMPLETED`);
      await expect(exports.status).toHaveValue('COMPLETED');
      await expect(exports.row(id)).toHaveCount(0);
      for (const status of await exports.rows.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status))) {
        expect(status).toBe('COMPLETED');
      }
      expect(errors, 'no script errors').toEqual([]);
    } finally {
      // Free the runner for the rest of the run.
      if (bulkLeft) {
        const left = await describeTask(request, baseURL!, id);
        if (left && ['PENDING', 'RUNNING'].includes(left.status.code)) await exportsOk(request, baseURL!, 'CancelExportTask', { taskId: id });
      }
    }
  });
});
