import * as path from 'node:path';

import { expect, test } from './fixtures/console';
import { AlarmPage, AlarmsPage, TopicsPage, putCpu, putCpuAlarm } from './fixtures/alarms-page';
import { encodeMetric, MetricsPage, seedShop } from './fixtures/metrics-page';
import { ServiceMapPage, TracePage, TracesPage, seedShop as seedTraces } from './fixtures/xray-page';

// Kept under test-results (gitignored) so they are never committed; Playwright empties it at each run start.
const dir = path.join(__dirname, '..', 'test-results', 'screenshots');

test.describe('screenshots', () => {
  // The theme comes from the skywatch_theme cookie, which the server reads too: setting it renders the dark
  // theme without depending on the wasm toggle (hydration.spec.ts covers the toggle).
  async function useTheme(context: import('@playwright/test').BrowserContext, baseURL: string, theme: 'light' | 'dark') {
    await context.addCookies([{ name: 'skywatch_theme', value: theme, url: baseURL, sameSite: 'Strict' }]);
  }

  test('home and event history, light and dark', async ({ page, shell, eventHistory, context, baseURL }) => {
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(context, baseURL!, theme);

      await page.goto('/');
      await expect(shell.title).toHaveText('Console home');
      await expect(shell.root).toHaveAttribute('data-theme', theme);
      await page.screenshot({ path: path.join(dir, `home-${theme}.png`), fullPage: true });

      await eventHistory.goto();
      await expect(eventHistory.rows.first()).toBeVisible();
      await expect(shell.root).toHaveAttribute('data-theme', theme);
      await page.screenshot({ path: path.join(dir, `event-history-${theme}.png`), fullPage: true });

      const record = await eventHistory.openRecord(eventHistory.rows.first());
      expect(record.eventID).toBeTruthy();
      await page.screenshot({ path: path.join(dir, `event-history-record-${theme}.png`), fullPage: true });
    }
  });

  test('all metrics with two graphed metrics, light and dark', async ({ page, shell, context, baseURL, playwright }) => {
    const ns = `Screenshots/Shop${Date.now().toString(36)}`;
    const request = await playwright.request.newContext();
    await seedShop(request, baseURL!, ns);
    await request.dispose();
    const m = ['i-e2e-0001', 'i-e2e-0002'].map((id) => encodeMetric(ns, 'CPUUtilization', { InstanceId: id }));
    const query = `?range=1h&ns=${encodeURIComponent(ns)}&dims=InstanceId&${m.map((v) => `m=${encodeURIComponent(v)}`).join('&')}`;
    const metrics = new MetricsPage(page);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(context, baseURL!, theme);
      await metrics.goto(query);
      await expect(shell.root).toHaveAttribute('data-theme', theme);
      await expect(metrics.legendEntries).toHaveCount(2);
      await expect(metrics.metricRows).toHaveCount(4);
      await page.screenshot({ path: path.join(dir, `metrics-${theme}.png`), fullPage: true });
    }
  });

  test('alarms, an alarm and a topic, light and dark', async ({ page, context, baseURL, request }) => {
    const ns = `Screenshots/Alarms${Date.now().toString(36)}`;
    await putCpu(request, baseURL!, ns, 93);
    await putCpuAlarm(request, baseURL!, 'cpu-high-web-1', ns, 80, { AlarmDescription: 'CPU above 80%' });
    await putCpuAlarm(request, baseURL!, 'cpu-very-high-web-1', ns, 95);
    const alarms = new AlarmsPage(page);
    const alarm = new AlarmPage(page);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(context, baseURL!, theme);
      await alarms.goto();
      await page.screenshot({ path: path.join(dir, `alarms-${theme}.png`), fullPage: true });
      await alarm.goto('cpu-high-web-1', '?range=1h');
      await page.screenshot({ path: path.join(dir, `alarm-${theme}.png`), fullPage: true });
      const topics = new TopicsPage(page);
      await topics.goto();
      await page.screenshot({ path: path.join(dir, `topics-${theme}.png`), fullPage: true });
    }
  });

  test('x-ray service map, traces and a timeline, light and dark', async ({ page, context, baseURL, request }) => {
    const run = `shots${Date.now().toString(36)}`;
    const shop = await seedTraces(request, baseURL!, run);
    const map = new ServiceMapPage(page);
    await map.waitForNode(shop.payments, '?range=15m');
    const traces = new TracesPage(page);
    const trace = new TracePage(page);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(context, baseURL!, theme);
      await map.goto('?range=15m');
      await page.screenshot({ path: path.join(dir, `xray-map-${theme}.png`), fullPage: true });
      await map.node(shop.payments).click();
      await expect(map.panelTraces.first()).toBeVisible();
      await page.screenshot({ path: path.join(dir, `xray-map-node-${theme}.png`), fullPage: true });
      await traces.goto('?range=15m');
      await expect(traces.rows.first()).toBeVisible();
      await page.screenshot({ path: path.join(dir, `xray-traces-${theme}.png`), fullPage: true });
      await trace.goto(shop.faultTrace);
      await trace.row(shop.payments).click();
      await expect(trace.detail).toBeVisible();
      await page.screenshot({ path: path.join(dir, `xray-trace-${theme}.png`), fullPage: true });
    }
  });
});
