import { bookQuery } from './book-query';

describe('bookQuery', () => {
  const none = { q: '', segment: [], riskLevel: [], need: [], tag: [], city: '', aumMin: null, aumMax: null };

  it('sends only the filters that are set, lists as lists, and the API page (1-based)', () => {
    expect(bookQuery(none, { index: 0, size: 50 }, { active: 'name', direction: '' })).toEqual({ page: 1, pageSize: 50 });
    expect(
      bookQuery(
        { ...none, q: ' 王 ', segment: ['mass', 'affluent'], city: '上海', aumMin: 0, aumMax: 5_000_000 },
        { index: 2, size: 25 },
        { active: 'aum', direction: 'desc' },
      ),
    ).toEqual({
      page: 3,
      pageSize: 25,
      q: '王',
      segment: ['mass', 'affluent'],
      city: ['上海'],
      aumMin: 0,
      aumMax: 5_000_000,
      sort: 'aum',
      order: 'desc',
    });
  });
});
