// One partner's payouts: only their own item of each batch, never the other partners'.
import type { ServiceDeps } from './deps';

export async function partnerPayouts({ models }: Pick<ServiceDeps, 'models'>, partnerId: string) {
  const payouts = await models.Payout.find({ 'items.partnerId': partnerId }).sort({ createdAt: -1 }).lean();
  return payouts.map((payout) => {
    const item = payout.items.find((candidate) => candidate.partnerId === partnerId)!;
    return {
      payoutId: payout._id,
      asOf: payout.asOf,
      createdAt: payout.createdAt,
      completedAt: payout.completedAt ?? null,
      amount: item.amount,
      currency: payout.currency,
      payoutEmail: item.payoutEmail,
      status: item.status,
    };
  });
}
