import { buildSearchSql, type SearchFilter } from './search-query';

const base: SearchFilter = { sort: 'aum', order: 'desc', page: 1, pageSize: 20 };

describe('search SQL', () => {
  it('lists everything by AUM with an id tie-breaker in the same direction', () => {
    const sql = buildSearchSql(base);
    expect(sql.pageSql).toBe('select c.id from customer_portrait c order by c.aum_cny desc, c.id desc limit ? offset ?');
    expect(sql.pageParams).toEqual([20, 0]);
    expect(sql.countSql).toBe('select count(*) as n from (select 1 from customer_portrait c limit 10001) counted');
  });

  it('combines every filter as parameters, never as SQL text', () => {
    const sql = buildSearchSql({
      ...base,
      segments: ['affluent', 'private'],
      riskLevels: ['C3'],
      branches: ['SH-PD-001'],
      cities: ["上海'; drop table x; --"],
      aumMin: 1,
      aumMax: 2,
      assignedManagerId: 'm',
      tags: ['vip', 'vip', 'retiree'],
      tagBits: new Map([['vip', 0]]),
      needs: ['retirement', 'family_trust', 'retirement'],
      q: '欧阳娜',
      sort: 'name',
      order: 'asc',
      page: 3,
      pageSize: 10,
    });
    expect(sql.pageSql).not.toContain('drop table');
    expect(sql.countSql).toContain('c.segment in (?, ?) and c.risk_level in (?) and c.home_branch_id in (?) and c.city in (?)');
    expect(sql.countSql).toContain('c.aum_cny >= ? and c.aum_cny <= ? and c.assigned_manager_id = ?');
    // Needs and catalogued tags are bits of the row's masks; a tag without a bit is probed in customer_tag.
    expect(sql.countSql).toContain('c.need_mask & ? = ? and c.tag_mask & ? = ? and exists (select 1 from customer_tag t where t.customer_id = c.id and t.tag_code = ?)');
    expect(sql.countSql).not.toContain('customer_need');
    expect(sql.countSql.match(/customer_tag/g)).toHaveLength(1);
    expect(sql.countSql).toContain('join customer_name_gram g1 on g1.customer_id = g0.customer_id and g1.gram = ? where g0.gram = ?');
    // retirement is bit 1, family_trust bit 7: 2 + 128.
    expect(sql.countParams).toEqual(['affluent', 'private', 'C3', 'SH-PD-001', "上海'; drop table x; --", 1, 2, 'm', '130', '130', '1', '1', 'retiree', '阳娜', '欧阳', '%欧阳娜%']);
    expect(sql.pageSql).toMatch(/order by c.display_name asc, c.id asc limit \? offset \?$/);
    expect(sql.pageParams.slice(-2)).toEqual([10, 20]);
  });

  it('keeps indexes led by segment or risk level out of the page plan when a many-valued column is filtered', () => {
    const hint = 'ignore index (customer_portrait_segment_idx, customer_portrait_segment_risk_idx, customer_portrait_risk_idx)';
    for (const filter of [{ cities: ['上海'] }, { branches: ['SH-PD-001'] }, { assignedManagerId: 'm' }]) {
      expect(buildSearchSql({ ...base, segments: ['mass'], ...filter }).pageSql).toContain(`from customer_portrait c ${hint} where`);
    }
    expect(buildSearchSql({ ...base, segments: ['mass'], riskLevels: ['C1'], unassigned: true }).pageSql).not.toContain('index (');
  });

  it.each([
    [{ assignedManagerId: 'm', branches: ['SH-PD-001'], cities: ['上海'] }, 'customer_portrait_manager_idx'],
    [{ branches: ['SH-PD-001', 'BJ-CY-001'], cities: ['上海'], segments: ['mass'] }, 'customer_portrait_branch_idx'],
    [{ cities: ['上海'], segments: ['mass'], needs: ['retirement'] as const, unassigned: true }, 'customer_portrait_city_segment_idx'],
    [{ cities: ['上海'], riskLevels: ['C1'] }, 'customer_portrait_city_idx'],
    [{ segments: ['mass'], riskLevels: ['C1'], aumMin: 100_000 }, 'customer_portrait_segment_risk_idx'],
  ])('counts %j from %s', (filter, index) => {
    const sql = buildSearchSql({ ...base, ...filter });
    expect(sql.countSql).toContain(`from customer_portrait c use index (${index}) where`);
  });

  it("leaves the total's index to MariaDB when it has no better idea or needs the primary key", () => {
    for (const filter of [{ segments: ['mass'] }, { unassigned: true }, { aumMin: 5 }, {}]) {
      expect(buildSearchSql({ ...base, ...filter }).countSql).not.toContain('use index');
    }
    // Name grams and a rare need are joined on the primary key.
    expect(buildSearchSql({ ...base, branches: ['SH-PD-001'], q: '王' }).countSql).not.toContain('use index');
    const rare = buildSearchSql({ ...base, branches: ['SH-PD-001'], needs: ['family_trust'], holders: new Map([['need:family_trust', 30]]) });
    expect(rare.countSql).not.toContain('use index');
    expect(rare.countSql).toContain('customer_need');
  });

  it('drives the page and the total from the value table of the rarest need or tag, keeping the masks', () => {
    const drive = (table: string) => `c.id in (select v.customer_id from ${table} v where v.${table.slice(9)}_code = ?)`;
    const filter = { ...base, needs: ['retirement', 'family_trust'] as const, tags: ['vip'], tagBits: new Map([['vip', 3]]) };
    const rare = buildSearchSql({ ...filter, holders: new Map([['need:retirement', 10_000], ['need:family_trust', 1_999], ['tag:vip', 5_000]]) });
    for (const sql of [rare.pageSql, rare.countSql]) {
      expect(sql).toContain(`c.need_mask & ? = ? and c.tag_mask & ? = ? and ${drive('customer_need')}`);
      expect(sql).not.toContain('customer_tag');
    }
    expect(rare.pageParams).toEqual(['130', '130', '8', '8', 'family_trust', 20, 0]);
    expect(rare.countParams).toEqual(['130', '130', '8', '8', 'family_trust']);

    // Rare enough to count from, not to read a page from: an ordered scan fills a page sooner.
    const middling = buildSearchSql({ ...filter, holders: new Map([['need:family_trust', 2_000], ['tag:vip', 9_999]]) });
    expect(middling.pageSql).not.toContain('select v.customer_id');
    expect(middling.countSql).toContain(drive('customer_need'));
    expect(middling.countParams.at(-1)).toBe('family_trust');
    // A rare tag drives from customer_tag.
    const rareTag = buildSearchSql({ ...filter, holders: new Map([['need:family_trust', 3_000], ['tag:vip', 12]]) });
    expect(rareTag.pageSql).toContain(drive('customer_tag'));
    expect(rareTag.pageParams.slice(-3)).toEqual(['vip', 20, 0]);

    const common = buildSearchSql({ ...filter, holders: new Map([['need:retirement', 10_000], ['need:family_trust', 10_000], ['tag:vip', 10_000]]) });
    const unknown = buildSearchSql(filter);
    for (const sql of [common.pageSql, common.countSql, unknown.pageSql, unknown.countSql]) expect(sql).not.toContain('select v.customer_id');
  });

  it('writes bit 63 of a tag mask exactly (beyond double precision)', () => {
    const sql = buildSearchSql({ ...base, tags: ['a', 'b'], tagBits: new Map([['a', 63], ['b', 0]]) });
    expect(sql.countParams).toEqual(['9223372036854775809', '9223372036854775809']);
  });

  it('filters the unassigned and escapes LIKE wildcards in names', () => {
    const sql = buildSearchSql({ ...base, unassigned: true, q: 'a_%b' });
    expect(sql.countSql).toContain('c.assigned_manager_id is null');
    expect(sql.countParams.at(-1)).toBe('%a\\_\\%b%');
  });
});
