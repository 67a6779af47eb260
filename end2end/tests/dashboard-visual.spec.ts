import { DashboardPage, putDashboard } from './fixtures/dashboards-page';
import { putMetricData, type Datum } from './fixtures/metrics-page';
import { expect, test } from './fixtures/console';

// Visual baselines: one screenshot per chart type and theme, compared with a tolerance. The data are a pure
// function of the minute of yesterday (UTC) and the dashboard shows exactly yesterday in UTC, so the pictures
// (axis labels included) are the same on any day. Update with `npx playwright test dashboard-visual --update-snapshots`.
const RUN = Date.now().toString(36);
const NS = `E2E/Visual${RUN}`;
const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const yesterday = today - DAY_MS;
const SERVICES = ['gateway', 'orders', 'payments', 'search'];

/** One point every five minutes of yesterday for each service: a daily curve with a lunchtime bump. */
function data(): Datum[] {
  const out: Datum[] = [];
  for (let minute = 0; minute < 1440; minute += 5) {
    const Timestamp = (yesterday + minute * 60_000) / 1000;
    const day = Math.sin(((minute - 360) / 1440) * 2 * Math.PI);
    const lunch = Math.exp(-(((minute - 750) / 60) ** 2));
    SERVICES.forEach((service, i) => {
      const Dimensions = [{ Name: 'Service', Value: service }];
      out.push({ MetricName: 'Requests', Dimensions, Timestamp, Value: Math.round((4 - i) * (120 + 80 * day + 60 * lunch)), Unit: 'Count' });
      out.push({ MetricName: 'CPU', Dimensions, Timestamp, Value: Math.round((35 + 10 * i + 20 * day + 15 * lunch) * 10) / 10, Unit: 'Percent' });
    });
  }
  return out;
}

function rows(metric: string, count: number) {
  return SERVICES.slice(0, count).map((service) => [NS, metric, 'Service', service, { label: service }]);
}

const VIEWS: Record<string, Record<string, unknown>> = {
  line: { view: 'timeSeries', stat: 'Average', metrics: rows('CPU', 3), annotations: { horizontal: [{ label: 'High', value: 70, fill: 'above' }] } },
  stacked: { view: 'timeSeries', stacked: true, stat: 'Sum', metrics: rows('Requests', 3) },
  number: { view: 'singleValue', sparkline: true, stat: 'Average', metrics: rows('CPU', 2) },
  gauge: {
    view: 'gauge',
    stat: 'Maximum',
    metrics: rows('CPU', 1),
    yAxis: { left: { min: 0, max: 100 } },
    annotations: { horizontal: [{ value: 80, color: '#d13212', label: 'Hot' }] },
  },
  bar: { view: 'bar', stat: 'Sum', setPeriodToTimeRange: true, metrics: rows('Requests', 4) },
  pie: { view: 'pie', stat: 'Sum', setPeriodToTimeRange: true, metrics: rows('Requests', 4) },
  table: { view: 'table', stat: 'Sum', period: 3600, metrics: rows('Requests', 3), table: { summaryColumns: ['SUM', 'MAX'] } },
};

test.describe('dashboard chart baselines', () => {
  const name = `visual-${RUN}`;
  test.use({ viewport: { width: 1400, height: 1000 } });

  test.beforeAll(async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext();
    await putMetricData(request, baseURL!, NS, data());
    const widgets = Object.entries(VIEWS).map(([title, properties], i) => ({
      type: 'metric',
      x: (i % 3) * 8,
      y: Math.floor(i / 3) * 6,
      width: 8,
      height: 6,
      properties: { title, period: 300, region: 'us-east-1', ...properties },
    }));
    const iso = (ms: number) => new Date(ms).toISOString();
    await putDashboard(request, baseURL!, name, { start: iso(yesterday), end: iso(today), periodOverride: 'inherit', widgets });
    await request.dispose();
  });

  for (const theme of ['light', 'dark']) {
    test(`every chart type in the ${theme} theme`, async ({ page, shell }) => {
      const board = new DashboardPage(page);
      await board.goto(name);
      await shell.waitForHydration();
      await shell.toggleThemeTo(theme);
      await expect(board.charts).toHaveCount(Object.keys(VIEWS).length);
      await board.waitForChartsDrawn(theme);
      await expect(board.rangeLabel).toContainText('00:00 UTC');
      for (const [i, view] of Object.keys(VIEWS).entries()) {
        const widget = board.widget(i);
        await expect(widget.getByTestId('widget-chart').locator('svg')).toBeVisible();
        await expect(widget).toHaveScreenshot(`${view}-${theme}.png`, { maxDiffPixelRatio: 0.01, animations: 'disabled' });
      }
    });
  }
});
