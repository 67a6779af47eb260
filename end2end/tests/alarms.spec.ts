import { AlarmPage, AlarmsPage, CompositeAlarmPage, CreateAlarmPage, TopicsPage, putCpu, putCpuAlarm } from './fixtures/alarms-page';
import { expect, test } from './fixtures/console';

// Every run uses its own namespace and alarm names, so the spec does not depend on other data.
const RUN = Date.now().toString(36);
const NS = `E2E/Alarms${RUN}`;

test.describe('alarms', () => {
  test('the list shows states, counts and filters kept in the URL', async ({ page, request, baseURL }) => {
    await putCpu(request, baseURL!, NS, 97);
    await putCpuAlarm(request, baseURL!, `list${RUN}-hot`, NS, 80);
    await putCpuAlarm(request, baseURL!, `list${RUN}-calm`, NS, 99);
    const alarms = new AlarmsPage(page);
    await alarms.goto(`?q=${RUN}`);
    // The evaluator takes new alarms at its next pass (every 10 s, or at once when woken by the put).
    await expect(async () => {
      await alarms.goto(`?q=list${RUN}-hot`);
      await expect(alarms.stateOf(`list${RUN}-hot`)).toHaveAttribute('data-state', 'ALARM', { timeout: 1_000 });
    }).toPass({ timeout: 25_000 });
    await alarms.goto(`?q=list${RUN}`);
    await expect(alarms.rows).toHaveCount(2);
    await expect(alarms.row(`list${RUN}-calm`).getByTestId('alarm-condition')).toHaveText(
      'CPUUtilization > 99 for 1 datapoint within 1 minute',
    );

    await alarms.stateFilter.selectOption('ALARM');
    await expect(page).toHaveURL((url) => url.searchParams.get('state') === 'ALARM' && url.searchParams.get('q') === `list${RUN}`);
    await expect(alarms.rows).toHaveCount(1);
    await expect(alarms.rows.first()).toHaveAttribute('data-name', `list${RUN}-hot`);

    // A shared link shows the same view.
    await alarms.goto(new URL(page.url()).search);
    await expect(alarms.rows).toHaveCount(1);
    await alarms.kindFilter.selectOption('composite');
    await expect(alarms.empty).toHaveText('No alarms match the filters.');
  });

  test('an alarm page shows the graph, the timeline and the history, and sets a state for testing', async ({ page, request, baseURL }) => {
    const name = `detail-${RUN}`;
    await putCpu(request, baseURL!, NS, 42);
    await putCpuAlarm(request, baseURL!, name, NS, 80);
    const alarm = new AlarmPage(page);
    await alarm.goto(name, '?range=1h');
    await expect(alarm.graph.locator('svg')).toBeVisible();
    await expect(alarm.timeline).toBeVisible();
    await expect(alarm.details).toContainText('CPUUtilization');
    await expect(alarm.details).toContainText('1 out of 1');
    await alarm.forceState('ALARM', 'Drill from the console');
    await expect(alarm.state).toHaveAttribute('data-state', 'ALARM');
    await expect(alarm.reason).toHaveText('Drill from the console');
    await expect(alarm.historyRows.filter({ hasText: /Alarm updated from .* to ALARM/ })).toHaveCount(1);
    await alarm.historyFilters.filter({ hasText: 'Configuration updates' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('history') === 'ConfigurationUpdate');
    await expect(alarm.historyRows).toHaveCount(1);
    await expect(alarm.historyRows.first()).toContainText(`Alarm "${name}" created`);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    // Issue 15, point 6: the alarm graph comes drawn by the server, off its async runtime.
    test('the server draws the alarm graph with its threshold', async ({ page, request, baseURL }) => {
      const name = `nojs-${RUN}`;
      await putCpu(request, baseURL!, NS, 42);
      await putCpuAlarm(request, baseURL!, name, NS, 80);
      const alarm = new AlarmPage(page);
      await page.goto(`/cloudwatch/alarms/alarm/${encodeURIComponent(name)}?range=1h`);
      await expect(alarm.title).toHaveText(name);
      await expect(alarm.graph.locator('svg')).toBeAttached();
      await expect(alarm.graph.locator('svg')).toContainText('> 80');
    });
  });

  test('the create flow picks a metric, previews the threshold and creates the alarm', async ({ page, request, baseURL }) => {
    await putCpu(request, baseURL!, NS, 55);
    const create = new CreateAlarmPage(page);
    await create.goto();
    await create.metricSearch.fill(`${NS} CPUUtilization`);
    await create.metricResults.first().click();
    await expect(create.chosenMetric).toContainText(`${NS} · CPUUtilization InstanceId=i-e2e`);
    await create.period.selectOption('60');
    await create.threshold.fill('50');
    await expect(create.preview.getByTestId('alarm-graph').locator('svg')).toBeVisible();
    await expect(create.preview.locator('svg')).toContainText('> 50');
    await create.datapoints.fill('2');
    await create.evaluationPeriods.fill('3');
    await create.submit.click();
    await expect(create.error).toHaveText('Give the alarm a name.');
    const name = `created-${RUN}`;
    await create.name.fill(name);
    await create.description.fill('Made by the create flow');
    await create.submit.click();
    const alarm = new AlarmPage(page);
    await expect(alarm.title).toHaveText(name);
    await expect(alarm.details).toContainText('2 out of 3');
    await expect(alarm.details).toContainText('Made by the create flow');
  });

  test('the composite editor shows the rule as a tree of its children and saves it', async ({ page, request, baseURL }) => {
    const [a, b] = [`child-a-${RUN}`, `child-b-${RUN}`];
    await putCpuAlarm(request, baseURL!, a, NS, 80);
    await putCpuAlarm(request, baseURL!, b, NS, 80);
    const editor = new CompositeAlarmPage(page);
    await editor.goto();
    await editor.rule.fill(`ALARM(${a}) AND (`);
    await expect(editor.ruleError).toContainText('ValidationError');
    await editor.rule.fill(`ALARM(${a}) AND NOT OK("${b}")`);
    await expect(editor.tree.locator('[data-kind="child"]')).toHaveCount(2);
    await expect(editor.tree.locator('[data-kind="and"]')).toBeVisible();
    await expect(editor.tree.locator('[data-kind="not"]')).toBeVisible();
    const name = `composite-${RUN}`;
    await editor.name.fill(name);
    await editor.submit.click();
    const alarm = new AlarmPage(page);
    await expect(alarm.title).toHaveText(name);
    await expect(alarm.rule).toBeVisible();
    await expect(alarm.rule.locator('[data-kind="child"]')).toHaveCount(2);

    // The child knows its parent, and cannot be deleted while the composite names it.
    await alarm.goto(a);
    await expect(alarm.parents).toContainText(name);
    const list = new AlarmsPage(page);
    await list.goto(`?q=${a}`);
    await list.select(a);
    await list.deleteButton.click();
    await list.deleteConfirm.click();
    await expect(list.actionError).toContainText('composite alarm(s) depending on it');
  });

  test('a topic with the built-in endpoint: a signed confirmation, a SHA256-signed message and the delivery log', async ({ page, baseURL }) => {
    const topics = new TopicsPage(page);
    const name = `e2e-${RUN}`;
    await topics.goto();
    await topics.newName.fill(name);
    await topics.create.click();
    await expect(topics.links.filter({ hasText: name })).toHaveCount(1);
    await topics.links.filter({ hasText: name }).click();
    await expect(topics.title).toHaveText(name);
    await topics.subscribeEndpoint.fill(`${baseURL}/_skywatch/inbox/${name}`);
    await topics.subscribe.click();
    await expect(topics.notice).toContainText('Subscribed');
    // The built-in endpoint confirms by its SubscribeURL; the page shows it once reloaded.
    await expect(async () => {
      await topics.gotoTopic(name);
      await expect(topics.subscriptionStatus).toHaveText('Confirmed', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    // The endpoint confirmed because the confirmation's signature verified (SignatureVersion 1 unless set).
    const confirmation = topics.inboxRows.filter({ hasText: 'SubscriptionConfirmation' });
    await expect(confirmation.getByTestId('inbox-signature')).toHaveText('Verified · SHA1withRSA');
    await expect(topics.signatureVersion).toHaveValue('1');
    await topics.signatureVersion.selectOption('2');
    await expect(topics.notice).toHaveText('Signature version saved');
    await expect(topics.signatureVersion).toHaveValue('2');
    await topics.publishSubject.fill('Hello');
    await topics.publishMessage.fill('From the console');
    await topics.publish.click();
    await expect(topics.notice).toContainText('Published message');
    await expect(async () => {
      await topics.gotoTopic(name);
      await expect(topics.inboxRows.filter({ hasText: 'From the console' })).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(topics.inboxRows.filter({ hasText: 'From the console' }).getByTestId('inbox-signature'))
      .toHaveText('Verified · SHA256withRSA');
    await expect(topics.deliveryRows.filter({ hasText: 'Notification' }).first()).toHaveAttribute('data-outcome', 'delivered');
  });
});

test.describe('alarms as a viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('a viewer sees alarms but cannot change them', async ({ page, request, baseURL }) => {
    const name = `viewer-${RUN}`;
    await putCpuAlarm(request, baseURL!, name, NS, 80);
    const alarm = new AlarmPage(page);
    await alarm.goto(name);
    await alarm.forceState('ALARM', 'not allowed');
    await expect(alarm.actionError).toContainText('AccessDenied');
    await expect(alarm.state).not.toHaveAttribute('data-state', 'ALARM');
  });
});
