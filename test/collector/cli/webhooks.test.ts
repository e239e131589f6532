import { createModels } from '../../../collector/models';
import { testConfig } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { cliRunner } from './run-cli';

const db = useTestDatabase(__filename);

const cli = cliRunner(testConfig, db.connection);

test('webhooks create, list, test and delete', async () => {
  const created = await cli(
    'webhooks',
    'create',
    '--url',
    'https://books.example/hooks',
    '--events',
    'commission.created,payout.completed',
  );
  expect(created.code).toBe(0);
  const id = /we_[0-9a-f]+/.exec(created.out)![0];
  expect(created.out).toMatch(/whsec_/);
  const list = await cli('webhooks', 'list');
  expect(list.out).toContain(id);
  expect(list.out).toContain('commission.created,payout.completed');
  expect(list.out).not.toMatch(/whsec_/);
  const tested = await cli('webhooks', 'test', id);
  expect(tested.code).toBe(0);
  const models = createModels(db.connection());
  const deliveryId = /delivery (\S+)\)/.exec(tested.out)![1]!;
  expect(await models.WebhookDue.exists({ _id: deliveryId })).toBeTruthy();
  expect((await cli('webhooks', 'delete', id)).code).toBe(0);
  expect((await cli('webhooks', 'list')).out).toBe('(none)');
  expect((await cli('webhooks', 'delete', id)).code).toBe(1);
});

test('unknown event types and bad URLs are usage errors', async () => {
  const bad = await cli('webhooks', 'create', '--url', 'https://x.example', '--events', 'commission.created,nope');
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--events must be some of/);
  expect((await cli('webhooks', 'create', '--url', 'mailto:x', '--events', 'partner.created')).code).toBe(2);
});
