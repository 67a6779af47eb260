import { expect, test } from './fixtures/console';
import { ServiceMapPage, TracePage, TracesPage, seedShop } from './fixtures/xray-page';

// Every test seeds its own shop with service names unique to the run, so the spec does not depend on other data.
const RUN = Date.now().toString(36);

test.describe('x-ray', () => {
  test('the service map draws the services, and a node opens its histogram and traces', async ({ page, request, baseURL }) => {
    const shop = await seedShop(request, baseURL!, `map${RUN}`);
    const map = new ServiceMapPage(page);
    await map.waitForNode(shop.payments, '?range=15m');
    for (const name of [shop.gateway, shop.orders, shop.payments, shop.inventory, shop.table]) {
      await expect(map.node(name)).toBeVisible();
    }
    await expect(map.clients(shop.gateway)).toBeVisible();
    await expect(map.node(shop.payments).locator('[data-class="fault"]')).toHaveCount(1);
    await expect(map.node(shop.table)).toHaveAttribute('data-kind', 'AWS::DynamoDB::Table');
    await expect(map.edge(shop.orders, shop.payments)).toHaveCount(1);

    await map.node(shop.payments).click();
    await expect(page).toHaveURL((url) => (url.searchParams.get('sel') ?? '').endsWith(`|${shop.payments}`));
    await expect(map.panelTitle).toHaveText(shop.payments);
    await expect(map.panel.getByTestId('stat-fault')).toHaveText('1');
    await expect(map.panel.getByTestId('stat-total')).toHaveText('2');
    expect(await map.histogramBars.count()).toBeGreaterThan(0);
    await expect(map.panelFilter).toHaveText(`service("${shop.payments}")`);
    await expect(map.panelTraces).toHaveCount(2);

    // An edge, from the keyboard.
    await map.edge(shop.orders, shop.inventory).focus();
    await page.keyboard.press('Enter');
    await expect(map.panel).toHaveAttribute('data-kind', 'edge');
    await expect(map.panelFilter).toHaveText(`edge("${shop.orders}", "${shop.inventory}")`);
    await expect(map.panelTraces).toHaveCount(2);

    // Zoom changes the view; reset brings it back.
    await map.zoomIn.click();
    await expect(map.viewport).not.toHaveAttribute('transform', /scale\(1\.0000\)/);
    await map.reset.click();
    await expect(map.viewport).toHaveAttribute('transform', 'translate(0.00 0.00) scale(1.0000)');

    // A trace of the panel opens its timeline.
    await map.node(shop.payments).click();
    await map.panelTraces.getByTestId('trace-link').first().click();
    const trace = new TracePage(page);
    await expect(trace.waterfall).toBeVisible();
    await expect(page).toHaveURL(/\/xray\/traces\/1-/);
  });

  test('the timeline shows segments and subsegments, the fault, the exception stack and annotations', async ({ page, request, baseURL }) => {
    const shop = await seedShop(request, baseURL!, `tl${RUN}`);
    const traces = new TracesPage(page);
    await traces.waitForRows(`?range=15m&filter=${encodeURIComponent(`annotation.run = "${shop.run}"`)}`, 2);
    await traces.row(shop.faultTrace).getByTestId('trace-link').click();
    const trace = new TracePage(page);
    await expect(page).toHaveURL((url) => url.pathname === `/xray/traces/${shop.faultTrace}`);
    await expect(trace.waterfall).toBeVisible();
    // 4 segments and 4 subsegments (the call to orders, DynamoDB, payments, inventory).
    await expect(trace.rows).toHaveCount(8);
    const names = await trace.rows.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-depth')} ${r.getAttribute('data-name')}`));
    expect(names.slice(0, 3)).toEqual([`0 ${shop.gateway}`, `1 ${shop.orders}`, `2 ${shop.orders}`]);
    await expect(trace.row(shop.payments)).toHaveAttribute('data-health', 'fault');
    await expect(trace.row(shop.payments).getByTestId('marker-fault')).toBeVisible();
    await expect(trace.row(shop.inventory)).toHaveAttribute('data-health', 'ok');
    await expect(trace.map.getByTestId('map-node')).toHaveCount(6);

    await trace.row(shop.payments).click();
    await expect(page).toHaveURL((url) => url.searchParams.has('span'));
    await expect(trace.detail).toContainText('PaymentDeclined');
    await expect(trace.detail).toContainText('card declined by issuer');
    await expect(trace.stackFrames).toHaveText(['charge (payments/charge.py:42)', 'handle (payments/api.py:17)']);
    await expect(trace.annotations).toHaveText([/provider\s*stripe/]);

    // From the keyboard: the gateway's annotations; a subsegment's AWS call; the orders metadata.
    await trace.row(shop.gateway).focus();
    await page.keyboard.press('Enter');
    await expect(trace.annotations).toHaveCount(2);
    await expect(trace.annotations.filter({ hasText: 'customer' })).toContainText('acme');
    await trace.row('DynamoDB', false).click();
    await expect(trace.aws).toContainText('GetItem');
    await trace.row(shop.orders).click();
    await expect(trace.metadata).toContainText('"items": 3');
  });

  test('the trace list filters by expression and shows a refused one', async ({ page, request, baseURL }) => {
    const shop = await seedShop(request, baseURL!, `list${RUN}`);
    const traces = new TracesPage(page);
    const mine = `annotation.run = "${shop.run}"`;
    await traces.waitForRows(`?range=15m&filter=${encodeURIComponent(mine)}`, 2);
    await expect(traces.histogram).toBeVisible();
    await expect(traces.row(shop.faultTrace).getByTestId('marker-fault')).toBeVisible();
    await expect(traces.row(shop.okTrace).getByTestId('marker-fault')).toHaveCount(0);

    await traces.search(`${mine} AND fault`);
    await expect(page).toHaveURL((url) => url.searchParams.get('filter') === `${mine} AND fault`);
    await expect(traces.rows).toHaveCount(1);
    await expect(traces.rows.first()).toHaveAttribute('data-trace-id', shop.faultTrace);

    await traces.search(`service("${shop.inventory}") AND annotation.customer = "globex"`);
    await expect(traces.rows).toHaveCount(1);
    await expect(traces.rows.first()).toHaveAttribute('data-trace-id', shop.okTrace);

    await traces.search('responsetime >');
    await expect(traces.error).toContainText('InvalidRequestException');
    await expect(traces.error).toContainText('Invalid filter expression');
    await expect(traces.rows).toHaveCount(0);
  });
});
