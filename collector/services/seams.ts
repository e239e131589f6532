// Named points between the steps of a money operation where a test can hold one side while the
// other runs, to force an interleaving. Unset (always, outside tests) a seam is one Map lookup.
type Handler = () => Promise<void>;

const handlers = new Map<string, Handler>();

export type SeamName =
  | 'payout.run:planned' // a run decided to pay a partner, before claiming their entries
  | 'payout.run:fates-taken' // a run took a partner's commission fates, before locking the entries
  | 'payout.run:claimed' // a run claimed one partner's entries, before re-checking the partner
  | 'payout.abandon:listed' // a run listed stale batches, before taking their seal
  | 'payout.run:sealing' // a run wrote its items, before deciding open-vs-abandoned
  | 'payout.run:sealed' // a run won the seal, before writing the status open
  | 'payout.complete:decided' // a completion won, before its effects
  | 'payout.complete:item-released' // a completion gave one failed item's entries back, before the next
  | 'partner.disable:status-set' // a disable set the status, before sweeping
  | 'revenue:priced' // an invoice read its partner, before recording the event and commission
  | 'refund:slot-taken' // a refund took its slot, before planning its ledger entry
  | 'signup:event-recorded' // a signup recorded customer.attributed, before binding the customer
  | 'signup:bound' // a signup bound the customer, before counting it in the attribution report
  | 'partner.status:event-recorded' // a status change recorded its event, before setting the status
  | 'account.email:claimed'; // a sign-up claimed its login email, before storing the partner

export async function seam(name: SeamName): Promise<void> {
  const handler = handlers.get(name);
  if (handler) await handler();
}

export const testSeams = {
  /** Runs `handler` whenever the seam is reached (once: the next pass only). */
  once(name: SeamName, handler: Handler): void {
    handlers.set(name, async () => {
      handlers.delete(name);
      await handler();
    });
  },
  clear(): void {
    handlers.clear();
  },
};
