// The portal's coupon codes: the partner's codes with their signups and customers, and requests
// for new ones (pending until the operator approves).
import { collector } from './api';
import { $, busy, el, errorText, formValues, showStatus } from './dom';
import { count, shortDate } from './format';
import { pagedTable } from './portal-statements';

interface Coupon {
  code: string;
  status: string;
  discount: string | null;
  endsAt: string | null;
  signups: number;
  customers: number;
}

export function initPortalCoupons(token: string | null): { load(): Promise<void> } {
  const section = $('#coupons');
  const { load } = pagedTable<Coupon>({
    path: '/v1/me/coupons',
    table: '#coupon-table',
    more: '#coupons-more',
    columns: 6,
    empty: 'No codes yet: request one below.',
    token,
    row: (coupon) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, coupon.code)),
        el('td', {}, el('span', { className: `badge ${coupon.status}` }, coupon.status)),
        el('td', {}, coupon.discount ?? '–'),
        el('td', {}, shortDate(coupon.endsAt)),
        el('td', { className: 'num' }, count(coupon.signups)),
        el('td', { className: 'num' }, count(coupon.customers)),
      ),
  });
  const form = $<HTMLFormElement>('#coupon-request');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, async () => {
      const values = formValues(form);
      try {
        await collector('/v1/me/coupons', {
          token,
          body: { code: values.code, ...(values.discount ? { discount: values.discount } : {}) },
        });
        form.reset();
        showStatus(section, `Code ${values.code} requested: it works once the operator approves it.`, 'ok');
        await load();
      } catch (error) {
        showStatus(section, errorText(error), 'error');
      }
    });
  });
  return { load };
}
