import { expect, test } from './fixtures/console';
import {
  ConfigDashboardPage,
  ConfigResourcePage,
  ConfigResourcesPage,
  ConfigRulePage,
  ConfigRulesPage,
  WEB_GROUP,
  configOk,
  deleteResource,
  playSshStory,
  putResource,
  securityGroup,
  startRecorder,
  waitForItems,
} from './fixtures/config-page';
import { EventHistoryPage } from './fixtures/event-history-page';

// Resources are reported with PutResourceConfig through the front door, with ids (and a resource type) unique to
// the run, so the spec does not depend on what other specs recorded; the recorder of us-east-1 is shared.
const RUN = Date.now().toString(36);
const SG = 'AWS::EC2::SecurityGroup';

test.describe('aws config', () => {
  test.beforeEach(async ({ request, baseURL }) => {
    await startRecorder(request, baseURL!);
  });

  test('the dashboard shows the recorder, the channel and counts by type linked to the inventory', async ({ page, request, baseURL }) => {
    const widget = `E2E::Run${RUN}::Widget`;
    for (const n of [1, 2, 3]) {
      await putResource(request, baseURL!, { type: widget, id: `widget-${RUN}-${n}`, configuration: { size: n } });
    }
    await waitForItems(request, baseURL!, widget, `widget-${RUN}-3`, 1);
    const dashboard = new ConfigDashboardPage(page);
    await dashboard.goto();
    await expect(dashboard.recorderState).toHaveText('Recording');
    await expect(dashboard.recorder).toContainText('default');
    await expect(dashboard.bucket).toHaveText('s3://config-bucket-e2e/');
    await expect(dashboard.countRow(widget).getByTestId('count-value')).toHaveText('3');
    await expect(dashboard.noRecorder).toHaveCount(0);

    await dashboard.countRow(widget).getByTestId('count-link').click();
    await expect(page).toHaveURL((url) => url.pathname === ConfigResourcesPage.path && url.searchParams.get('type') === widget);
    const inventory = new ConfigResourcesPage(page);
    await expect(inventory.rows).toHaveCount(3);
    await expect(inventory.typeFilter).toHaveValue(widget);

    // A region without a recorder says how to set one up.
    await dashboard.goto('?region=ap-northeast-2');
    await expect(dashboard.noRecorder).toContainText('No configuration recorder in ap-northeast-2');
    await expect(dashboard.setupCommands).toContainText('put-configuration-recorder');
    await expect(dashboard.setupCommands).toContainText('put-delivery-channel');
    await expect(dashboard.setupCommands).toContainText('start-configuration-recorder --configuration-recorder-name default');
    await expect(dashboard.setupCommands).toContainText('--region ap-northeast-2');
    await expect(dashboard.recorder).toHaveCount(0);
  });

  test('the inventory filters by type and search in the URL; back undoes a filter; deleted ones on demand', async ({ page, request, baseURL }) => {
    const web = `sg-${RUN}-web`;
    const db = `sg-${RUN}-db`;
    const bucket = `arn:aws:s3:::logs-${RUN}/archive:2024`;
    await putResource(request, baseURL!, { type: SG, id: web, name: `web-${RUN}`, configuration: securityGroup(web, 'web', [443]) });
    await putResource(request, baseURL!, { type: SG, id: db, name: `db-${RUN}`, configuration: securityGroup(db, 'db', [5432]) });
    await putResource(request, baseURL!, { type: 'AWS::S3::Bucket', id: bucket, name: `logs-${RUN}`, configuration: { name: `logs-${RUN}` } });
    await waitForItems(request, baseURL!, 'AWS::S3::Bucket', bucket, 1);
    await waitForItems(request, baseURL!, SG, db, 1);

    const inventory = new ConfigResourcesPage(page);
    await inventory.goto();
    await expect(inventory.row(web)).toBeVisible();
    await expect(inventory.row(bucket)).toBeVisible();

    await inventory.typeFilter.selectOption(SG);
    await expect(page).toHaveURL((url) => url.searchParams.get('type') === SG);
    await expect(inventory.row(bucket)).toHaveCount(0);
    await expect(inventory.row(db)).toBeVisible();

    // `/` jumps to the search box (from the page, not from the select); Enter searches ids and names.
    await inventory.title.click();
    await page.keyboard.press('/');
    await expect(inventory.search).toBeFocused();
    await page.keyboard.type(`WEB-${RUN}`);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === `WEB-${RUN}` && url.searchParams.get('type') === SG);
    await expect(inventory.rows).toHaveCount(1);
    await expect(inventory.row(web).getByTestId('item-status')).toHaveText('ResourceDiscovered');

    await page.goBack();
    await expect(page).toHaveURL((url) => url.searchParams.get('q') === null && url.searchParams.get('type') === SG);
    await expect(inventory.row(db)).toBeVisible();
    await expect(inventory.search).toHaveValue('');
    await page.goBack();
    await expect(page).toHaveURL((url) => url.searchParams.get('type') === null);
    await expect(inventory.row(bucket)).toBeVisible();

    // An id with ':' and '/' opens its page (type and id are query values).
    await inventory.row(bucket).getByTestId('resource-link').click();
    const resource = new ConfigResourcePage(page);
    await expect(page).toHaveURL((url) => url.pathname === ConfigResourcePage.path && url.searchParams.get('id') === bucket);
    await expect(resource.title).toHaveText(`logs-${RUN}`);
    await expect(resource.details).toContainText(bucket);

    // Deleted resources are listed only when asked for.
    await deleteResource(request, baseURL!, SG, db);
    await waitForItems(request, baseURL!, SG, db, 2);
    await inventory.goto(`?type=${encodeURIComponent(SG)}&q=${RUN}`);
    await expect(inventory.row(web)).toBeVisible();
    await expect(inventory.row(db)).toHaveCount(0);
    await inventory.includeDeleted.check();
    await expect(page).toHaveURL((url) => url.searchParams.get('deleted') === '1' && url.searchParams.get('q') === RUN);
    await expect(inventory.row(db).getByTestId('item-status')).toHaveText('ResourceDeleted');
  });

  test('a resource page shows its timeline, each change with its diff, and the CloudTrail event behind it', async ({ page, request, baseURL }) => {
    const id = `sg-${RUN}-ssh`;
    const vpc = `vpc-${RUN}`;
    await putResource(request, baseURL!, { type: 'AWS::EC2::VPC', id: vpc, configuration: { vpcId: vpc, cidrBlock: '10.0.0.0/16' } });
    await putResource(request, baseURL!, { type: SG, id, name: `ssh-${RUN}`, configuration: securityGroup(id, 'web only', [443], vpc), tags: { env: 'dev' } });
    await waitForItems(request, baseURL!, SG, id, 1);
    await putResource(request, baseURL!, { type: SG, id, name: `ssh-${RUN}`, configuration: securityGroup(id, 'web and ssh', [443, 22], vpc), tags: { env: 'prod' } });
    await waitForItems(request, baseURL!, SG, id, 2);

    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
    });
    const resource = new ConfigResourcePage(page);
    await resource.goto(SG, id);
    await expect(resource.title).toHaveText(`ssh-${RUN}`);
    await expect(resource.status.getByTestId('item-status')).toHaveText('OK');
    await expect(resource.tags).toHaveText([/env\s*prod/]);
    await expect(page.getByTestId('timeline-count')).toHaveText('2 of 2 changes in view');
    await expect(resource.changes).toHaveCount(2);

    // Newest first: the update, with a path-level diff; then the discovery with its configuration.
    const update = resource.changes.first();
    await expect(update).toHaveAttribute('data-kind', 'updated');
    const rule = resource.diffLine(update, 'configuration.ipPermissions[1]');
    await expect(rule).toHaveAttribute('data-kind', 'added');
    await expect(rule).toContainText('"fromPort": 22');
    const description = resource.diffLine(update, 'configuration.description');
    await expect(description).toHaveAttribute('data-kind', 'changed');
    await expect(description).toContainText('"web only" → "web and ssh"');
    await expect(resource.diffLine(update, 'tags.env')).toContainText('"dev" → "prod"');
    const discovery = resource.changesOfKind('discovered');
    await expect(discovery).toContainText('Resource discovered');
    await expect(discovery.getByTestId('change-snapshot')).toContainText('"web only"');

    // The relationship the configuration implies links to the VPC's page.
    await expect(resource.relationships).toHaveCount(1);
    await expect(resource.relationships).toContainText('Is contained in Vpc');

    // The call that caused the change: PutResourceConfig, opened in the event history.
    const event = update.getByTestId('related-event');
    await expect(event).toHaveCount(1);
    const eventId = await event.getAttribute('data-event-id');
    await expect(event.getByTestId('related-event-link')).toHaveText('PutResourceConfig');
    await expect(event).toContainText('AKIDEXAMPLE');
    await event.getByTestId('related-event-link').click();
    await expect(page).toHaveURL(
      (url) =>
        url.pathname === EventHistoryPage.path &&
        url.searchParams.get('attr') === 'EventId' &&
        url.searchParams.get('value') === eventId &&
        url.searchParams.get('event') === eventId,
    );
    const history = new EventHistoryPage(page);
    await history.expectLoaded();
    await expect(history.rows).toHaveCount(1);
    await expect(history.rowsNamed('PutResourceConfig')).toHaveCount(1);
    const record = JSON.parse((await history.json.textContent()) ?? '{}');
    expect(record.eventID).toBe(eventId);
    expect(record.requestParameters?.ResourceId ?? record.requestParameters?.resourceId).toBe(id);

    // Back on the resource: zoom changes the window in the URL; All brings the whole history back.
    await page.goBack();
    await expect(resource.timeline).toBeVisible();
    const from = Number(await resource.timeline.getAttribute('data-from'));
    await resource.zoomIn.click();
    await expect(page).toHaveURL((url) => url.searchParams.has('from') && url.searchParams.has('to'));
    await expect(resource.timeline).not.toHaveAttribute('data-from', String(from));
    const zoomed = (await resource.timeline.getAttribute('data-from')) ?? '';
    await resource.all.click();
    await expect(page).toHaveURL((url) => !url.searchParams.has('from'));
    // The whole history is drawn again before the drag (on a busy host the redraw can lag the URL).
    await expect(resource.timeline).not.toHaveAttribute('data-from', zoomed);

    // A drag across the axis selects a window.
    const box = (await resource.timeline.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page).toHaveURL((url) => url.searchParams.has('from') && url.searchParams.has('to'));
    await expect(resource.all).not.toHaveClass(/active/);

    // Over two hours, changes a second apart are drawn as one marker with their count; it zooms in on them.
    const now = Date.now();
    await page.goto(`${ConfigResourcePage.href(SG, id)}&from=${now - 3_600_000}&to=${now + 3_600_000}`);
    await expect(resource.cluster).toHaveAttribute('data-count', '2');
    await expect(resource.markers).toHaveCount(0);
    await resource.cluster.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => Number(url.searchParams.get('to')) - Number(url.searchParams.get('from')) < 600_000);
    await expect(resource.markers).toHaveCount(2);

    // A marker selects its change (from the keyboard, as a link).
    const oldest = resource.markers.first();
    const capture = await oldest.getAttribute('data-capture');
    await oldest.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.searchParams.get('at') === capture);
    await expect(resource.changes.first()).toHaveAttribute('data-kind', 'discovered');

    await page.getByTestId('relationship-link').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('type') === 'AWS::EC2::VPC' && url.searchParams.get('id') === vpc);
    await expect(resource.title).toHaveText(vpc);
    expect(errors, 'no script errors').toEqual([]);
  });
});

// The demo's restricted-ssh story, played through the API in a region of its own: the web tier's group reported
// closed, `restricted-ssh` (INCOMING_SSH_DISABLED) with automatic remediation, then SSH opened to the world, which
// the remediation closes again.
const STORY_REGION = 'us-west-2';

test.describe('aws config rules', () => {
  test('the SSH story: the timeline shows both changes, their events and the compliance flipping; rules and the rule page agree', async ({ page, request, baseURL }) => {
    test.setTimeout(120_000);
    await playSshStory(request, baseURL!, STORY_REGION);
    const q = `&region=${STORY_REGION}`;

    // The resource page: the change that opened port 22 (PutResourceConfig) and the one that closed it
    // (RevokeSecurityGroupIngress by SSM), and the compliance flipping and back, on the list and the second lane.
    const resource = new ConfigResourcePage(page);
    await resource.goto(SG, WEB_GROUP, q);
    const opened = resource.changes.filter({ has: page.locator('[data-testid="related-event-link"]', { hasText: 'PutResourceConfig' }) })
      .filter({ has: page.locator('[data-testid="diff-line"][data-kind="added"]') });
    await expect(opened).toHaveCount(1);
    const closed = resource.changes.filter({ has: page.locator('[data-testid="related-event-link"]', { hasText: 'RevokeSecurityGroupIngress' }) });
    await expect(closed).toHaveCount(1);
    await expect(closed.getByTestId('related-event')).toContainText('ssm.amazonaws.com');
    await expect(closed.locator('[data-testid="diff-line"][data-kind="removed"]')).not.toHaveCount(0);
    const flips = page.getByTestId('compliance-change');
    await expect(flips.and(page.locator('[data-rule="restricted-ssh"][data-before="COMPLIANT"][data-after="NON_COMPLIANT"]'))).toHaveCount(1);
    await expect(flips.and(page.locator('[data-rule="restricted-ssh"][data-before="NON_COMPLIANT"][data-after="COMPLIANT"]'))).toHaveCount(1);
    await expect(flips.filter({ hasText: 'restricted-ssh: COMPLIANT → NON_COMPLIANT' })).toHaveCount(1);
    await expect(page.locator('[data-testid="compliance-marker"][data-compliance="NON_COMPLIANT"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="compliance-marker"][data-compliance="COMPLIANT"]')).not.toHaveCount(0);
    // Newest first: the close comes before (above) the flip back's cause, the opening below both.
    const order = await page.locator('[data-testid="change"], [data-testid="compliance-change"]').evaluateAll((nodes) =>
      nodes.map((n) => (n as HTMLElement).dataset.capture ?? (n as HTMLElement).dataset.time));
    const times = order.map(Number);
    expect(times, 'newest first').toEqual([...times].sort((a, b) => b - a));
    const current = page.locator('[data-testid="compliance-row"][data-rule="restricted-ssh"]');
    await expect(current.getByTestId('compliance')).toHaveAttribute('data-compliance', 'COMPLIANT');

    // Its rule links to the rule's page.
    await current.getByTestId('compliance-rule-link').click();
    await expect(page).toHaveURL((url) => url.pathname === ConfigRulePage.path && url.searchParams.get('name') === 'restricted-ssh');

    // The inventory: the group's compliance, a compliance filter in the URL, and no compliance items by default.
    const inventory = new ConfigResourcesPage(page);
    await inventory.goto(`?region=${STORY_REGION}`);
    await expect(inventory.row(WEB_GROUP).getByTestId('compliance')).toHaveAttribute('data-compliance', 'COMPLIANT');
    await expect(page.locator('[data-testid="resource-row"][data-type="AWS::Config::ResourceCompliance"]')).toHaveCount(0);
    await page.getByTestId('compliance-filter').selectOption('NON_COMPLIANT');
    await expect(page).toHaveURL((url) => url.searchParams.get('compliance') === 'NON_COMPLIANT');
    await expect(inventory.row(WEB_GROUP)).toHaveCount(0);
    await inventory.goto(`?region=${STORY_REGION}&type=${encodeURIComponent('AWS::Config::ResourceCompliance')}`);
    await expect(inventory.row(`${SG}/${WEB_GROUP}`)).toBeVisible();

    // The dashboard: the compliance summary and the chart of resources over time.
    const dashboard = new ConfigDashboardPage(page);
    await dashboard.goto(`?region=${STORY_REGION}`);
    await expect(page.getByTestId('dash-compliant-rules')).toHaveText('1');
    await expect(page.getByTestId('dash-non-compliant-rules')).toHaveText('0');
    await expect(page.getByTestId('dash-compliant-resources')).toHaveText('1');
    await expect(page.getByTestId('compliance-chart')).toBeVisible();
    await expect(page.getByTestId('compliant-line')).toHaveAttribute('d', /^M/);

    // The rules page: one compliant rule, no non-compliant one; its source, trigger and remediation.
    const rules = new ConfigRulesPage(page);
    await rules.goto(`?region=${STORY_REGION}`);
    await expect(rules.compliantRules).toHaveText('1');
    await expect(rules.nonCompliantRules).toHaveText('0');
    await expect(rules.nonCompliantResources).toHaveText('0');
    const row = rules.row('restricted-ssh');
    await expect(row.getByTestId('rule-source')).toHaveText('INCOMING_SSH_DISABLED');
    await expect(row.getByTestId('rule-trigger')).toContainText('Configuration changes');
    await expect(row.getByTestId('compliance')).toHaveAttribute('data-compliance', 'COMPLIANT');
    await expect(row.getByTestId('rule-remediation')).toHaveText('Automatic');
    await rules.filter('NON_COMPLIANT').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('compliance') === 'NON_COMPLIANT');
    await expect(rules.empty).toHaveText('No rules match the filter.');
    await rules.filter('').click();
    await expect(rules.row('restricted-ssh')).toBeVisible();

    // The rule page: the group's result, the remediation's configuration and its execution with its step.
    await rules.row('restricted-ssh').getByTestId('rule-link').click();
    const rule = new ConfigRulePage(page);
    await expect(rule.title).toHaveText('restricted-ssh');
    await expect(rule.result(WEB_GROUP).getByTestId('compliance')).toHaveAttribute('data-compliance', 'COMPLIANT');
    await expect(rule.result(WEB_GROUP).getByTestId('result-link')).toHaveAttribute('href', new RegExp(`id=${WEB_GROUP}`));
    await expect(rule.remediation.getByTestId('remediation-target')).toContainText('AWS-DisablePublicAccessForSecurityGroup');
    await expect(rule.remediation.getByTestId('remediation-parameters')).toContainText('GroupId = RESOURCE_ID');
    await expect(rule.remediation.getByTestId('remediation-automatic')).toHaveText('Yes');
    const execution = page.locator(`[data-testid="execution-row"][data-id="${WEB_GROUP}"]`);
    await expect(execution.getByTestId('execution-state')).toHaveText('SUCCEEDED');
    await expect(execution.locator('[data-testid="execution-step"][data-state="SUCCEEDED"]')).not.toHaveCount(0);
    // No non-compliant resource: nothing to remediate by hand.
    await expect(page.getByTestId('remediate')).toHaveCount(0);
    // The non-compliant filter leaves no result; the compliant one the group.
    await page.locator('[data-testid="result-filter"][data-value="NON_COMPLIANT"]').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('compliance') === 'NON_COMPLIANT' && url.searchParams.get('name') === 'restricted-ssh');
    await expect(page.getByTestId('results-empty')).toBeVisible();
    await page.locator('[data-testid="result-filter"][data-value="COMPLIANT"]').click();
    await expect(rule.result(WEB_GROUP)).toBeVisible();

    // Re-evaluate asks for a run over the rule's scope; it runs and the group stays compliant.
    await rule.reEvaluate.click();
    await expect(rule.actionNotice).toContainText('Evaluation started');
    await expect(rule.actionError).toHaveCount(0);
    await expect(async () => {
      const status = await configOk(request, baseURL!, 'DescribeConfigRuleEvaluationStatus', { ConfigRuleNames: ['restricted-ssh'] }, STORY_REGION);
      expect(status.ConfigRulesEvaluationStatus?.[0]?.LastSuccessfulEvaluationTime).toBeTruthy();
    }).toPass({ timeout: 15_000 });
    await expect(rule.result(WEB_GROUP).getByTestId('compliance')).toHaveAttribute('data-compliance', 'COMPLIANT');
  });
});

test.describe('aws config rules as a viewer', () => {
  test.use({ signedInAs: 'viewer' });

  test('a viewer sees a rule but cannot re-evaluate it', async ({ page, request, baseURL }) => {
    const region = 'us-east-2';
    await startRecorder(request, baseURL!, region);
    await configOk(request, baseURL!, 'PutConfigRule', {
      ConfigRule: { ConfigRuleName: 'restricted-ssh', Source: { Owner: 'AWS', SourceIdentifier: 'INCOMING_SSH_DISABLED' } },
    }, region);
    const rule = new ConfigRulePage(page);
    await rule.goto('restricted-ssh', `&region=${region}`);
    await expect(rule.details).toContainText('INCOMING_SSH_DISABLED');
    await rule.reEvaluate.click();
    await expect(rule.actionError).toContainText('AccessDenied');
    await expect(rule.actionNotice).toHaveCount(0);
  });
});
