import { diffFields } from './audit';

describe('diffFields', () => {
  it('keeps only the fields that changed, comparing structured values by content', () => {
    const result = diffFields(
      { name: '王芳', tags: ['vip'], aum: 100, city: '上海' },
      { name: '王芳', tags: ['vip', 'hnw'], aum: 100, city: '北京' },
    );
    expect(result).toEqual({
      changed: ['tags', 'city'],
      before: { tags: ['vip'], city: '上海' },
      after: { tags: ['vip', 'hnw'], city: '北京' },
    });
  });
});
