import { expect, scriptErrors, test } from './fixtures/console';
import {
  LOGS_REGION,
  LogEventsPage,
  LogGroupPage,
  LogGroupsPage,
  createGroup,
  describeGroup,
  logsOk,
  putEvents,
} from './fixtures/logs-page';

// Everything happens in a region no other spec uses, with names unique to the run; events are put through the
// front door (PutLogEvents, signed as botocore signs it).
const RUN = Date.now().toString(36);

test.describe('cloudwatch logs', () => {
  test('log groups: create one with retention and tags, search by pattern and prefix, page, delete', async ({ page, request, baseURL }) => {
    test.setTimeout(90_000);
    const errors = scriptErrors(page);
    const groups = new LogGroupsPage(page);
    await groups.goto();
    const name = `/e2e/${RUN}/Orders`;
    await groups.createGroup(name, { retention: '30', tags: { team: 'shop' } });
    await expect(groups.notice).toContainText(`Log group ${name} created.`);
    await expect(groups.dialog).toHaveCount(0);
    const row = groups.row(name);
    await expect(row.getByTestId('group-retention')).toHaveText('30 days');
    await expect(row.getByTestId('group-class')).toHaveText('Standard');
    await expect(row.getByTestId('group-stored')).toHaveText('0 B');
    expect((await describeGroup(request, baseURL!, name)).retentionInDays).toBe(30);

    // A name taken is refused with CloudWatch Logs' code and message.
    await groups.createGroup(name);
    await expect(page.getByTestId('create-group-error')).toHaveText('ResourceAlreadyExistsException: The specified log group already exists');
    await page.getByTestId('create-group-cancel').click();

    // The pattern is case-insensitive and matches anywhere; the prefix is neither.
    await groups.title.click();
    await page.keyboard.press('/');
    await expect(groups.search).toBeFocused();
    await page.keyboard.type(`${RUN}/orders`);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === `${RUN}/orders` && url.searchParams.get('region') === LOGS_REGION);
    await expect(groups.rows).toHaveCount(1);
    await groups.prefix.check();
    await expect(page).toHaveURL((url) => url.searchParams.get('prefix') === '1');
    await expect(groups.empty).toHaveText('No log groups match the filters.');
    await groups.searchFor(`/e2e/${RUN}/Ord`);
    await expect(groups.rows).toHaveCount(1);
    await page.goBack();
    await expect(groups.empty).toBeVisible();

    // The group's page carries what was created.
    await groups.goto(`?region=${LOGS_REGION}&q=${RUN}`);
    await groups.row(name).getByTestId('group-link').click();
    const group = new LogGroupPage(page);
    await expect(page).toHaveURL((url) => url.pathname === LogGroupPage.path && url.searchParams.get('name') === name);
    await expect(group.retention).toHaveText('30 days');
    await expect(group.tags).toHaveText([/team\s*shop/]);

    // 51 groups are two pages of DescribeLogGroups: Next and Previous follow its tokens, in the URL.
    for (let i = 0; i < 51; i++) {
      await logsOk(request, baseURL!, 'CreateLogGroup', { logGroupName: `/e2e/${RUN}/page/${String(i).padStart(2, '0')}` });
    }
    await groups.goto(`?region=${LOGS_REGION}&q=${encodeURIComponent(`/e2e/${RUN}/page/`)}&prefix=1`);
    await expect(groups.rows).toHaveCount(50);
    await expect(groups.pager.getByTestId('pager-page')).toHaveText('Page 1');
    await page.keyboard.press('n');
    await expect(page).toHaveURL((url) => !!url.searchParams.get('token'));
    await expect(groups.rows).toHaveCount(1);
    await expect(groups.row(`/e2e/${RUN}/page/50`)).toBeVisible();
    await expect(groups.pager.getByTestId('pager-page')).toHaveText('Page 2');
    await expect(groups.pager.getByTestId('pager-next')).toHaveCount(0);
    await groups.pager.getByTestId('pager-previous').click();
    await expect(page).toHaveURL((url) => !url.searchParams.get('token'));
    await expect(groups.rows).toHaveCount(50);

    // Delete asks first, then deletes the selected group.
    await groups.goto(`?region=${LOGS_REGION}&q=${RUN}/orders`);
    await groups.row(name).getByTestId('group-select').check();
    await groups.deleteButton.click();
    await expect(page.getByTestId('delete-confirm')).toContainText(`Delete log group ${name}`);
    await groups.deleteConfirm.click();
    await expect(groups.notice).toHaveText('Deleted 1 log group.');
    await expect(groups.empty).toBeVisible();
    expect(await describeGroup(request, baseURL!, name)).toBeUndefined();
    expect(errors, 'no script errors').toEqual([]);
  });

  test("a group's page: retention, tags and KMS key edited in place; streams ordered, searched, linking to the viewer", async ({ page, request, baseURL }) => {
    test.setTimeout(60_000);
    const errors = scriptErrors(page);
    const name = `/e2e/${RUN}/settings`;
    await createGroup(request, baseURL!, name, { streams: ['alpha', 'beta', 'gamma'] });
    const now = Date.now();
    await putEvents(request, baseURL!, name, 'alpha', ['first'], now - 120_000);
    await putEvents(request, baseURL!, name, 'beta', ['second'], now - 60_000);

    const group = new LogGroupPage(page);
    await group.goto(name);
    await expect(group.title).toHaveText(name);
    await expect(group.arn).toHaveText(`arn:aws:logs:${LOGS_REGION}:000000000000:log-group:${name}`);
    await expect(group.retention).toHaveText('Never expire');

    // Retention: AWS's periods in a select; PutRetentionPolicy, and DeleteRetentionPolicy for "Never expire".
    await group.retentionEdit.click();
    const choices = await group.retentionSelect.locator('option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value));
    expect(choices).toEqual(['', '1', '3', '5', '7', '14', '30', '60', '90', '120', '150', '180', '365', '400', '545', '731', '1096', '1827', '2192', '2557', '2922', '3288', '3653']);
    await group.retentionSelect.selectOption('14');
    await group.retentionSave.click();
    await expect(group.notice).toHaveText('Retention set to 14 days.');
    await expect(group.retention).toHaveText('14 days');
    expect((await describeGroup(request, baseURL!, name)).retentionInDays).toBe(14);
    await group.retentionEdit.click();
    await group.retentionSelect.selectOption('');
    await group.retentionSave.click();
    await expect(group.retention).toHaveText('Never expire');
    expect((await describeGroup(request, baseURL!, name)).retentionInDays).toBeUndefined();

    // Tags: TagResource and UntagResource.
    await expect(page.getByTestId('tags-empty')).toBeVisible();
    const tagForm = page.getByTestId('tag-form');
    await tagForm.getByTestId('tag-key').fill('env');
    await tagForm.getByTestId('tag-value').fill('prod');
    await tagForm.getByTestId('tag-add').click();
    await expect(group.tags).toHaveText([/env\s*prod/]);
    const tags = await logsOk(request, baseURL!, 'ListTagsForResource', { resourceArn: `arn:aws:logs:${LOGS_REGION}:000000000000:log-group:${name}` });
    expect(tags.tags).toEqual({ env: 'prod' });
    await group.tags.getByTestId('tag-remove').click();
    await expect(page.getByTestId('tags-empty')).toBeVisible();

    // The KMS key: associate, disassociate; a key of another region is refused with the engine's message.
    await page.getByTestId('kms-associate').click();
    await page.getByTestId('kms-input').fill(`arn:aws:kms:us-east-1:000000000000:key/e2e-${RUN}`);
    await page.getByTestId('kms-save').click();
    await expect(group.actionError).toContainText('InvalidParameterException: Specified KMS key');
    const key = `arn:aws:kms:${LOGS_REGION}:000000000000:key/e2e-${RUN}`;
    await page.getByTestId('kms-input').fill(key);
    await page.getByTestId('kms-save').click();
    await expect(group.kms).toHaveText(key);
    expect((await describeGroup(request, baseURL!, name)).kmsKeyId).toBe(key);
    await page.getByTestId('kms-disassociate').click();
    await expect(group.kms).toHaveText('–');

    // Streams: by last event time, newest first; by name either way; a prefix search orders by name.
    await expect.poll(() => group.streamNames()).toEqual(expect.arrayContaining(['alpha', 'beta', 'gamma']));
    expect((await group.streamNames()).slice(0, 2)).toEqual(['beta', 'alpha']);
    await page.getByTestId('order-name').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('order') === 'name');
    await expect.poll(() => group.streamNames()).toEqual(['alpha', 'beta', 'gamma']);
    await page.getByTestId('order-desc').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('dir') === 'desc');
    await expect.poll(() => group.streamNames()).toEqual(['gamma', 'beta', 'alpha']);
    await group.streamSearch.fill('be');
    await group.streamSearch.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'be' && url.searchParams.get('order') === 'name');
    await expect.poll(() => group.streamNames()).toEqual(['beta']);
    await expect(group.stream('beta').getByTestId('stream-last-event')).not.toHaveText('–');

    // j and Enter open a stream in the viewer; "Search all streams" opens the whole group.
    await group.title.click();
    await page.keyboard.press('j');
    await expect(group.stream('beta')).toBeFocused();
    await page.keyboard.press('Enter');
    const events = new LogEventsPage(page);
    await expect(page).toHaveURL((url) => url.pathname === LogEventsPage.path && url.searchParams.get('stream') === 'beta' && url.searchParams.get('group') === name);
    await expect(events.messages).toHaveText(['second']);
    await page.goBack();
    await group.searchAllStreams.click();
    await expect(page).toHaveURL((url) => url.pathname === LogEventsPage.path && !url.searchParams.has('stream'));
    await expect(events.messages).toHaveText(['first', 'second']);
    await expect(page.getByTestId('event-stream-link')).toHaveText(['alpha', 'beta']);
    expect(errors, 'no script errors').toEqual([]);
  });

  test('the event viewer: newest first page, load older and newer, filter patterns, JSON rows, keys, time jumps', async ({ page, request, baseURL }) => {
    test.setTimeout(90_000);
    const errors = scriptErrors(page);
    const name = `/e2e/${RUN}/viewer`;
    await createGroup(request, baseURL!, name, { streams: ['app-1', 'app-2'] });
    const pad = (n: number) => String(n).padStart(3, '0');
    const messages = Array.from({ length: 150 }, (_, i) =>
      (i + 1) % 10 === 0 ? JSON.stringify({ level: 'error', n: i + 1, detail: { code: 'E42' } }) : `INFO event ${pad(i + 1)}`);
    await putEvents(request, baseURL!, name, 'app-1', messages, Date.now() - 300_000);
    await putEvents(request, baseURL!, name, 'app-2', Array.from({ length: 120 }, (_, i) => `ERROR boom ${pad(i + 1)}`), Date.now() - 200_000);

    // GetLogEvents: the newest 100 of the range, oldest at the top.
    const viewer = new LogEventsPage(page);
    await viewer.goto(name, 'app-1');
    await expect(viewer.title).toHaveText('app-1');
    await expect(viewer.rows).toHaveCount(100);
    await expect(viewer.messages.first()).toHaveText('INFO event 051');
    await expect(viewer.messages.last()).toHaveText(messages[149]);
    await viewer.older.click();
    await expect(viewer.rows).toHaveCount(150);
    await expect(viewer.messages.first()).toHaveText('INFO event 001');
    await viewer.older.click();
    await expect(viewer.noOlder).toHaveText('No older events in this time range.');
    await viewer.newer.click();
    await expect(viewer.newerNote).toHaveText('No newer events yet.');
    await putEvents(request, baseURL!, name, 'app-1', ['INFO event 151', 'INFO event 152']);
    await page.keyboard.press('n');
    await expect(viewer.rows).toHaveCount(152);
    await expect(viewer.messages.last()).toHaveText('INFO event 152');

    // `/` focuses the filter; a JSON pattern runs FilterLogEvents over the stream; j/k move, Enter opens a row.
    await viewer.title.click();
    await page.keyboard.press('/');
    await expect(viewer.filter).toBeFocused();
    await page.keyboard.type('{ $.level = "error" }');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('filter') === '{ $.level = "error" }' && url.searchParams.get('stream') === 'app-1');
    await expect(viewer.rows).toHaveCount(15);
    await viewer.title.click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect(viewer.rows.first()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(viewer.rows.first()).toHaveAttribute('aria-expanded', 'true');
    await expect(viewer.json).toHaveCount(1);
    await expect(viewer.json).toContainText('"level": "error"');
    await expect(viewer.json).toContainText('"n": 10,\n  "detail": {\n    "code": "E42"\n  }');
    await viewer.rows.nth(1).click();
    await expect(viewer.json).toHaveCount(2);
    await page.keyboard.press('Enter');
    await expect(viewer.json).toHaveCount(1);

    // A bad pattern shows CloudWatch Logs' refusal.
    await viewer.filterWith('{ $.level = ');
    await expect(viewer.error).toContainText('InvalidParameterException');

    // The whole group: FilterLogEvents from the start of the range, "Load more" with its nextToken; each event's
    // stream links to its stream; terms are marked.
    await viewer.goto(name, undefined, `&region=${LOGS_REGION}&filter=ERROR`);
    await expect(page.getByTestId('events-scope')).toHaveText('All streams of the log group');
    await expect(viewer.rows).toHaveCount(100);
    await expect(viewer.count).toContainText('100 events · ');
    await expect(viewer.messages.first()).toHaveText('ERROR boom 001');
    await expect(viewer.messages.first().locator('mark')).toHaveText('ERROR');
    await viewer.newer.click();
    await expect(viewer.rows).toHaveCount(120);
    await expect(viewer.end).toHaveText('End of the time range.');
    await viewer.wrap.check();
    await expect(page).toHaveURL((url) => url.searchParams.get('wrap') === '1' && url.searchParams.get('filter') === 'ERROR');
    await expect(viewer.table).toHaveClass(/\bwrap\b/);
    await expect(viewer.rows).toHaveCount(120);
    await page.getByTestId('event-stream-link').first().click();
    await expect(page).toHaveURL((url) => url.searchParams.get('stream') === 'app-2' && url.searchParams.get('wrap') === '1');
    await expect(viewer.rows).toHaveCount(100);

    // Time jumps make the range absolute; an empty range offers the time of the newest event.
    await page.getByTestId('jump-back-1h').click();
    await expect(page).toHaveURL((url) => /^\d+\.\.\d+$/.test(url.searchParams.get('range') ?? ''));
    await expect(viewer.empty).toContainText('No events in this time range.');
    await expect(page.getByTestId('jump-now')).toBeVisible();
    await page.getByTestId('events-latest').click();
    await expect(viewer.messages.last()).toHaveText('ERROR boom 120');
    const range = new URL(page.url()).searchParams.get('range')!;
    await page.getByTestId('jump-forward-5m').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('range') !== range);
    const [start, end] = new URL(page.url()).searchParams.get('range')!.split('..').map(Number);
    const [start0, end0] = range.split('..').map(Number);
    expect([start - start0, end - end0]).toEqual([300_000, 300_000]);
    await page.getByTestId('jump-now').click();
    await expect(page).toHaveURL((url) => /^\d+[smhdw]$/.test(url.searchParams.get('range') ?? ''));

    // Local time: the column says which zone.
    await page.getByTestId('tz-local').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('tz') === 'local');
    await expect(page.getByTestId('events-time-header')).toContainText('Timestamp (UTC');
    expect(errors, 'no script errors').toEqual([]);
  });
});

test.describe('cloudwatch logs as a viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('a viewer reads log groups but cannot create, change or delete them', async ({ page, request, baseURL }) => {
    const name = `/e2e/${RUN}/read-only`;
    await createGroup(request, baseURL!, name, { streams: ['s'] });
    await putEvents(request, baseURL!, name, 's', ['hello']);
    const groups = new LogGroupsPage(page);
    await groups.goto(`?region=${LOGS_REGION}&q=${RUN}/read-only`);
    await expect(groups.row(name)).toBeVisible();

    await groups.createGroup(`/e2e/${RUN}/not-allowed`);
    await expect(page.getByTestId('create-group-error')).toContainText('AccessDenied');
    await page.getByTestId('create-group-cancel').click();
    expect(await describeGroup(request, baseURL!, `/e2e/${RUN}/not-allowed`)).toBeUndefined();

    await groups.row(name).getByTestId('group-select').check();
    await groups.deleteButton.click();
    await groups.deleteConfirm.click();
    await expect(groups.deleteError).toContainText('AccessDenied');
    await expect(groups.row(name)).toBeVisible();

    const group = new LogGroupPage(page);
    await group.goto(name);
    await group.retentionEdit.click();
    await group.retentionSelect.selectOption('7');
    await group.retentionSave.click();
    await expect(group.actionError).toContainText('AccessDenied');
    expect((await describeGroup(request, baseURL!, name)).retentionInDays).toBeUndefined();

    const events = new LogEventsPage(page);
    await events.goto(name, 's');
    await expect(events.messages).toHaveText(['hello']);
  });
});
