// Dashboard speed, end to end (not a test: it measures, it does not assert). Against a running release server
// with `--auth none` at BASE (default http://127.0.0.1:4578), it seeds 60 series with a week of one-minute data,
// puts a dashboard of 12 metric widgets × 5 series, then measures:
//   * server: the dashboard page rendered on the server (GET, SSR with every widget's data and SVG), and the
//     dashboard_render server function alone (data only), sequential requests, median and p90;
//   * browser: after a range change (1w <-> 3d), the time from the render response's arrival to the last widget's
//     new SVG in the DOM (the redraw), and from the click to that moment (the whole change), in Chromium.
// Usage: node end2end/bench/dashboard.mjs [RUNS]   (scripts/bench-dashboard starts the server and runs this)
import { chromium } from '@playwright/test';

const BASE = process.env.BASE ?? 'http://127.0.0.1:4578';
const RUNS = Number(process.argv[2] ?? 20);
const NS = 'Bench/Dash';
const WIDGETS = 12;
const SERIES = 5;

async function cloudwatch(operation, payload) {
  const response = await fetch(`${BASE}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
    },
    body: JSON.stringify(payload),
  });
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function seed() {
  const now = Math.floor(Date.now() / 60_000) * 60;
  const minutes = 7 * 24 * 60;
  for (let w = 0; w < WIDGETS; w++) {
    for (let s = 0; s < SERIES; s++) {
      const Dimensions = [{ Name: 'Host', Value: `host-${w}-${s}` }];
      for (let start = 0; start < minutes; start += 1000) {
        const MetricData = [];
        for (let m = start; m < Math.min(start + 1000, minutes); m++) {
          const Value = 50 + 30 * Math.sin((m + 37 * s) / 90) + 5 * Math.sin(m / 7 + w);
          MetricData.push({ MetricName: `Metric${w}`, Dimensions, Timestamp: now - m * 60, Value, Unit: 'Percent' });
        }
        await cloudwatch('PutMetricData', { Namespace: NS, MetricData });
      }
    }
  }
}

function body() {
  const widgets = [];
  for (let w = 0; w < WIDGETS; w++) {
    const metrics = [];
    for (let s = 0; s < SERIES; s++) metrics.push([NS, `Metric${w}`, 'Host', `host-${w}-${s}`]);
    widgets.push({
      type: 'metric',
      x: (w % 3) * 8,
      y: Math.floor(w / 3) * 6,
      width: 8,
      height: 6,
      properties: { title: `Metric ${w}`, view: 'timeSeries', stat: 'Average', period: 300, region: 'us-east-1', metrics },
    });
  }
  return { widgets };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, p90 ${p90(xs).toFixed(1)} ms (n=${xs.length})`;

async function serverSide(name) {
  const page = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const response = await fetch(`${BASE}/cloudwatch/dashboards/dashboard/${name}?range=1w`);
    const html = await response.text();
    page.push(performance.now() - t0);
    if (!html.includes('widget-chart')) throw new Error('the page has no charts');
  }
  const render = [];
  const text = JSON.stringify(body());
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const response = await fetch(`${BASE}/api/dashboard_render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'us-east-1', account: null, body: text, range: '1w' }),
    });
    await response.arrayBuffer();
    render.push(performance.now() - t0);
  }
  return { page, render };
}

async function browserSide(name) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${BASE}/cloudwatch/dashboards/dashboard/${name}?range=1w`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="widget-chart"] svg').length === 12);
  // Hydrated when the theme toggle (wasm only) works.
  const root = page.locator('.app');
  const before = await root.getAttribute('data-theme');
  for (let i = 0; i < 20 && (await root.getAttribute('data-theme')) === before; i++) {
    await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(100);
  }
  await page.getByTestId('theme-toggle').click();
  const redraw = [];
  const whole = [];
  for (let i = 0; i < RUNS; i++) {
    const preset = i % 2 === 0 ? '3d' : '1w';
    await page.evaluate(() => {
      window.__bench = { last: 0, changed: new Set() };
      performance.clearResourceTimings();
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const chart = record.target.closest?.('[data-testid="widget-chart"]');
          if (chart) {
            window.__bench.changed.add(chart.getAttribute('data-widget'));
            window.__bench.last = performance.now();
          }
        }
      });
      observer.observe(document.querySelector('[data-testid="dashboard-grid"]'), { childList: true, subtree: true });
      window.__bench.observer = observer;
    });
    const clicked = await page.evaluate(() => performance.now());
    await page.getByTestId(`dash-range-${preset}`).click();
    await page.waitForFunction(() => window.__bench.changed.size >= 12, null, { timeout: 10_000 });
    await page.waitForTimeout(150);
    const result = await page.evaluate(() => {
      window.__bench.observer.disconnect();
      const fetches = performance.getEntriesByType('resource').filter((e) => e.name.includes('dashboard_render'));
      const responseEnd = fetches.length ? fetches[fetches.length - 1].responseEnd : NaN;
      return { last: window.__bench.last, responseEnd };
    });
    redraw.push(result.last - result.responseEnd);
    whole.push(result.last - clicked);
  }
  await browser.close();
  return { redraw, whole };
}

const name = 'bench-12x5';
const seeded = process.env.SKIP_SEED === '1';
if (!seeded) {
  const t0 = performance.now();
  await seed();
  console.log(`seeded ${WIDGETS * SERIES} series × ${7 * 24 * 60} minutes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
await cloudwatch('PutDashboard', { DashboardName: name, DashboardBody: JSON.stringify(body()) });
const server = await serverSide(name);
console.log(`server: dashboard page (SSR, 12 widgets × 5 series, 1 week): ${fmt(server.page)}`);
console.log(`server: dashboard_render (data of 12 widgets, 1 week): ${fmt(server.render)}`);
const browser = await browserSide(name);
console.log(`browser: redraw after the render response (12 charts): ${fmt(browser.redraw)}`);
console.log(`browser: range click to last chart redrawn: ${fmt(browser.whole)}`);
