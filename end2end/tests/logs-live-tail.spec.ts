import { expect, scriptErrors, test } from './fixtures/console';
import { LiveTailPage, TAIL_REGION, createTailGroup, putTailEvents } from './fixtures/logs-live-tail-page';
import { LogEventsPage, LogGroupPage } from './fixtures/logs-page';

// Live Tail in a region no other spec keeps log groups in, with names unique to the run. Events are put through
// the front door (PutLogEvents, signed as botocore signs it) while the page tails them over its event stream; every
// wait is for something to appear, never a sleep.
const RUN = Date.now().toString(36);

test.describe('cloudwatch logs live tail', () => {
  test('new events arrive as they are put: filtered, paused and resumed, highlighted, linked to their stream', async ({ page, request, baseURL }) => {
    test.setTimeout(60_000);
    const errors = scriptErrors(page);
    const group = `/tail/${RUN}/web`;
    await createTailGroup(request, baseURL!, group, ['web-1', 'web-2']);
    const tail = new LiveTailPage(page);
    await tail.goto([group]);
    await expect(tail.groupChips).toHaveText([`${group}×`]);
    await expect(tail.status).toHaveText('Not started');
    await expect(tail.empty).toContainText('press Start');

    // The pattern keeps the ERROR events of the batch; the INFO one between them never shows.
    await tail.pattern.fill('ERROR');
    await tail.startTailing();
    await expect(page).toHaveURL((url) => url.searchParams.get('group') === group && url.searchParams.get('filter') === 'ERROR');
    await putTailEvents(request, baseURL!, group, 'web-1', ['ERROR one', 'INFO skipped', 'ERROR two {"user":"ana"}']);
    await expect(tail.messages).toHaveText(['ERROR one', 'ERROR two {"user":"ana"}'], { timeout: 10_000 });
    await expect(tail.count).toHaveText('2 events');
    await expect(tail.rate).toContainText('events/s');
    await expect(tail.rows.first().getByTestId('tail-group')).toHaveText(group);

    // Highlights: each term its own colour, without regard to case, kept in the URL.
    await tail.addHighlight('two');
    await tail.addHighlight('error');
    await expect(tail.highlights).toHaveText(['two×', 'error×']);
    const second = tail.messages.nth(1);
    await expect(second.locator('mark.hl-0')).toHaveText('two');
    await expect(second.locator('mark.hl-1')).toHaveText('ERROR');
    await expect(tail.messages.first().locator('mark')).toHaveText(['ERROR']);
    await expect(page).toHaveURL((url) => url.searchParams.getAll('hl').join(',') === 'two,error');

    // JSON messages pretty-print on demand.
    await tail.pretty.check();
    await expect(second).toContainText('"user": "ana"');
    await tail.pretty.uncheck();

    // Pause (Space) holds new events back and counts them; Resume shows them.
    await tail.pressSpace();
    await expect(tail.status).toHaveText('Paused');
    await putTailEvents(request, baseURL!, group, 'web-2', ['ERROR three', 'ERROR four']);
    await expect(tail.held).toContainText('Paused · 2 new events', { timeout: 10_000 });
    await expect(tail.rows).toHaveCount(2);
    await tail.resume.click();
    await tail.expectStreaming();
    await expect(tail.messages).toHaveText(['ERROR one', 'ERROR two {"user":"ana"}', 'ERROR three', 'ERROR four']);
    await expect(tail.held).toHaveCount(0);
    await tail.pause.click();
    await expect(tail.status).toHaveText('Paused');
    await tail.pressSpace();
    await tail.expectStreaming();

    // Stopped, nothing arrives; started again, only what is put from then on.
    await tail.stop.click();
    await expect(tail.status).toHaveText('Stopped');
    await putTailEvents(request, baseURL!, group, 'web-1', ['ERROR while stopped']);
    await tail.clear.click();
    await expect(tail.rows).toHaveCount(0);
    await tail.startTailing();
    await putTailEvents(request, baseURL!, group, 'web-1', ['ERROR after the restart']);
    await expect(tail.messages).toHaveText(['ERROR after the restart'], { timeout: 10_000 });

    // Each event's stream opens the event viewer on that stream.
    await tail.rows.first().getByTestId('tail-stream-link').click();
    await expect(page).toHaveURL((url) => url.pathname === LogEventsPage.path && url.searchParams.get('group') === group && url.searchParams.get('stream') === 'web-1');
    const viewer = new LogEventsPage(page);
    await expect(viewer.messages.last()).toHaveText('ERROR after the restart');
    expect(errors, 'no script errors').toEqual([]);
  });

  test('the group page starts tailing; streams by prefix; refusals show CloudWatch Logs’ message', async ({ page, request, baseURL }) => {
    test.setTimeout(60_000);
    const errors = scriptErrors(page);
    const group = `/tail/${RUN}/api`;
    const other = `/tail/${RUN}/db`;
    await createTailGroup(request, baseURL!, group, ['api-1', 'worker-1']);
    await createTailGroup(request, baseURL!, other, ['db-1']);

    // "Start tailing" on the group's page opens Live Tail for it, already streaming.
    const groupPage = new LogGroupPage(page);
    await groupPage.goto(group, `&region=${TAIL_REGION}`);
    await page.getByTestId('start-tailing').click();
    const tail = new LiveTailPage(page);
    await expect(page).toHaveURL((url) => url.pathname === LiveTailPage.path && url.searchParams.get('group') === group);
    await tail.expectStreaming();
    await putTailEvents(request, baseURL!, group, 'api-1', ['GET /orders 200']);
    await expect(tail.messages).toHaveText(['GET /orders 200'], { timeout: 10_000 });

    // Only the streams whose names start with the prefix.
    await tail.streamMode.selectOption('prefixes');
    await tail.streams.fill('worker-');
    await tail.pattern.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('prefix') === 'worker-');
    await tail.expectStreaming();
    await putTailEvents(request, baseURL!, group, 'api-1', ['from api']);
    await putTailEvents(request, baseURL!, group, 'worker-1', ['from worker']);
    await expect(tail.messages.last()).toHaveText('from worker', { timeout: 10_000 });
    await expect(tail.messages).toHaveText(['GET /orders 200', 'from worker']);

    // A second group, chosen from the account's groups: streams are for one group only.
    await tail.stop.click();
    await tail.groupSearch.fill(`${RUN}/db`);
    await expect(tail.groupOptions).toHaveCount(1);
    await tail.option(other).locator('input').check();
    await expect(tail.groupChips).toHaveText([group, other].map((g) => `${g}×`));
    await expect(tail.streamMode).toBeDisabled();
    await tail.startTailing();
    await putTailEvents(request, baseURL!, other, 'db-1', ['slow query']);
    await putTailEvents(request, baseURL!, group, 'api-1', ['from api again']);
    await expect(tail.messages).toContainText(['slow query', 'from api again'], { timeout: 10_000 });
    await expect(tail.rows.filter({ hasText: 'slow query' }).getByTestId('tail-group')).toHaveText(other);

    // A pattern CloudWatch Logs refuses: its code and message, and the session does not start.
    await tail.stop.click();
    await tail.pattern.fill('{ $.level = ');
    await tail.start.click();
    await expect(tail.error).toContainText('InvalidParameterException');
    await expect(tail.status).toHaveText('Refused');
    await expect(tail.start).toBeEnabled();
    expect(errors, 'no script errors').toEqual([]);
  });
});
