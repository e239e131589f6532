import { isFiltered, matchesFilter, shownAt, walkBudget, walkChunk } from '../../../collector/domain/partner-directory';

describe('which directory entry shows a partner', () => {
  it('skips an entry whose partner was never stored', () => {
    expect(shownAt(3, null)).toBe(false);
    expect(shownAt(3, undefined)).toBe(false);
  });

  it('shows a partner at the entry it remembers only', () => {
    expect(shownAt(3, { directoryNo: 3 })).toBe(true);
    expect(shownAt(2, { directoryNo: 3 })).toBe(false);
  });

  it('shows a partner that remembers no entry (listed by a move that died before remembering it)', () => {
    expect(shownAt(7, {})).toBe(true);
    expect(shownAt(7, { directoryNo: null })).toBe(true);
  });
});

describe('the list filter', () => {
  const partner = { email: 'Ana@Example.com', name: 'Ana Lima', status: 'frozen' };

  it('matches part of the email or the name, any case, and the exact status', () => {
    expect(matchesFilter(partner, {})).toBe(true);
    expect(matchesFilter(partner, { q: 'ana@ex' })).toBe(true);
    expect(matchesFilter(partner, { q: 'LIMA' })).toBe(true);
    expect(matchesFilter(partner, { q: 'silva' })).toBe(false);
    expect(matchesFilter(partner, { status: 'frozen', q: 'ana' })).toBe(true);
    expect(matchesFilter(partner, { status: 'active', q: 'ana' })).toBe(false);
  });

  it('takes special characters literally', () => {
    expect(matchesFilter(partner, { q: '.*' })).toBe(false);
    expect(matchesFilter({ ...partner, name: 'A.* B' }, { q: '.*' })).toBe(true);
  });

  it('knows an empty search from a filter', () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ q: '' })).toBe(false);
    expect(isFiltered({ q: 'x' })).toBe(true);
    expect(isFiltered({ status: 'active' })).toBe(true);
  });
});

describe('how much one request reads', () => {
  it('reads a page (with a margin) unfiltered, a fixed walk filtered', () => {
    expect(walkBudget(50, false)).toBe(100);
    expect(walkBudget(10, true)).toBe(500);
    expect(walkBudget(200, true)).toBe(500);
    expect(walkChunk(10, false)).toBe(10);
    expect(walkChunk(10, true)).toBe(100);
    expect(walkChunk(200, true)).toBe(200);
  });
});
