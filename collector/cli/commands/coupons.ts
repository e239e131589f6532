// `coupons create|list|deactivate`: partners' coupon codes from the shell, audited like the API's.
import { couponStatuses } from '../../domain/coupon';
import { allCoupons, createCoupon, updateCoupon } from '../../services/coupons';
import { formatTable, oneOf, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

const oneCode = (positionals: string[]): string => {
  if (positionals.length !== 1) throw new UsageError('give exactly one code');
  return positionals[0]!;
};

export const couponsCreate: Command = {
  name: 'coupons create',
  summary: "Creates a partner's coupon code (unique in any case), active at once.",
  usage: '<code> --partner <partnerId> [--ends <ISO date-time>] [--discount <text>] [--description <text>]',
  options: {
    partner: { type: 'string' },
    ends: { type: 'string' },
    discount: { type: 'string' },
    description: { type: 'string' },
  },
  async run(values, positionals, cli) {
    const code = oneCode(positionals);
    const ends = typeof values.ends === 'string' ? new Date(values.ends) : undefined;
    if (ends && Number.isNaN(ends.getTime())) throw new UsageError('--ends must be a date, e.g. 2026-12-31T23:59:59Z');
    const coupon = await createCoupon(cli, {
      code,
      partnerId: requiredOption(values, 'partner'),
      endsAt: ends,
      discount: typeof values.discount === 'string' ? values.discount : undefined,
      description: typeof values.description === 'string' ? values.description : undefined,
      actor: cliActor(),
      status: 'active',
    });
    cli.print(formatTable([{ ...coupon }], ['code', 'partnerId', 'status', 'endsAt', 'discount']));
  },
};

export const couponsList: Command = {
  name: 'coupons list',
  summary: 'Lists coupon codes with their signups and customers (filter by partner or status).',
  usage: '[--partner <partnerId>] [--status pending|active|inactive]',
  options: { partner: { type: 'string' }, status: { type: 'string' } },
  async run(values, _positionals, cli) {
    const filter = {
      partnerId: typeof values.partner === 'string' ? values.partner : undefined,
      status: typeof values.status === 'string' ? oneOf(values.status, couponStatuses, 'status') : undefined,
    };
    // One table over every page: its columns are as wide as the widest code.
    const coupons = [];
    for await (const page of allCoupons(cli, filter)) coupons.push(...page.map((coupon) => ({ ...coupon })));
    cli.print(formatTable(coupons, ['code', 'partnerId', 'status', 'endsAt', 'discount', 'signups', 'customers']));
  },
};

export const couponsDeactivate: Command = {
  name: 'coupons deactivate',
  summary: 'Deactivates a code: it no longer attributes (customers it bound stay bound).',
  usage: '<code>',
  options: {},
  async run(_values, positionals, cli) {
    const coupon = await updateCoupon(cli, oneCode(positionals), { status: 'inactive' }, cliActor());
    cli.print(formatTable([{ ...coupon }], ['code', 'partnerId', 'status']));
  },
};
