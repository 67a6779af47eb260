import { DashboardPage, DashboardsListPage, getDashboardBody, putDashboard } from './fixtures/dashboards-page';
import { EventHistoryPage } from './fixtures/event-history-page';
import { MetricsPage, OTHER_ACCOUNT, OTHER_ACCOUNT_KEY, cloudwatchCall, putMetricData, type Datum } from './fixtures/metrics-page';
import { expect, test } from './fixtures/console';

// Every run uses its own namespace and dashboard names, so the spec does not depend on other data.
const RUN = Date.now().toString(36);
const NS = `E2E/Dash${RUN}`;

/**
 * CPUUtilization of two instances and Orders, one point a minute over the past hour, and again from six to five
 * hours ago, so a 1-hour and a 12-hour range show different data.
 */
async function seed(request: Parameters<typeof putMetricData>[0], baseURL: string) {
  const now = Math.floor(Date.now() / 60_000) * 60;
  const data: Datum[] = [];
  const minutes = [...Array(60).keys()].map((m) => m + 1).concat([...Array(60).keys()].map((m) => m + 300));
  for (const minute of minutes) {
    const Timestamp = now - minute * 60;
    const wave = Math.sin(minute / 6);
    for (const [n, instance] of ['i-dash-0001', 'i-dash-0002'].entries()) {
      data.push({
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: instance }],
        Timestamp,
        Value: 40 + 20 * n + 15 * wave,
        Unit: 'Percent',
      });
    }
    data.push({ MetricName: 'Orders', Timestamp, Value: 100 + 30 * wave, Unit: 'Count' });
  }
  await putMetricData(request, baseURL, NS, data);
}

/** The Metrics page's URL graphing `metrics` (`Metric` or `Metric~Dim=Value`) of the run's namespace. */
function metricsQuery(metrics: string[], extra: [string, string][] = []) {
  return '?' + new URLSearchParams([...metrics.map((m): [string, string] => ['m', `${NS}~${m}`]), ...extra]).toString();
}

/** A dashboard over the seeded metrics, put through the API. */
function lineBody(title: string) {
  return {
    widgets: [
      {
        type: 'metric',
        x: 0,
        y: 0,
        width: 12,
        height: 6,
        properties: {
          title,
          view: 'timeSeries',
          stat: 'Average',
          period: 60,
          region: 'us-east-1',
          metrics: [
            [NS, 'CPUUtilization', 'InstanceId', 'i-dash-0001'],
            ['.', '.', '.', 'i-dash-0002'],
          ],
          annotations: { horizontal: [{ label: 'High', value: 70 }] },
        },
      },
      { type: 'text', x: 12, y: 0, width: 12, height: 3, properties: { markdown: '# Notes\nCPU of the **dash** fleet' } },
    ],
  };
}

test.describe('CloudWatch dashboards', () => {
  test.beforeAll(async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext();
    await seed(request, baseURL!);
    await putDashboard(request, baseURL!, `api-${RUN}`, lineBody('Fleet CPU'));
    await request.dispose();
  });

  test('build a dashboard from scratch: a line and a number widget, move, resize, save, reload', async ({ page, shell }) => {
    const list = new DashboardsListPage(page);
    await list.goto();
    await shell.waitForHydration();
    const name = `scratch-${RUN}`;
    await list.createDashboard(name);
    const board = new DashboardPage(page);
    await expect(page).toHaveURL(new RegExp(`/cloudwatch/dashboards/dashboard/${name}\\?edit=1`));
    await expect(board.empty).toBeVisible();
    await shell.waitForHydration();

    await board.addMetricWidget('line', `${NS} CPUUtilization`, 2, 'CPU');
    await board.addMetricWidget('number', `${NS} Orders`, 1, 'Orders');
    await expect(board.widgets).toHaveCount(2);
    await expect(board.chart(0)).toHaveAttribute('data-view', 'timeSeries');
    await expect(board.chart(0)).toHaveAttribute('data-series', '2');
    await expect(board.chart(1)).toHaveAttribute('data-view', 'singleValue');
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('CPU');
    expect(await board.place(0)).toEqual([0, 0, 12, 6]);
    expect(await board.place(1)).toEqual([0, 6, 6, 5]);
    await expect(board.unsaved).toBeVisible();

    // The number goes up beside the line; the line grows two rows taller and narrower.
    await board.move(1, 14, -6);
    await expect.poll(() => board.place(1)).toEqual([14, 0, 6, 5]);
    await board.resize(0, -2, 2);
    await expect.poll(() => board.place(0)).toEqual([0, 0, 10, 8]);

    await board.save.click();
    await expect(board.notice).toHaveText('Dashboard saved.');
    await expect(board.unsaved).toBeHidden();
    const stored = await getDashboardBody(page.request, new URL(page.url()).origin, name);
    expect(stored.widgets.map((w: { x: number; y: number; width: number; height: number }) => [w.x, w.y, w.width, w.height])).toEqual([
      [0, 0, 10, 8],
      [14, 0, 6, 5],
    ]);

    await page.reload();
    await expect(board.widgets).toHaveCount(2);
    expect(await board.place(0)).toEqual([0, 0, 10, 8]);
    expect(await board.place(1)).toEqual([14, 0, 6, 5]);
    await expect(board.chart(1)).toHaveAttribute('data-view', 'singleValue');
    await expect(board.edit).toBeVisible();
  });

  test('edit the JSON source: validation messages name the data path, a fix applies', async ({ page, shell, baseURL }) => {
    const name = `source-${RUN}`;
    await putDashboard(page.request, baseURL!, name, lineBody('Before'));
    const board = new DashboardPage(page);
    await board.goto(name);
    await shell.waitForHydration();
    await board.edit.click();
    await board.openSource();
    const body = JSON.parse(await board.sourceText.inputValue());
    body.widgets[0].width = 'wide';
    body.widgets[1].properties = {};
    await board.sourceText.fill(JSON.stringify(body, null, 2));
    await board.sourceApply.click();
    await expect(board.validationMessages).toHaveCount(2);
    await expect(board.validationMessages.nth(0)).toContainText('/widgets/0/width');
    await expect(board.validationMessages.nth(1)).toContainText('/widgets/1/properties');
    await expect(board.validationMessages.nth(1)).toContainText('markdown');

    body.widgets[0].width = 24;
    body.widgets[0].properties.title = 'After';
    body.widgets[1] = { type: 'text', x: 0, y: 6, width: 24, height: 2, properties: { markdown: 'changed **text**' } };
    await board.sourceText.fill(JSON.stringify(body, null, 2));
    await board.sourceApply.click();
    await expect(board.sourceText).toBeHidden();
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('After');
    await expect(board.widget(1).getByTestId('widget-text')).toContainText('changed text');
    expect(await board.place(1)).toEqual([0, 6, 24, 2]);
    await board.save.click();
    await expect(board.notice).toHaveText('Dashboard saved.');
    const stored = await getDashboardBody(page.request, baseURL!, name);
    expect(stored.widgets[0].properties.title).toBe('After');
    expect(stored.widgets[0].width).toBe(24);
  });

  test('a dashboard put through the API renders its widgets; the range changes the data', async ({ page, shell }) => {
    const board = new DashboardPage(page);
    await board.goto(`api-${RUN}`, '?range=1h');
    await shell.waitForHydration();
    await expect(board.widgets).toHaveCount(2);
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('Fleet CPU');
    await expect(board.widget(1).getByTestId('widget-text').locator('h1')).toHaveText('Notes');
    await expect(board.chart(0).locator('svg')).toBeVisible();
    const hourPoints = Number(await board.chart(0).getAttribute('data-points'));
    expect(hourPoints).toBeGreaterThanOrEqual(110);
    expect(hourPoints).toBeLessThanOrEqual(122);
    const hourLabel = await board.rangeLabel.textContent();

    await board.range('12h').click();
    await expect(page).toHaveURL(/range=12h/);
    await expect.poll(async () => Number(await board.chart(0).getAttribute('data-points'))).toBeGreaterThanOrEqual(230);
    await expect(board.rangeLabel).not.toHaveText(hourLabel ?? '');
    await expect(board.range('12h')).toHaveClass(/active/);

    // Issue 9: each widget's data is the GetMetricData operation, recorded with the widget's own queries.
    const history = new EventHistoryPage(page);
    await history.goto('?attr=EventName&value=GetMetricData');
    await expect(history.rowsNamed('GetMetricData').first()).toBeVisible();
    const recorded = await history.openRecord(history.rowsNamed('GetMetricData').first());
    const queries = (recorded.requestParameters as { metricDataQueries: { metricStat?: { metric: { namespace: string } } }[] })
      .metricDataQueries;
    expect(queries.some((q) => q.metricStat?.metric.namespace === NS)).toBe(true);
    expect(recorded.readOnly).toBe(true);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    // Issue 15, point 6: each chart widget comes drawn by the server, at its place in the grid, off its runtime.
    test('the server draws every chart widget at its size', async ({ page }) => {
      const board = new DashboardPage(page);
      await board.goto(`api-${RUN}`, '?range=1h');
      await expect(board.widgets).toHaveCount(2);
      const svg = board.chart(0).locator('svg');
      await expect(svg).toBeAttached();
      const width = Number(await svg.getAttribute('width'));
      expect(width).toBe(Number(await board.chart(0).getAttribute('data-drawn-width')));
      await expect(svg.locator('polyline').first()).toBeAttached();
    });
  });

  test('drag on a chart to zoom; hover shows the values under the pointer', async ({ page, shell }) => {
    const board = new DashboardPage(page);
    await board.goto(`api-${RUN}`, '?range=1h');
    await shell.waitForHydration();
    const chart = board.chart(0);
    await expect(chart.locator('svg')).toBeVisible();
    const box = await chart.boundingBox();
    if (!box) throw new Error('no chart');
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await expect(board.readout).toBeVisible();
    await expect(board.readout.locator('.row')).toHaveCount(2);
    await expect(board.readout).toContainText('i-dash-0001');

    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 5 });
    await expect(board.zoomSelection).toBeVisible();
    await page.mouse.up();
    await expect(page).toHaveURL(/range=\d+\.\.\d+/);
    const range = new URL(page.url()).searchParams.get('range')!;
    const [start, end] = range.split('..').map(Number);
    expect(end - start).toBeGreaterThan(5 * 60_000);
    expect(end - start).toBeLessThan(25 * 60_000);
    await expect(board.range('custom')).toHaveClass(/active/);
  });

  test('rename and save as from the actions menu', async ({ page, shell, baseURL }) => {
    const name = `ren-${RUN}`;
    await putDashboard(page.request, baseURL!, name, lineBody('Renamed CPU'));
    const board = new DashboardPage(page);
    await board.goto(name);
    await shell.waitForHydration();
    await board.actions.locator('summary').click();
    await page.getByTestId('action-rename').click();
    await page.getByTestId('name-input').fill(`ren2-${RUN}`);
    await page.getByTestId('name-submit').click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/ren2-${RUN}`));
    await expect(board.title).toHaveText(`ren2-${RUN}`);
    const gone = await cloudwatchCall(page.request, baseURL!, 'GetDashboard', { DashboardName: name });
    expect(gone.status()).toBe(404);
    expect((await getDashboardBody(page.request, baseURL!, `ren2-${RUN}`)).widgets[0].properties.title).toBe('Renamed CPU');

    await board.actions.locator('summary').click();
    await page.getByTestId('action-duplicate').click();
    await page.getByTestId('name-input').fill(`ren2-${RUN}`);
    await page.getByTestId('name-submit').click();
    await expect(page.getByTestId('name-error')).toContainText('already exists');
    await page.getByTestId('name-input').fill(`copy-${RUN}`);
    await page.getByTestId('name-submit').click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/copy-${RUN}`));
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('Renamed CPU');
    expect((await getDashboardBody(page.request, baseURL!, `ren2-${RUN}`)).widgets).toHaveLength(2);
  });

  test('auto-refresh and the time zone live in the URL', async ({ page, shell }) => {
    const board = new DashboardPage(page);
    await board.goto(`api-${RUN}`);
    await shell.waitForHydration();
    await expect(board.refreshState).toHaveAttribute('data-seconds', '0');
    await board.refresh.selectOption('10s');
    await expect(page).toHaveURL(/refresh=10s/);
    await expect(board.refreshState).toHaveAttribute('data-seconds', '10');
    await expect(board.rangeLabel).toContainText('UTC');
    await page.getByTestId('tz-local').click();
    await expect(page).toHaveURL(/tz=local/);
    await page.reload();
    await expect(board.refresh).toHaveValue('10s');
    await expect(page.getByTestId('tz-local')).toHaveClass(/active/);
  });

  test('the metrics page adds its graph to a new dashboard, then another widget to the same one', async ({ page, shell, baseURL }) => {
    const name = `from-metrics-${RUN}`;
    const metrics = new MetricsPage(page);
    await metrics.goto(
      metricsQuery(['CPUUtilization~InstanceId=i-dash-0001', 'CPUUtilization~InstanceId=i-dash-0002'], [
        ['stat', 'Maximum'],
        ['period', '60'],
        ['range', '1h'],
      ]),
    );
    await expect(metrics.legendEntries).toHaveCount(2);
    await shell.waitForHydration();
    await metrics.addToDashboard.click();
    await expect(metrics.addDialog.title).toHaveValue('CPUUtilization');
    await metrics.addDialog.add({ create: name }, 'stacked', 'Fleet CPU (max)');

    await expect(page).toHaveURL((url) => url.pathname === DashboardPage.path(name) && url.searchParams.get('range') === '1h');
    const board = new DashboardPage(page);
    await expect(board.widgets).toHaveCount(1);
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('Fleet CPU (max)');
    await expect(board.chart(0)).toHaveAttribute('data-series', '2');
    // The dashboard's own picker is the only one on its page.
    await expect(page.getByTestId('time-range')).toHaveCount(1);
    await expect(board.range('1h')).toHaveClass(/active/);
    let stored = await getDashboardBody(page.request, baseURL!, name);
    expect(stored.widgets).toHaveLength(1);
    expect(stored.widgets[0]).toMatchObject({ type: 'metric', x: 0, y: 0, width: 12, height: 6 });
    expect(stored.widgets[0].properties).toMatchObject({
      view: 'timeSeries',
      stacked: true,
      stat: 'Maximum',
      period: 60,
      region: 'us-east-1',
      title: 'Fleet CPU (max)',
      metrics: [
        [NS, 'CPUUtilization', 'InstanceId', 'i-dash-0001'],
        [NS, 'CPUUtilization', 'InstanceId', 'i-dash-0002'],
      ],
    });

    // A second graph goes under the first, on the dashboard chosen from the list.
    await metrics.goto(metricsQuery(['Orders']));
    await shell.waitForHydration();
    await metrics.addToDashboard.click();
    await metrics.addDialog.add({ into: name }, 'number');
    await expect(page).toHaveURL((url) => url.pathname === DashboardPage.path(name));
    await expect(board.widgets).toHaveCount(2);
    await expect(board.widget(1).getByTestId('widget-title')).toHaveText('Orders');
    stored = await getDashboardBody(page.request, baseURL!, name);
    expect(stored.widgets[1]).toMatchObject({ x: 0, y: 6, width: 6, height: 5 });
    expect(stored.widgets[1].properties).toMatchObject({ view: 'singleValue', stat: 'Average', period: 300 });

    // A name already taken is refused, and nothing changes.
    await metrics.goto(metricsQuery(['Orders']));
    await shell.waitForHydration();
    await metrics.addToDashboard.click();
    await metrics.addDialog.add({ create: name }, 'line');
    await expect(metrics.addDialog.error).toContainText('already exists');
    await page.keyboard.press('Escape');
    await expect(metrics.addDialog.root).toHaveCount(0);
    expect((await getDashboardBody(page.request, baseURL!, name)).widgets).toHaveLength(2);
  });

  test('the list finds, opens and deletes dashboards; namespaces have automatic dashboards', async ({ page, shell, baseURL }) => {
    await putDashboard(page.request, baseURL!, `gone-${RUN}`, { widgets: [] });
    const list = new DashboardsListPage(page);
    await list.goto(`?q=${RUN}`);
    await shell.waitForHydration();
    await expect(list.row(`api-${RUN}`)).toBeVisible();
    await expect(list.row(`gone-${RUN}`)).toBeVisible();
    await list.search.fill(`gone-${RUN}`);
    await expect(page).toHaveURL(new RegExp(`q=gone-${RUN}`));
    await expect(list.rows).toHaveCount(1);
    await list.row(`gone-${RUN}`).getByTestId('dashboard-select').check();
    await list.deleteButton.click();
    await list.deleteConfirm.click();
    await expect(list.empty).toBeVisible();

    await list.search.fill('');
    const automatic = list.automaticLinks.filter({ hasText: NS });
    await expect(automatic).toHaveCount(1);
    await automatic.click();
    const board = new DashboardPage(page);
    await expect(board.title).toContainText('(automatic dashboard)');
    await expect(board.charts).toHaveCount(2);
    await expect(board.edit).toBeHidden();
    await expect(page.getByTestId('save-as')).toBeVisible();
  });
});

// Issue 9: the account a page shows is the account its writes go to. An admin looking at another account creates,
// saves and deletes that account's dashboards, never their own account's.
test.describe('CloudWatch dashboards in another account', () => {
  test('an admin creates and deletes a dashboard in the account the page shows', async ({ page, shell, baseURL }) => {
    const name = `other-${RUN}`;
    const inOther = (operation: string, payload: unknown) =>
      cloudwatchCall(page.request, baseURL!, operation, payload, 'us-east-1', OTHER_ACCOUNT_KEY);
    const list = new DashboardsListPage(page);
    await list.goto(`?account=${OTHER_ACCOUNT}`);
    await shell.waitForHydration();
    await list.createDashboard(name);
    await expect(page).toHaveURL(new RegExp(`/cloudwatch/dashboards/dashboard/${name}\\?.*account=${OTHER_ACCOUNT}`));
    const created = await inOther('GetDashboard', { DashboardName: name });
    expect(created.status(), await created.text()).toBe(200);
    const mine = await cloudwatchCall(page.request, baseURL!, 'GetDashboard', { DashboardName: name });
    expect(mine.status(), 'nothing is written to the admin\'s own account').toBe(404);

    // The console's save is recorded as the API call is: PutDashboard with CloudTrail's lower-camel parameters, in
    // the account it wrote to.
    const history = new EventHistoryPage(page);
    await history.goto(`?account=${OTHER_ACCOUNT}&attr=EventName&value=PutDashboard`);
    const put = await history.openRecord(history.rowsNamed('PutDashboard').first());
    expect(put.requestParameters).toMatchObject({ dashboardName: name });
    expect(put.recipientAccountId).toBe(OTHER_ACCOUNT);
    expect(put.readOnly).toBe(false);

    await list.goto(`?account=${OTHER_ACCOUNT}`);
    await shell.waitForHydration();
    await list.row(name).getByTestId('dashboard-select').check();
    await list.deleteButton.click();
    await list.deleteConfirm.click();
    await expect(list.row(name)).toHaveCount(0);
    expect((await inOther('GetDashboard', { DashboardName: name })).status()).toBe(404);
  });
});

test.describe('CloudWatch dashboards as a viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('a viewer sees a dashboard but saving is refused', async ({ page, shell, baseURL }) => {
    const name = `viewer-${RUN}`;
    await putDashboard(page.request, baseURL!, name, lineBody('Viewer CPU'));
    const board = new DashboardPage(page);
    await board.goto(name);
    await shell.waitForHydration();
    await expect(board.widget(0).getByTestId('widget-title')).toHaveText('Viewer CPU');
    await board.edit.click();
    await board.move(1, 0, 2);
    await board.save.click();
    await expect(board.notice).toContainText('AccessDenied');
    const stored = await getDashboardBody(page.request, baseURL!, name);
    expect(stored.widgets[1].y).toBe(0);
  });

  test('a viewer cannot add a graph to a dashboard from the metrics page', async ({ page, shell, baseURL }) => {
    const name = `viewer-${RUN}-add`;
    await putDashboard(page.request, baseURL!, name, lineBody('Viewer CPU'));
    const metrics = new MetricsPage(page);
    await metrics.goto(metricsQuery(['Orders']));
    await shell.waitForHydration();
    await metrics.addToDashboard.click();
    await metrics.addDialog.add({ into: name }, 'line');
    await expect(metrics.addDialog.error).toContainText('AccessDenied');
    expect((await getDashboardBody(page.request, baseURL!, name)).widgets).toHaveLength(2);
  });
});
