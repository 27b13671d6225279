import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { assign, auth, linkManager, residentId, startProfiles } from '../../testing/profiles-test-app';

const admin = () => auth('admin');
const MANAGER_A = crypto.randomUUID();
const MANAGER_B = crypto.randomUUID();
/** MANAGER_A's login (identity user id), linked to their registry id by a manager event. */
const MANAGER_A_USER = crypto.randomUUID();

interface Seed {
  name: string;
  aum: number;
  city: string;
  branch: string;
  risk?: string;
  tags?: string[];
  needs?: string[];
  manager?: string;
}

// 12 customers with known attributes; every expectation below is derived from this table.
const SEEDS: Seed[] = [
  { name: '王芳', aum: 100_000, city: '上海', branch: 'SH-PD-001', risk: 'A', tags: ['new_customer'], manager: MANAGER_A },
  { name: '王伟', aum: 800_000, city: '上海', branch: 'SH-XH-001', risk: 'B', tags: ['vip'], needs: ['retirement'], manager: MANAGER_A },
  { name: '李娜', aum: 7_000_000, city: '北京', branch: 'BJ-CY-001', risk: 'C', tags: ['vip', 'business_owner'], needs: ['sme_business'], manager: MANAGER_B },
  { name: '欧阳娜娜', aum: 35_000_000, city: '上海', branch: 'SH-PD-001', risk: 'D', tags: ['vip'], needs: ['family_trust', 'retirement'], manager: MANAGER_A },
  { name: '张伟', aum: 0, city: '深圳', branch: 'SZ-FT-001', tags: [] },
  { name: '张娜', aum: 520_000, city: '深圳', branch: 'SZ-NS-001', risk: 'B', needs: ['education'] },
  { name: '陈静', aum: 6_000_000, city: '北京', branch: 'BJ-HD-001', risk: 'C', tags: ['cross_border'], needs: ['cross_border'], manager: MANAGER_B },
  { name: '刘洋', aum: 499_999.99, city: '广州', branch: 'GZ-TH-001', risk: 'A' },
  { name: 'Wang Fang', aum: 2_000_000, city: '上海', branch: 'SH-HP-001', risk: 'C', tags: ['digital_first'], manager: MANAGER_A },
  { name: '赵娜', aum: 12_000_000, city: '杭州', branch: 'HZ-XH-001', risk: 'D', tags: ['vip'], needs: ['retirement'] },
  { name: '孙伟', aum: 300_000, city: '成都', branch: 'CD-JJ-001', risk: 'B', needs: ['mortgage_loans'] },
  { name: '娜仁', aum: 50_000_000, city: '北京', branch: 'BJ-XC-001', risk: 'D', tags: ['vip'], needs: ['family_trust'] },
];

/** Search: every filter, combinations, sort, pagination, the manager's book and masking (real MariaDB). */
describe('portrait search', () => {
  let app: NestFastifyApplication;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    app = await startProfiles();
    await linkManager(app, MANAGER_A, MANAGER_A_USER);
    await linkManager(app, MANAGER_B, null);
    for (const [i, s] of SEEDS.entries()) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/profiles',
        headers: admin(),
        payload: {
          displayName: s.name,
          aumCny: s.aum,
          city: s.city,
          homeBranchId: s.branch,
          phone: `1380000${String(1000 + i)}`,
          nationalIdNumber: residentId('19800101', 100 + i),
          ...(s.risk ? { riskAnswers: Array(10).fill(s.risk) } : {}),
          tags: s.tags ?? [],
          needs: s.needs ?? [],
        },
      });
      if (response.statusCode !== 201) throw new Error(response.body);
      ids.set(s.name, response.json().id);
      if (s.manager) await assign(app, response.json().id, s.manager);
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const search = async (query: string, headers = admin()) => {
    const sort = query.includes('sort=') ? '' : 'sort=aum&';
    const response = await app.inject({ method: 'GET', url: `/api/profiles?pageSize=100&${sort}${query}`, headers });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json() as { items: { displayName: string; phone: string; masked: boolean }[]; total: number; page: number; pageSize: number };
  };
  const names = async (query: string, headers = admin()) => (await search(query, headers)).items.map((i) => i.displayName);
  const expected = (predicate: (s: Seed) => boolean) =>
    SEEDS.filter(predicate)
      .sort((a, b) => b.aum - a.aum)
      .map((s) => s.name);
  const level = (s: Seed) => ({ A: 'C1', B: 'C2', C: 'C4', D: 'C5' })[s.risk ?? ''] ?? null;

  it('lists everybody, newest first by default', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/profiles?pageSize=100', headers: admin() });
    expect(response.json().total).toBe(SEEDS.length);
    expect(response.json().items.map((i: { displayName: string }) => i.displayName)).toEqual(SEEDS.map((s) => s.name).reverse());
  });

  it.each([
    ['tag=vip', (s: Seed) => !!s.tags?.includes('vip')],
    ['tag=vip,business_owner', (s: Seed) => !!s.tags?.includes('vip') && !!s.tags?.includes('business_owner')],
    ['need=retirement', (s: Seed) => !!s.needs?.includes('retirement')],
    ['need=retirement&need=family_trust', (s: Seed) => !!s.needs?.includes('retirement') && !!s.needs?.includes('family_trust')],
    ['segment=affluent', (s: Seed) => s.aum >= 500_000 && s.aum < 6_000_000],
    ['segment=high_net_worth,private', (s: Seed) => s.aum >= 6_000_000],
    ['branch=SH-PD-001', (s: Seed) => s.branch === 'SH-PD-001'],
    ['branch=SH-PD-001,BJ-CY-001', (s: Seed) => ['SH-PD-001', 'BJ-CY-001'].includes(s.branch)],
    [`city=${encodeURIComponent('上海')}`, (s: Seed) => s.city === '上海'],
    ['aumMin=500000', (s: Seed) => s.aum >= 500_000],
    ['aumMax=499999.99', (s: Seed) => s.aum <= 499_999.99],
    ['aumMin=1000000&aumMax=12000000', (s: Seed) => s.aum >= 1_000_000 && s.aum <= 12_000_000],
    ['riskLevel=C5', (s: Seed) => level(s) === 'C5'],
    ['riskLevel=C1,C2', (s: Seed) => ['C1', 'C2'].includes(level(s) ?? '')],
    [`assignedManagerId=${MANAGER_B}`, (s: Seed) => s.manager === MANAGER_B],
    ['unassigned=true', (s: Seed) => !s.manager],
    [`q=${encodeURIComponent('娜')}`, (s: Seed) => s.name.includes('娜')],
    [`q=${encodeURIComponent('王')}`, (s: Seed) => s.name.startsWith('王')],
    [`q=${encodeURIComponent('欧阳娜')}`, (s: Seed) => s.name.includes('欧阳娜')],
    [`q=${encodeURIComponent('娜娜')}`, (s: Seed) => s.name.includes('娜娜')],
    ['q=wang%20f', (s: Seed) => s.name === 'Wang Fang'],
    ['q=FANG', (s: Seed) => s.name === 'Wang Fang'],
    [`q=${encodeURIComponent('伟王')}`, () => false],
    // combinations
    [`tag=vip&city=${encodeURIComponent('上海')}&segment=private`, (s: Seed) => !!s.tags?.includes('vip') && s.city === '上海' && s.aum >= 30_000_000],
    [`need=retirement&riskLevel=C5&unassigned=true`, (s: Seed) => !!s.needs?.includes('retirement') && level(s) === 'C5' && !s.manager],
    [`q=${encodeURIComponent('娜')}&aumMin=1000000&branch=BJ-CY-001,BJ-XC-001,HZ-XH-001`, (s: Seed) => s.name.includes('娜') && s.aum >= 1_000_000 && ['BJ-CY-001', 'BJ-XC-001', 'HZ-XH-001'].includes(s.branch)],
    [`assignedManagerId=${MANAGER_A}&tag=vip&need=retirement`, (s: Seed) => s.manager === MANAGER_A && !!s.tags?.includes('vip') && !!s.needs?.includes('retirement')],
  ])('filters by %s', async (query, predicate) => {
    const result = await search(query);
    expect(result.items.map((i) => i.displayName)).toEqual(expected(predicate));
    expect(result.total).toBe(expected(predicate).length);
  });

  it('sorts by name, AUM, createdAt and updatedAt in either direction', async () => {
    expect(await names('sort=aum&order=asc')).toEqual(expected(() => true).reverse());
    const byName = await names('sort=name&order=asc');
    expect([...byName].sort((a, b) => a.localeCompare(b, 'en'))).toHaveLength(SEEDS.length);
    expect(await names('sort=name&order=desc')).toEqual([...byName].reverse());
    expect(await names('sort=createdAt&order=asc')).toEqual(SEEDS.map((s) => s.name));
    // Touch one: it becomes the most recently updated.
    await app.inject({ method: 'PATCH', url: `/api/profiles/${ids.get('孙伟')}`, headers: { ...admin(), 'if-match': '"1"' }, payload: { city: '重庆' } });
    expect((await names('sort=updatedAt&order=desc'))[0]).toBe('孙伟');
    await app.inject({ method: 'PATCH', url: `/api/profiles/${ids.get('孙伟')}`, headers: { ...admin(), 'if-match': '"2"' }, payload: { city: '成都' } });
  });

  it('paginates with a stable order and the total', async () => {
    const all = expected(() => true);
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const response = await app.inject({ method: 'GET', url: `/api/profiles?sort=aum&page=${page}&pageSize=5`, headers: admin() });
      const body = response.json();
      expect(body).toMatchObject({ total: SEEDS.length, page, pageSize: 5 });
      pages.push(...body.items.map((i: { displayName: string }) => i.displayName));
    }
    expect(pages).toEqual(all);
    const beyond = await app.inject({ method: 'GET', url: '/api/profiles?page=9&pageSize=5', headers: admin() });
    expect(beyond.json()).toMatchObject({ items: [], total: SEEDS.length });
  });

  it('shows a manager only their own book, masked, whatever they ask for', async () => {
    const managerA = () => auth('manager', MANAGER_A_USER);
    const book = await search('', managerA());
    expect(book.items.map((i) => i.displayName)).toEqual(expected((s) => s.manager === MANAGER_A));
    expect(book.total).toBe(SEEDS.filter((s) => s.manager === MANAGER_A).length);
    expect(book.items.every((i) => i.masked && /^138\*{4}\d{4}$/.test(i.phone))).toBe(true);
    expect(await names('tag=vip', managerA())).toEqual(expected((s) => s.manager === MANAGER_A && !!s.tags?.includes('vip')));
    expect(await names(`assignedManagerId=${MANAGER_A}`, managerA())).toEqual(expected((s) => s.manager === MANAGER_A));
    // Unknown logins, a login whose account is not linked (MANAGER_B's) and a token id equal to a registry id: empty books.
    expect(await names('', auth('manager', crypto.randomUUID()))).toEqual([]);
    expect(await search('', auth('manager', MANAGER_A))).toMatchObject({ items: [], total: 0, totalExact: true, page: 1, pageSize: 100 });

    const other = await app.inject({ method: 'GET', url: `/api/profiles?assignedManagerId=${MANAGER_B}`, headers: managerA() });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toMatch(/assignedManagerId/);
    // Without a linked account no assignedManagerId is one's own.
    expect((await app.inject({ method: 'GET', url: `/api/profiles?assignedManagerId=${MANAGER_B}`, headers: auth('manager') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/profiles?unassigned=true', headers: managerA() })).statusCode).toBe(403);
    expect((await search('', admin())).items.every((i) => !i.masked)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/profiles', headers: auth('customer') })).statusCode).toBe(403);
  });

  it.each([
    ['segment=gold', /each value in segment must be one of the following values/],
    ['riskLevel=C9', /riskLevel/],
    ['need=yachts', /need/],
    ['aumMin=-1', /aumMin must not be less than 0/],
    ['aumMax=abc', /aumMax must be a number/],
    ['sort=age', /sort must be one of the following values/],
    ['order=up', /order must be one of the following values/],
    ['pageSize=101', /pageSize must not be greater than 100/],
    ['assignedManagerId=nope', /assignedManagerId must be a UUID/],
    ['unassigned=maybe', /unassigned must be a boolean/],
    [`q=${'x'.repeat(51)}`, /q must be shorter than or equal to 50 characters/],
    ['tag=VIP!', /each value in tag must be a tag code/],
    ['colour=red', /property colour should not exist/],
  ])('refuses %s with 400 naming the parameter', async (query, message) => {
    const response = await app.inject({ method: 'GET', url: `/api/profiles?${query}`, headers: admin() });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });
});
