// A collector process the crash test kills with SIGKILL at a chosen point:
//   fact <db> <customerId> <eventId>  records an invoice (commission + its event), says "recorded", waits
//   send <db>                         takes a delivery's lease, says "leased", waits before sending
//   signup <db> <customerId> <coupon> <seam>   a signup with a coupon code; says "paused" at the seam, waits
//   status <db> <partnerId> <seam>             disables the partner; says "paused" at the seam, waits
import pino from 'pino';
import { createCollector } from '../../../collector/app';
import { openConnection } from '../../../collector/db/connection';
import { changePartnerStatus } from '../../../collector/services/partner-status';
import { recordRevenue } from '../../../collector/services/revenue';
import { testSeams, type SeamName } from '../../../collector/services/seams';
import { recordSignup } from '../../../collector/services/signups';
import { createWebhookDispatcher } from '../../../collector/services/webhook-dispatcher';
import { testConfig } from '../../support/collector';
import { engineUri } from '../../support/db';

async function main(): Promise<void> {
  const [mode, dbName, ...args] = process.argv.slice(2);
  const connection = await openConnection(engineUri(), dbName);
  const collector = createCollector({ config: testConfig(), connection, logger: pino({ level: 'silent' }) });
  const pauseAt = (name: string) =>
    testSeams.once(name as SeamName, () => {
      process.stdout.write('paused\n');
      return new Promise<void>(() => {});
    });
  if (mode === 'signup') {
    const [customerId, couponCode, seamName] = args;
    pauseAt(seamName!);
    await recordSignup(collector.context, { customerId: customerId!, couponCode: couponCode! });
  } else if (mode === 'status') {
    const [partnerId, seamName] = args;
    pauseAt(seamName!);
    await changePartnerStatus(collector.context, {
      partnerId: partnerId!,
      status: 'disabled',
      reason: 'crash test',
      actor: 'test',
    });
  } else if (mode === 'fact') {
    const [customerId, eventId] = args;
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
