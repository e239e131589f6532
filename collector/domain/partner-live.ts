// Whether a partner's links, clicks and codes count: the one rule behind click counting, signup
// attribution and coupon codes. Pending partners ("the link works before the email is confirmed")
// and active ones count; unknown, frozen and disabled ones do not.

export function isLivePartner(partner: { status: string } | null | undefined): boolean {
  return !!partner && (partner.status === 'active' || partner.status === 'pending');
}
