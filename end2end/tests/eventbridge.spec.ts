import { EventRulePage, EventRulesPage, eventsCall } from './fixtures/eventbridge-page';
import { expect, test } from './fixtures/console';

const RUN = Date.now().toString(36);

test.describe('EventBridge rules', () => {
  test('a bus lists its rules; a rule shows its targets with their delivery status and tests its pattern live', async ({
    page,
    baseURL,
  }) => {
    const bus = `orders-${RUN}`;
    await eventsCall(page.request, baseURL!, 'CreateEventBus', { Name: bus });
    const pattern = { source: ['shop.orders'], 'detail-type': ['Order Failed'] };
    await eventsCall(page.request, baseURL!, 'PutRule', {
      Name: 'failed-orders',
      EventBusName: bus,
      EventPattern: JSON.stringify(pattern),
      Description: 'Failed orders',
    });
    // A topic that does not exist: the delivery is given up at once, which the target's status shows.
    await eventsCall(page.request, baseURL!, 'PutTargets', {
      Rule: 'failed-orders',
      EventBusName: bus,
      Targets: [
        { Id: 'missing-topic', Arn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic' },
        { Id: 'detail-only', Arn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic', InputPath: '$.detail' },
      ],
    });
    await eventsCall(page.request, baseURL!, 'PutEvents', {
      Entries: [{ Source: 'shop.orders', DetailType: 'Order Failed', Detail: '{"orderId":"o-1"}', EventBusName: bus }],
    });

    const rules = new EventRulesPage(page);
    await rules.goto(bus);
    await expect(rules.busLink('default')).toBeVisible();
    await expect(rules.busLink(bus)).toHaveAttribute('aria-current', 'page');
    await expect(rules.rows).toHaveCount(1);
    await expect(rules.row('failed-orders').getByTestId('rule-state')).toHaveText('ENABLED');

    // The default bus has its own rules (none of this one).
    await rules.busLink('default').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('bus') === 'default');
    await expect(rules.row('failed-orders')).toHaveCount(0);
    await rules.busLink(bus).click();
    await rules.row('failed-orders').getByTestId('rule-link').click();

    const rule = new EventRulePage(page);
    await expect(page).toHaveURL((url) => url.pathname === '/events/rules/rule/failed-orders' && url.searchParams.get('bus') === bus);
    await expect(rule.title).toHaveText('failed-orders');
    await expect(rule.state).toHaveText('ENABLED');
    await expect(rule.targets).toHaveCount(2);
    await expect(rule.target('detail-only')).toContainText('Part of the event');
    // The deliverer gives the deliveries up within a second or so; the page shows it on a reload.
    await expect(async () => {
      await page.reload();
      await expect(rule.target('missing-topic').getByTestId('target-failed')).toHaveText('1', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(rule.target('missing-topic')).toContainText('does not exist');

    // The pattern editor: the sample event matches, a changed pattern does not, a broken one says why.
    await expect(rule.patternInput).toHaveValue(/"shop.orders"/);
    await rule.testPattern.click();
    await expect(rule.result).toHaveText('The event matches the pattern.');
    await rule.patternInput.fill(JSON.stringify({ source: ['billing'] }));
    await rule.testPattern.click();
    await expect(rule.result).toHaveText('The event does not match the pattern.');
    await rule.patternInput.fill('{"source": []}');
    await rule.testPattern.click();
    await expect(rule.result).toContainText('Empty arrays are not allowed');
  });

  test('without a bus in the URL the default bus is shown', async ({ page }) => {
    const rules = new EventRulesPage(page);
    await rules.goto();
    await expect(rules.busLink('default')).toHaveAttribute('aria-current', 'page');
  });
});
