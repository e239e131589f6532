// A collector process the crash test kills with SIGKILL at a chosen point:
//   fact <db> <customerId> <eventId>  records an invoice (commission + its event), says "recorded", waits
//   send <db>                         takes a delivery's lease, says "leased", waits before sending
import pino from 'pino';
import { createCollector } from '../../../collector/app';
import { openConnection } from '../../../collector/db/connection';
import { recordRevenue } from '../../../collector/services/revenue';
import { createWebhookDispatcher } from '../../../collector/services/webhook-dispatcher';
import { testConfig } from '../../support/collector';
import { engineUri } from '../../support/db';

async function main(): Promise<void> {
  const [mode, dbName, customerId, eventId] = process.argv.slice(2);
  const connection = await openConnection(engineUri(), dbName);
  const collector = createCollector({ config: testConfig(), connection, logger: pino({ level: 'silent' }) });
  if (mode === 'fact') {
    await recordRevenue(collector.context, {
      eventId: eventId!,
      customerId: customerId!,
      currency: 'USD',
      lines: [{ kind: 'plan', amount: 10_000 }],
    });
    process.stdout.write('recorded\n');
  } else {
    const dispatcher = createWebhookDispatcher(collector.context, {
      beforeSend: () => {
        process.stdout.write('leased\n');
        return new Promise<void>(() => {});
      },
    });
    await dispatcher.runOnce();
  }
  setInterval(() => {}, 60_000);
}

void main();
