// Partner-link parsing (docs/CONTRACTS.md §1): every URL form, encodings, repeats, empties, invalid values,
// and the address left after cutting our parameters out.
import { readLink } from '../../sdk/link';

const uuid = '0b5c9a8e-3f4d-4c1b-9a2e-7d6f5e4c3b2a';

describe('readLink: where the parameters are', () => {
  it.each([
    ['the whole hash', '#a_aid=p1&a_bid=b1', ''],
    ['after a section in the hash', '#pricing&a_aid=p1&a_bid=b1', '#pricing'],
    ["in a hash route's query", '#/plans?a_aid=p1&a_bid=b1', '#/plans'],
    ["in a hash route's query, among others", '#/plans?tab=2&a_aid=p1&a_bid=b1&sort=asc', '#/plans?tab=2&sort=asc'],
    ['in the query', '?a_aid=p1&a_bid=b1', ''],
    ['in the query, among others', '?plan=pro&a_aid=p1&utm=x&a_bid=b1', '?plan=pro&utm=x'],
    ['in the query, before a hash', '?a_aid=p1&a_bid=b1#faq', '#faq'],
    ['first in the hash, before a section', '#a_aid=p1&a_bid=b1&faq', '#faq'],
  ])('%s', (_, address, rest) => {
    expect(readLink(address)).toEqual([{ aid: 'p1', bid: 'b1' }, rest]);
  });

  it('takes the hash over the query where both carry a parameter', () => {
    expect(readLink('?a_aid=fromQuery&a_bid=qb&data1=q1#a_aid=fromHash&data1=h1')).toEqual([
      { aid: 'fromHash', bid: 'qb', data1: 'h1' },
      '',
    ]);
  });

  it('reads every parameter', () => {
    expect(readLink(`#a_aid=p_1-A&a_bid=summer-2025&data1=sub one&data2=x&a_cid=${uuid}`)).toEqual([
      { aid: 'p_1-A', bid: 'summer-2025', data1: 'sub one', data2: 'x', cid: uuid },
      '',
    ]);
  });
});

describe('readLink: values', () => {
  it('decodes percent-encoding and +', () => {
    expect(readLink('#a_aid=p%2D1&data1=caf%C3%A9+bar&data2=a%2Bb%26c')[0]).toEqual({
      aid: 'p-1',
      data1: 'café bar',
      data2: 'a+b&c',
    });
  });

  it('survives malformed percent-encoding', () => {
    expect(readLink('#a_aid=%ZZ')).toEqual([undefined, '#a_aid=%ZZ']);
    expect(readLink('#a_aid=p1&data1=%E0%A4%A')[0]).toMatchObject({ aid: 'p1' });
  });

  it('takes the last of a repeated parameter', () => {
    expect(readLink('#a_aid=first&a_aid=second&a_bid=b1&a_bid=b2')[0]).toEqual({ aid: 'second', bid: 'b2' });
  });

  it('treats empty parameters as missing', () => {
    expect(readLink('#a_aid=p1&a_bid=&data1=&data2&a_cid=')).toEqual([{ aid: 'p1' }, '']);
  });

  it.each([
    ['empty', '#a_aid='],
    ['without a value', '#a_aid'],
    ['with a space', '#a_aid=bad%20id'],
    ['with markup', '#a_aid=%3Cscript%3E'],
    ['with a dot', '?a_aid=p.1'],
    ['65 characters long', `#a_aid=${'a'.repeat(65)}`],
  ])('ignores the whole link when a_aid is %s, and leaves the address alone', (_, address) => {
    expect(readLink(`${address}&a_bid=b1`)).toEqual([undefined, `${address}&a_bid=b1`]);
  });

  it('accepts a 64-character a_aid', () => {
    expect(readLink(`#a_aid=${'a'.repeat(64)}`)[0]).toEqual({ aid: 'a'.repeat(64) });
  });

  it('drops an invalid a_bid, a_cid or sub-ID but keeps the link', () => {
    expect(
      readLink(`#a_aid=p1&a_bid=no/slash&a_cid=not-a-uuid&data1=${'x'.repeat(129)}&data2=${'y'.repeat(128)}`),
    ).toEqual([{ aid: 'p1', data2: 'y'.repeat(128) }, '']);
  });

  it('reads only our exact names', () => {
    expect(readLink('#xa_aid=p1&a_aidx=p2')).toEqual([undefined, '#xa_aid=p1&a_aidx=p2']);
  });

  it("leaves a site's own sub-ID parameters alone when there is no link", () => {
    expect(readLink('?data1=mine&a_bid=b1#top')).toEqual([undefined, '?data1=mine&a_bid=b1#top']);
  });

  it('gives nothing for an address without parameters', () => {
    expect(readLink('')).toEqual([undefined, '']);
  });
});
