import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NEEDS } from '@relationship/contracts';
import { forkEm, ormOptions } from '@relationship/persistence';
import { profilesMigrations } from '../../migrations';
import { auth, profilesTestConfig, recreateTestDatabase, registerCustomer, residentId, sql, startProfiles } from '../../testing/profiles-test-app';
import { profilesEntities } from '../database/entities';
import { NEED_BITS } from '../domain/value-masks';
import { ValueHolders } from './value-holders';

const admin = () => auth('admin');
let phoneSeq = 5000;
const phone = () => `1370000${String(phoneSeq++)}`;
const nid = () => residentId('19700101', phoneSeq % 1000, '110101');

interface MaskRow {
  id: string;
  need_mask: string;
  tag_mask: string;
}

/**
 * need_mask / tag_mask are a copy of customer_need / customer_tag kept for the search (real MariaDB): after every
 * kind of write they equal what the value tables say, and need/tag filters return exactly the holders.
 */
describe('need and tag masks', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startProfiles();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  const masks = async () => new Map((await sql<MaskRow>(app, 'select id, cast(need_mask as char) as need_mask, cast(tag_mask as char) as tag_mask from customer_portrait')).map((r) => [r.id, r]));
  const maskOf = async (id: string) => (await masks()).get(id);

  /** Every row's masks, recomputed from the value tables and the catalogue's bits, equal the stored ones. */
  const expectInSync = async () => {
    const expected = new Map<string, { need: bigint; tag: bigint }>();
    const entry = (id: string) => {
      const found = expected.get(id) ?? { need: 0n, tag: 0n };
      expected.set(id, found);
      return found;
    };
    for (const id of (await masks()).keys()) entry(id);
    for (const n of await sql<{ customer_id: string; need_code: keyof typeof NEED_BITS }>(app, 'select customer_id, need_code from customer_need')) {
      entry(n.customer_id).need |= 1n << BigInt(NEED_BITS[n.need_code]);
    }
    const tagged = await sql<{ customer_id: string; mask_bit: number }>(
      app,
      'select t.customer_id, d.mask_bit from customer_tag t join tag_definition d on d.code = t.tag_code where d.mask_bit is not null',
    );
    for (const t of tagged) entry(t.customer_id).tag |= 1n << BigInt(t.mask_bit);
    const stored = [...(await masks()).values()].map((r) => [r.id, r.need_mask, r.tag_mask]).sort();
    expect(stored).toEqual([...expected].map(([id, m]) => [id, m.need.toString(), m.tag.toString()]).sort());
  };
  const bitOf = async (code: string) => (await sql<{ mask_bit: number | null }>(app, 'select mask_bit from tag_definition where code = ?', [code]))[0]?.mask_bit;
  /** The bit of a catalogued tag that has one. */
  const bit = async (code: string) => {
    const found = await bitOf(code);
    if (typeof found !== 'number') throw new Error(`${code} has no bit`);
    return found;
  };

  const create = async (payload: Record<string, unknown>) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/profiles',
      headers: admin(),
      payload: { displayName: '测试', city: '上海', homeBranchId: 'SH-PD-001', aumCny: 100_000, phone: phone(), nationalIdNumber: nid(), ...payload },
    });
    if (response.statusCode !== 201) throw new Error(response.body);
    return response.json() as { id: string; version: number };
  };
  const patch = async (id: string, payload: Record<string, unknown>) => {
    const current = (await app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers: admin() })).json();
    const response = await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': `"${current.version}"` }, payload: { ...payload } });
    if (response.statusCode !== 200) throw new Error(response.body);
  };
  const searchIds = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/profiles?pageSize=100&${query}`, headers: admin() });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    const body = response.json() as { items: { id: string }[]; total: number };
    expect(body.total).toBe(body.items.length);
    return body.items.map((i) => i.id).sort();
  };

  it('staff creation and edits write the masks with the values, and leave them alone otherwise', async () => {
    const a = await create({ tags: ['vip', 'retiree'], needs: ['retirement', 'education'] });
    const [vip, retiree] = [await bit('vip'), await bit('retiree')];
    expect(vip).not.toBe(retiree);
    // retirement is bit 1, education bit 4.
    expect(await maskOf(a.id)).toEqual({ id: a.id, need_mask: '18', tag_mask: String((1 << vip) | (1 << retiree)) });

    await patch(a.id, { needs: ['insurance'], tags: [] });
    expect(await maskOf(a.id)).toMatchObject({ need_mask: '8', tag_mask: '0' });
    await patch(a.id, { city: '北京' });
    expect(await maskOf(a.id)).toMatchObject({ need_mask: '8', tag_mask: '0' });
    await create({ needs: [...NEEDS] });
    await expectInSync();
  });

  it("a customer's own declared needs, on top of staff needs", async () => {
    const { userId, id } = await registerCustomer(app, { phone: phone() });
    expect(await maskOf(id)).toMatchObject({ need_mask: '0', tag_mask: '0' });
    const mine = async (declaredNeeds: string[]) => {
      const own = auth('customer', userId);
      const etag = String((await app.inject({ method: 'GET', url: '/api/profiles/me', headers: own })).headers['etag']);
      return app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: { ...own, 'if-match': etag }, payload: { declaredNeeds } });
    };
    expect((await mine(['family_trust', 'deposits'])).statusCode).toBe(200);
    expect(await maskOf(id)).toMatchObject({ need_mask: String(128 + 256) });
    await patch(id, { needs: ['deposits'] });
    expect((await mine([])).statusCode).toBe(200);
    // deposits stays: staff still record it.
    expect(await maskOf(id)).toMatchObject({ need_mask: '256' });
    await expectInSync();
  });

  it('rule runs add derived tags and needs to the masks and take them out when the rule goes', async () => {
    const rich = await create({ aumCny: 9_000_000 });
    const poor = await create({ aumCny: 1_000 });
    const rule = async (payload: Record<string, unknown>) => {
      const response = await app.inject({ method: 'POST', url: '/api/profiles/rules', headers: admin(), payload });
      expect(response.statusCode).toBe(201);
      return response.json().rule as { id: string };
    };
    const tagRule = await rule({ name: 'mask-tag', kind: 'tag', value: 'high_potential', condition: { field: 'aumCny', op: 'gte', value: 5_000_000 } });
    const needRule = await rule({ name: 'mask-need', kind: 'need', value: 'sme_business', condition: { field: 'aumCny', op: 'gte', value: 5_000_000 } });
    expect(await maskOf(rich.id)).toMatchObject({ need_mask: String(1 << 5), tag_mask: String(1 << (await bit('high_potential'))) });
    expect(await maskOf(poor.id)).toMatchObject({ need_mask: '0', tag_mask: '0' });
    await expectInSync();

    expect((await app.inject({ method: 'PATCH', url: `/api/profiles/rules/${tagRule.id}`, headers: { ...admin(), 'if-match': '"1"' }, payload: { enabled: false } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/profiles/rules/${needRule.id}`, headers: admin() })).statusCode).toBe(200);
    expect(await maskOf(rich.id)).toMatchObject({ need_mask: '0', tag_mask: '0' });
    await expectInSync();
  });

  it('a CSV import writes the masks of every row', async () => {
    const header = 'displayName,phone,nationalIdNumber,city,homeBranchId,aumCny,declaredNeeds,needs,tags';
    const rows = [
      `导入甲,${phone()},${nid()},上海,SH-PD-001,1000,retirement;insurance,credit_card,vip;retiree`,
      `导入乙,${phone()},${nid()},北京,BJ-CY-001,2000,,,`,
      `导入丙,${phone()},${nid()},深圳,SZ-FT-001,3000,education,,cross_border`,
    ];
    const response = await app.inject({ method: 'POST', url: '/api/profiles/import', headers: { ...admin(), 'content-type': 'text/csv' }, payload: [header, ...rows].join('\n') + '\n' });
    expect(response.json()).toMatchObject({ importedRows: 3 });
    const [first] = await sql<{ id: string }>(app, "select id from customer_portrait where display_name = '导入甲'");
    expect(await maskOf(first.id)).toMatchObject({ need_mask: String(2 + 8 + 512) });
    await expectInSync();
  });

  it('gives each new tag the next bit (the 64th gets bit 63), none past the 64th, and backfills older holders', async () => {
    // A value row written before its tag was catalogued (older data): creating the tag must set its bit there too.
    const legacy = await create({});
    await sql(app, "insert into customer_tag (customer_id, tag_code, origin, source, rule_id, created_at) values (?, 'zz_legacy', 'manual', 'manual', null, now(3))", [legacy.id]);
    const existing = Number((await sql<{ n: number }>(app, 'select count(*) as n from tag_definition'))[0].n);
    const codes = Array.from({ length: 65 - existing }, (_, i) => (i === 0 ? 'zz_legacy' : `zz_tag_${String(i).padStart(2, '0')}`));
    for (const code of codes) {
      const response = await app.inject({ method: 'POST', url: '/api/profiles/tags', headers: admin(), payload: { code, labelZh: code, labelEn: code } });
      expect(response.statusCode).toBe(201);
    }
    expect(await bitOf('zz_legacy')).toBe(existing);
    expect(await maskOf(legacy.id)).toMatchObject({ tag_mask: String(1n << BigInt(existing)) });
    const [last64, past64] = codes.slice(-2);
    expect(await bitOf(last64)).toBe(63);
    expect(await bitOf(past64)).toBeNull();
    const bits = (await sql<{ mask_bit: number }>(app, 'select mask_bit from tag_definition where mask_bit is not null order by mask_bit')).map((r) => r.mask_bit);
    expect(bits).toEqual(Array.from({ length: 64 }, (_, i) => i));

    const x = await create({ tags: [last64] });
    const y = await create({ tags: [past64] });
    const z = await create({ tags: [last64, past64, 'vip'] });
    expect(await maskOf(x.id)).toMatchObject({ tag_mask: '9223372036854775808' });
    expect(await maskOf(y.id)).toMatchObject({ tag_mask: '0' });
    await expectInSync();

    expect(await searchIds(`tag=${last64}`)).toEqual([x.id, z.id].sort());
    expect(await searchIds(`tag=${past64}`)).toEqual([y.id, z.id].sort());
    expect(await searchIds(`tag=${last64},${past64}`)).toEqual([z.id]);
    expect(await searchIds(`tag=${past64},vip`)).toEqual([z.id]);
  });

  it('a search page carries each portrait exactly as a single read does (every kind of column)', async () => {
    const full = await create({
      displayName: '全字段',
      gender: 'female',
      birthDate: '1980-05-17',
      email: 'Full.Fields@Example.com',
      nationalIdNumber: residentId('19800517', 321),
      preferredLanguage: 'en',
      preferredChannel: 'wechat',
      aumCny: 7_500_000.55,
      incomeBand: '1m_5m',
      productsHeld: ['mortgage', 'mutual_fund'],
      activityLevel: 'high',
      riskAnswers: Array(10).fill('C'),
      needs: ['wealth_management'],
      interests: ['golf', 'tea'],
      tags: ['vip', 'retiree'],
      lifecycleStage: 'growing',
      consent: { profiling: true, marketing: false, data_sharing: true },
    });
    const one = (await app.inject({ method: 'GET', url: `/api/profiles/${full.id}`, headers: admin() })).json();
    const page = (await app.inject({ method: 'GET', url: `/api/profiles?q=${encodeURIComponent('全字段')}`, headers: admin() })).json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toEqual(one);
    expect(one).toMatchObject({ birthDate: '1980-05-17', aumCny: 7_500_000.55, consent: { profiling: true, marketing: false, data_sharing: true }, interests: ['golf', 'tea'] });
  });

  it.each([
    ['by the masks alone', true],
    ['driven from the value tables (rare codes)', false],
  ])('need and tag filters return exactly the customers holding them, alone and combined: %s', async (_label, common) => {
    // Every code is rare in this small data set; pretending nobody knows the counts leaves the masks alone at work.
    const counted = jest.spyOn(app.get(ValueHolders), 'of');
    if (common) counted.mockResolvedValue(new Map());
    const holders = async (table: 'customer_need' | 'customer_tag', column: string, codes: string[]) => {
      const rows = await sql<{ customer_id: string }>(
        app,
        `select customer_id from ${table} where ${column} in (${codes.map(() => '?').join(', ')}) group by customer_id having count(distinct ${column}) = ?`,
        [...codes, codes.length],
      );
      return rows.map((r) => r.customer_id).sort();
    };
    let nonEmpty = 0;
    for (const need of NEEDS) {
      const expected = await holders('customer_need', 'need_code', [need]);
      nonEmpty += expected.length ? 1 : 0;
      expect(await searchIds(`need=${need}`)).toEqual(expected);
    }
    expect(nonEmpty).toBe(NEEDS.length);
    expect(await searchIds('need=retirement,insurance')).toEqual(await holders('customer_need', 'need_code', ['retirement', 'insurance']));
    expect((await holders('customer_need', 'need_code', ['retirement', 'insurance'])).length).toBeGreaterThan(0);
    const tags = (await sql<{ tag_code: string }>(app, 'select distinct tag_code from customer_tag')).map((t) => t.tag_code);
    expect(tags.length).toBeGreaterThan(3);
    for (const tag of tags) expect(await searchIds(`tag=${tag}`)).toEqual(await holders('customer_tag', 'tag_code', [tag]));
    expect(await searchIds('tag=vip,retiree')).toEqual(await holders('customer_tag', 'tag_code', ['vip', 'retiree']));
    // With other filters: the masks are checked inside the city index.
    const inShanghai = new Set((await sql<{ id: string }>(app, "select id from customer_portrait where city = '上海'")).map((r) => r.id));
    const retirees = (await holders('customer_need', 'need_code', ['retirement'])).filter((id) => inShanghai.has(id));
    expect(retirees.length).toBeGreaterThan(0);
    expect(await searchIds(`city=${encodeURIComponent('上海')}&need=retirement`)).toEqual(retirees);
    expect(counted).toHaveBeenCalled();
    counted.mockRestore();
  });
});

/** The migration's backfill: portraits written before the masks existed get them from the value tables. */
describe('search masks migration', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    const config = profilesTestConfig();
    await recreateTestDatabase(config);
    orm = await MikroORM.init(ormOptions(config, { entities: profilesEntities, migrations: profilesMigrations }));
  }, 60_000);
  afterAll(async () => {
    await orm?.close();
  });

  it('backfills need and tag masks and gives the catalogue its bits', async () => {
    await orm.migrator.up({ to: 'Migration20261202000000_search_indexes' });
    const em = forkEm(orm);
    const portrait = (id: string, i: number) =>
      em.execute(
        "insert into customer_portrait (id, display_name, national_id_number, version, created_at, updated_at) values (?, '旧客户', ?, 1, now(3), now(3))",
        [id, residentId('19600101', i)],
      );
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await portrait(a, 1);
    await portrait(b, 2);
    await portrait(c, 3);
    const value = (table: string, column: string, id: string, code: string, origin: string) =>
      em.execute(`insert into ${table} (customer_id, ${column}, origin, source, rule_id, created_at) values (?, ?, ?, ?, null, now(3))`, [
        id,
        code,
        origin,
        origin === 'declared' ? 'declared' : origin === 'staff' ? 'staff' : 'manual',
      ]);
    await value('customer_need', 'need_code', a, 'retirement', 'declared');
    await value('customer_need', 'need_code', a, 'retirement', 'staff');
    await value('customer_need', 'need_code', a, 'credit_card', 'staff');
    await value('customer_need', 'need_code', b, 'wealth_management', 'declared');
    await value('customer_tag', 'tag_code', a, 'vip', 'manual');
    await value('customer_tag', 'tag_code', b, 'retiree', 'manual');
    await value('customer_tag', 'tag_code', b, 'vip', 'manual');

    await orm.migrator.up();
    // The seeded catalogue shares one created_at: bits follow the codes' order.
    const catalogue = await em.execute<{ code: string; mask_bit: number }[]>('select code, mask_bit from tag_definition order by code');
    expect(catalogue.map((t) => t.mask_bit)).toEqual(catalogue.map((_, i) => i));
    const bits = new Map(catalogue.map((t) => [t.code, 1n << BigInt(t.mask_bit)]));
    const bit = (code: string) => bits.get(code) ?? 0n;
    const rows = await em.execute<MaskRow[]>('select id, cast(need_mask as char) as need_mask, cast(tag_mask as char) as tag_mask from customer_portrait');
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a)).toMatchObject({ need_mask: String(2 + 512), tag_mask: bit('vip').toString() });
    expect(byId.get(b)).toMatchObject({ need_mask: '1', tag_mask: (bit('vip') | bit('retiree')).toString() });
    expect(byId.get(c)).toMatchObject({ need_mask: '0', tag_mask: '0' });

    // Down restores the previous schema (and up backfills again).
    const columns = async () => (await em.execute<{ name: string }[]>("select column_name as name from information_schema.columns where table_schema = database() and table_name in ('customer_portrait', 'tag_definition') and column_name like '%mask%'")).map((r) => r.name).sort();
    const indexes = async () => (await em.execute<{ name: string }[]>("select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = 'customer_portrait' and index_name like '%idx'")).map((r) => r.name).sort();
    expect(await columns()).toEqual(['mask_bit', 'need_mask', 'tag_mask']);
    // The migrations after this one go first (each down() reverts one), then this one's.
    const managerAccountTable = async () => (await em.execute("select 1 from information_schema.tables where table_schema = database() and table_name = 'manager_account'")).length;
    expect(await managerAccountTable()).toBe(1);
    await orm.migrator.down();
    expect(await managerAccountTable()).toBe(0);
    expect(await columns()).toEqual(['mask_bit', 'need_mask', 'tag_mask']);
    await orm.migrator.down();
    expect(await columns()).toEqual([]);
    expect(await indexes()).toContain('customer_portrait_filter_idx');
    expect(await indexes()).not.toContain('customer_portrait_city_segment_idx');
    await orm.migrator.up();
    expect(await indexes()).toContain('customer_portrait_city_segment_idx');
    expect(await managerAccountTable()).toBe(1);
    const again = await em.execute<MaskRow[]>('select id, cast(need_mask as char) as need_mask, cast(tag_mask as char) as tag_mask from customer_portrait where id = ?', [a]);
    expect(again[0]).toMatchObject({ need_mask: String(2 + 512), tag_mask: bit('vip').toString() });
  });
});
