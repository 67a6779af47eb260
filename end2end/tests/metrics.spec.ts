import { encodeMetric, MetricsPage, seedShop } from './fixtures/metrics-page';
import { ConsoleShell } from './fixtures/console-shell';
import { EventHistoryPage } from './fixtures/event-history-page';
import { expect, test } from './fixtures/console';

// Every run seeds its own namespace through the real API, so the spec does not depend on other data.
const NS = `E2E/Shop${Date.now().toString(36)}`;
const cpu1 = encodeMetric(NS, 'CPUUtilization', { InstanceId: 'i-e2e-0001' });
const cpu2 = encodeMetric(NS, 'CPUUtilization', { InstanceId: 'i-e2e-0002' });
const net1 = encodeMetric(NS, 'NetworkIn', { InstanceId: 'i-e2e-0001' });
const BLUE = '#1F77B4';
const ORANGE = '#FF7F0E';
/** The page with the two CPU metrics graphed. */
const graphedQuery = (extra = '') =>
  `?ns=${encodeURIComponent(NS)}&dims=InstanceId&m=${encodeURIComponent(cpu1)}&m=${encodeURIComponent(cpu2)}${extra}`;

test.describe('CloudWatch all metrics', () => {
  test.beforeAll(async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext();
    await seedShop(request, baseURL!, NS);
    await request.dispose();
  });

  test('browse a namespace and a dimension set, graph two metrics', async ({ page, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto();
    await shell.waitForHydration();
    await expect(metrics.graphEmpty).toBeVisible();
    await expect(metrics.crumbAll).toHaveText('All metrics');
    await expect(metrics.namespaceCard(NS).getByTestId('namespace-count')).toHaveText('6');

    await metrics.openNamespace(NS);
    await expect(metrics.dimensionSets).toHaveCount(3);
    await expect(metrics.dimensionSet(['InstanceId']).getByTestId('dimension-set-count')).toHaveText('4');
    await expect(metrics.dimensionSet(['AutoScalingGroupName']).getByTestId('dimension-set-count')).toHaveText('1');
    await expect(metrics.dimensionSet([])).toContainText('Metrics with no dimensions');

    await metrics.openDimensionSet(['InstanceId']);
    await expect(metrics.crumbDimensions).toHaveText('InstanceId');
    await expect(metrics.metricRows).toHaveCount(4);
    await expect(metrics.page.getByTestId('metrics-table').locator('thead th')).toHaveText([
      'Graph',
      'InstanceId',
      'Metric name',
      'Unit',
    ]);
    await expect(metrics.metricRow(cpu1).locator('td')).toHaveText(['', 'i-e2e-0001', 'CPUUtilization', 'Percent']);

    await metrics.checkbox(cpu1).check();
    await expect(page).toHaveURL(() => metrics.graphedInUrl().length === 1);
    await metrics.checkbox(cpu2).check();
    await expect(page).toHaveURL(() => metrics.graphedInUrl().join(' ') === `${cpu1} ${cpu2}`);
    await expect(metrics.checkbox(cpu1)).toBeChecked();
    await expect(metrics.metricRow(cpu1)).toHaveClass(/selected/);
    await expect(metrics.checkbox(net1)).not.toBeChecked();

    await expect(metrics.legendEntries).toHaveCount(2);
    await expect(metrics.legendEntries).toHaveText(['i-e2e-0001 CPUUtilization', 'i-e2e-0002 CPUUtilization']);
    await expect(metrics.lines(BLUE)).not.toHaveCount(0);
    await expect(metrics.lines(ORANGE)).not.toHaveCount(0);
    await expect(metrics.graphSvg.locator('polyline[stroke="#2CA02C"]')).toHaveCount(0);
    await expect(page.getByTestId('graphed-count')).toHaveText('(2)');

    // The breadcrumbs lead back up; the selection stays.
    await metrics.crumbNamespace.click();
    await expect(metrics.dimensionSets).toHaveCount(3);
    await metrics.crumbAll.click();
    await expect(metrics.namespaceCard(NS)).toBeVisible();
    expect(metrics.graphedInUrl()).toEqual([cpu1, cpu2]);
    await expect(metrics.legendEntries).toHaveCount(2);
  });

  test('statistic and period land in the URL and redraw the graph', async ({ page, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(graphedQuery());
    await shell.waitForHydration();
    await expect(metrics.statistic).toHaveValue('Average');
    await expect(metrics.period).toHaveValue('');
    await expect(metrics.graphSummary).toHaveText('Average · 10 seconds (auto)');
    const before = await metrics.graphMarkup();

    await metrics.selectStatistic('Maximum');
    await expect(metrics.graphSummary).toHaveText('Maximum · 10 seconds (auto)');
    await expect.poll(() => metrics.graphMarkup()).not.toBe(before);

    const maximum = await metrics.graphMarkup();
    await metrics.selectPeriod(300);
    await expect(metrics.graphSummary).toHaveText('Maximum · 5 minutes');
    await expect.poll(() => metrics.graphMarkup()).not.toBe(maximum);
    await expect(metrics.lines(BLUE)).not.toHaveCount(0);

    // The time range of the top bar redraws it too.
    const fiveMinutes = await metrics.graphMarkup();
    await shell.chooseRange('1d');
    await expect(page).toHaveURL((url) => url.searchParams.get('range') === '1d' && url.searchParams.get('period') === '300');
    await expect(page.getByTestId('graph-range')).toHaveText('Last 1d · UTC');
    await expect.poll(() => metrics.graphMarkup()).not.toBe(fiveMinutes);
    expect(metrics.graphedInUrl()).toEqual([cpu1, cpu2]);

    await metrics.selectPeriod('auto');
    await expect(metrics.graphSummary).toHaveText('Maximum · 1 minute (auto)');
  });

  test('a copied URL shows the same selection and graph, rendered by the server', async ({ page, context, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(graphedQuery('&stat=p90&period=60&range=1h'));
    await shell.waitForHydration();
    await expect(metrics.legendEntries).toHaveCount(2);
    const url = page.url();

    const copy = new MetricsPage(await context.newPage());
    const errors: string[] = [];
    copy.page.on('pageerror', (e) => errors.push(e.message));
    copy.page.on('console', (m) => {
      if (m.type() === 'error' || /hydrat/i.test(m.text())) errors.push(m.text());
    });
    await copy.page.goto(url);
    await copy.expectLoaded();
    await expect(copy.statistic).toHaveValue('p90');
    await expect(copy.period).toHaveValue('60');
    await expect(copy.legendEntries).toHaveText(['i-e2e-0001 CPUUtilization', 'i-e2e-0002 CPUUtilization']);
    await expect(copy.crumbDimensions).toHaveText('InstanceId');
    await expect(copy.checkbox(cpu1)).toBeChecked();
    await expect(copy.checkbox(cpu2)).toBeChecked();
    await expect(copy.lines(BLUE)).not.toHaveCount(0);
    await expect(copy.lines(ORANGE)).not.toHaveCount(0);
    await new ConsoleShell(copy.page).waitForHydration();
    expect(errors, 'no script errors or hydration warnings').toEqual([]);

    // The server's HTML already holds the graph (no scripts needed to see it).
    const html = await (await page.request.get(url)).text();
    expect(html).toContain('data-testid="metrics-graph"');
    expect(html).toMatch(new RegExp(`<polyline[^>]*stroke="${BLUE}"`));
    expect(html).toMatch(new RegExp(`<polyline[^>]*stroke="${ORANGE}"`));
    expect(html.match(/data-testid="legend-entry"/g)).toHaveLength(2);
  });

  test('the Graphed metrics tab lists the selection and removes a metric', async ({ page, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(graphedQuery('&stat=p99'));
    await shell.waitForHydration();
    await metrics.tabGraphed.click();
    await expect(page).toHaveURL((url) => url.searchParams.get('tab') === 'graphed');
    await expect(metrics.graphedRows).toHaveCount(2);
    const first = metrics.graphedRows.first();
    await expect(first.getByTestId('graphed-label')).toHaveText('i-e2e-0001 CPUUtilization');
    await expect(first.getByTestId('graphed-statistic')).toHaveText('p99');
    await expect(first.getByTestId('graphed-period')).toHaveText('Auto');

    await first.getByTestId('graphed-remove').click();
    await expect(metrics.graphedRows).toHaveCount(1);
    await expect(page).toHaveURL(() => metrics.graphedInUrl().join(' ') === cpu2);
    await expect(metrics.legendEntries).toHaveCount(1);
    await metrics.graphedRows.first().getByTestId('graphed-remove').click();
    await expect(metrics.graphedEmpty).toBeVisible();
    await expect(metrics.graphEmpty).toBeVisible();

    await metrics.tabBrowse.click();
    await expect(metrics.metricRows).toHaveCount(4);
  });

  test('search filters at every level', async ({ page, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto();
    await shell.waitForHydration();

    // From the top: the dimension sets that hold a match, across namespaces (the namespace is a word of the
    // search too, since a retried worker seeds another namespace).
    await metrics.search.fill(`i-e2e-0002 ${NS}`);
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === `i-e2e-0002 ${NS}`);
    await expect(metrics.dimensionSets).toHaveCount(1);
    await expect(metrics.dimensionSet(['InstanceId'], NS).getByTestId('dimension-set-count')).toHaveText('2');

    // Within a set: only matching rows; every word must match.
    await metrics.goto(`?ns=${encodeURIComponent(NS)}&dims=InstanceId`);
    await shell.waitForHydration();
    await metrics.search.fill('network');
    await expect(metrics.metricRows).toHaveCount(2);
    await metrics.search.fill('network 0001');
    await expect(metrics.metricRows).toHaveCount(1);
    await expect(metrics.metricRow(net1)).toBeVisible();

    await metrics.search.fill('no-such-metric-anywhere');
    await expect(metrics.noMatch).toBeVisible();
    await expect(metrics.noMatch).toContainText('no-such-metric-anywhere');
    await page.getByTestId('search-clear').click();
    await expect(metrics.metricRows).toHaveCount(4);
    await expect(page).toHaveURL((url) => !url.searchParams.has('q'));
  });

  test('the / key focuses the search, and Enter searches', async ({ page, shell }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(`?ns=${encodeURIComponent(NS)}`);
    await shell.waitForHydration();
    // Focus the page, not a field, by clicking its title: a fixed point could land on a menu link as the menu grows.
    await shell.title.click();
    await page.keyboard.press('/');
    await expect(metrics.search).toBeFocused();
    await page.keyboard.type('orders');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'orders');
    await expect(metrics.dimensionSets).toHaveCount(1);
    await expect(metrics.dimensionSet([])).toBeVisible();
  });

  test('empty states: a fresh namespace, a region without metrics, no data in the range', async ({ page }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(`?ns=${encodeURIComponent(`${NS}-fresh`)}`);
    await expect(metrics.namespaceEmpty).toBeVisible();
    await expect(metrics.namespaceEmpty).toContainText(`${NS}-fresh`);

    await metrics.goto('?region=ap-southeast-2');
    await expect(metrics.empty).toBeVisible();
    await expect(metrics.emptyCommand).toContainText('cloudwatch put-metric-data');
    await expect(metrics.emptyCommand).toContainText('--region ap-southeast-2');

    // A range long before the data: the graph is drawn, and says there is no data.
    await metrics.goto(graphedQuery('&range=1600000000000..1600003600000'));
    await expect(metrics.graphNoData).toBeVisible();
    await expect(metrics.legendEntries).toHaveCount(2);
    await expect(metrics.graphSvg.locator('polyline')).toHaveCount(0);

    // Hostile parameters never break the page.
    const response = await page.goto(
      `${MetricsPage.path}?m=%25%25~~&m=${'x'.repeat(3000)}&dims=%FF&stat=%00&period=abc&show=-1&ns=!`,
    );
    expect(response?.status()).toBe(200);
    await expect(metrics.graphEmpty).toBeVisible();
  });

  test('the dark theme draws the chart on a dark background, and the toggle redraws it', async ({
    page,
    shell,
    context,
    baseURL,
  }) => {
    await context.addCookies([{ name: 'skywatch_theme', value: 'dark', url: baseURL!, sameSite: 'Strict' }]);
    const metrics = new MetricsPage(page);
    await metrics.goto(graphedQuery());
    await expect(shell.root).toHaveAttribute('data-theme', 'dark');
    await expect(metrics.graph).toHaveAttribute('data-chart-theme', 'dark');
    await expect(metrics.graphSvg.locator('rect[fill="#0F1B2A"]').first()).toBeAttached();

    await shell.toggleThemeTo('light');
    await expect(metrics.graph).toHaveAttribute('data-chart-theme', 'light');
    await expect(metrics.graphSvg.locator('rect[fill="#FFFFFF"]').first()).toBeAttached();
    await expect(metrics.graphSvg.locator('rect[fill="#0F1B2A"]')).toHaveCount(0);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    // Issue 15, point 6: the server draws a page's first charts with their data, off its async runtime; its
    // components never draw. Without scripts the chart is there only if that drawing fits the page as rendered.
    for (const theme of ['light', 'dark'] as const) {
      test(`the server draws the graph in the ${theme} theme`, async ({ page, context, baseURL }) => {
        await context.addCookies([{ name: 'skywatch_theme', value: theme, url: baseURL!, sameSite: 'Strict' }]);
        const metrics = new MetricsPage(page);
        await metrics.goto(graphedQuery());
        await expect(metrics.graph).toHaveAttribute('data-chart-theme', theme);
        await expect(metrics.lines(BLUE)).not.toHaveCount(0);
        await expect(metrics.lines(ORANGE)).not.toHaveCount(0);
        const background = theme === 'dark' ? '#0F1B2A' : '#FFFFFF';
        await expect(metrics.graphSvg.locator(`rect[fill="${background}"]`).first()).toBeAttached();
      });
    }
  });

  test("the graph's reads are recorded as GetMetricData and ListMetrics", async ({ page }) => {
    const metrics = new MetricsPage(page);
    await metrics.goto(graphedQuery('&region=eu-west-1'));
    const history = new EventHistoryPage(page);
    for (const name of ['GetMetricData', 'ListMetrics']) {
      await history.goto(`?region=eu-west-1&attr=EventName&value=${name}`);
      const row = history.rowsNamed(name).first();
      await expect(row).toBeVisible();
      await expect(history.cells(row).nth(3)).toHaveText('monitoring.amazonaws.com');
    }
  });

  test.describe('as viewer', () => {
    test.use({ signedInAs: 'viewer' });

    test('a viewer browses and graphs (the page only reads)', async ({ page, shell }) => {
      const metrics = new MetricsPage(page);
      await metrics.goto(`?ns=${encodeURIComponent(NS)}&dims=InstanceId`);
      await shell.waitForHydration();
      await metrics.checkbox(cpu1).check();
      await expect(metrics.legendEntries).toHaveCount(1);
      await expect(metrics.lines(BLUE)).not.toHaveCount(0);
      await expect(page.getByTestId('graph-error')).toHaveCount(0);
    });
  });
});
