import { encode } from 'iconv-lite';
import { bearer, ManagersHarness, newManager } from '../../testing/managers-test-app';
import { CSV_COLUMNS } from './manager-csv';

const HEADER = 'employeeNo,displayName,branchId,title,level,expertise,certifications,languages,segmentsServed,interests,capacity,availability,leaveFrom,leaveUntil,coverEmployeeNo,satisfaction,retention,aumGrowth,email,phone';

describe('managers CSV import and export (real MariaDB and Kafka)', () => {
  const h = new ManagersHarness();
  const admin = bearer('admin');
  let seq = 0;
  /** A fresh employee-number prefix per test, so rows never collide across tests. */
  const prefix = () => `C${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

  const upload = (body: string | Buffer, query = '', contentType = 'text/csv') =>
    h.app.inject({ method: 'POST', url: `/api/managers/import${query}`, headers: { ...admin, 'content-type': contentType }, payload: body });

  const rowsOf = (p: string) => [
    `${p}-1,周文博,SH-PD-001,senior_manager,6,wealth_management;retirement,CFP;AFP,zh-CN;en,affluent;high_net_worth,golf;tea,150,active,,,,4.7,0.93,0.15,${p.toLowerCase()}-1@bank.example,13911112222`,
    `${p}-2,吴子涵,GZ-TH-001,manager,4,insurance,AFP,zh-CN;yue,mass;affluent,,220,on_leave,2026-12-01,2027-01-31,${p}-1,4.1,0.88,0.05,,`,
    `${p}-3,Grace Liu,SZ-FT-001,private_banker,9,family_trust;cross_border,CFA,en;zh-CN,private,,90,active,,,,,,,,`,
  ];
  const csv = (lines: string[], header = HEADER) => [header, ...lines].join('\r\n') + '\r\n';

  beforeAll(async () => {
    await h.start();
  }, 120_000);

  afterAll(async () => {
    await h.stop();
  });

  it('imports a valid file: every row created with its ManagerRegistered event and audit row', async () => {
    const p = prefix();
    const response = await upload(csv(rowsOf(p)));
    expect(response.statusCode).toBe(201);
    const report = response.json();
    expect(report).toMatchObject({ outcome: 'imported', mode: 'all-or-nothing', encoding: 'utf-8', rows: 3, validRows: 3, importedRows: 3, errorCount: 0, errors: [] });
    expect(report.imported.map((r: { row: number }) => r.row)).toEqual([2, 3, 4]);

    const rows = await h.sql<{ id: string; employee_no: string; display_name: string; availability: string; cover_manager_id: string | null; leave_until: string }>(
      "select id, employee_no, display_name, availability, cover_manager_id, date_format(leave_until, '%Y-%m-%d') as leave_until from manager where employee_no like ? order by employee_no",
      [`${p}-%`],
    );
    expect(rows.map((r) => r.display_name)).toEqual(['周文博', '吴子涵', 'Grace Liu']);
    expect(rows[1]).toMatchObject({ availability: 'on_leave', cover_manager_id: rows[0].id, leave_until: '2027-01-31' });
    for (const row of rows) {
      expect((await h.events(row.id)).map((e) => e.type)).toEqual(['ManagerRegistered']);
      expect(await h.count('audit_entry', "entity_id = ? and action = 'manager.imported' and actor_role = 'admin'", [row.id])).toBe(1);
    }
    const events = await h.events(rows[1].id);
    expect(events[0].payload).toMatchObject({ snapshot: { availability: 'on_leave', coverManagerId: rows[0].id, languages: ['zh-CN', 'yue'] } });
  });

  it('rejects a file with errors: 400, every problem with row and column, nothing written', async () => {
    const p = prefix();
    const [good] = rowsOf(p);
    const lines = [
      good,
      `${p}-2,,XX-NOPE-1,ceo,11,astrology,AFP,zh-CN,mass,,-3,active,,,,,,,not-an-email,`,
      `${p}-3,林晓,SH-PD-001,manager,4,insurance,,fr,mass,,abc,holiday,,,,6,,,,`,
      `${p}-4,只有几列,SH-PD-001`,
    ];
    const response = await upload(csv(lines));
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', outcome: 'rejected', rows: 4, validRows: 1, importedRows: 0, requestId: expect.any(String) });
    expect(body.message).toMatch(/nothing was imported/);
    const at = (row: number) => (body.errors as { row: number; column: string | null }[]).filter((e) => e.row === row).map((e) => e.column);
    expect(at(3)).toEqual(expect.arrayContaining(['displayName', 'branchId', 'title', 'level', 'expertise', 'capacity', 'email']));
    expect(at(4)).toEqual(expect.arrayContaining(['languages', 'capacity', 'availability', 'satisfaction']));
    expect(body.errors).toContainEqual(expect.objectContaining({ row: 5, column: null, message: 'the row has 3 fields, the header has 20' }));
    expect(body.errors).toContainEqual(expect.objectContaining({ row: 3, column: 'branchId', value: 'XX-NOPE-1', message: 'branchId "XX-NOPE-1" is not a known branch' }));
    expect(body.errorCount).toBe(body.errors.length);
    // Other writes may happen meanwhile (the consumer replays older UserRegistered events): look at this file's rows only.
    expect(await h.count('manager', 'employee_no like ?', [`${p}-%`])).toBe(0);
    expect(await h.count('outbox_message', 'envelope like ?', [`%${p}-%`])).toBe(0);
    expect(await h.count('audit_entry', 'after like ?', [`%${p}-%`])).toBe(0);
  });

  it('in valid-only mode writes the valid rows and reports the others', async () => {
    const p = prefix();
    const [first, second] = rowsOf(p);
    const response = await upload(csv([first, `${p}-9,坏行,SH-PD-001,manager,4,,,zh-CN,mass,,-1,,,,,,,,,`, second]), '?mode=valid-only');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ outcome: 'partially_imported', mode: 'valid-only', rows: 3, validRows: 2, importedRows: 2, errors: [{ row: 3, column: 'capacity' }] });
    expect(await h.count('manager', 'employee_no like ?', [`${p}-%`])).toBe(2);
  });

  it('only validates on a dry run', async () => {
    const p = prefix();
    const response = await upload(csv(rowsOf(p)), '?dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ outcome: 'validated', dryRun: true, validRows: 3, importedRows: 0 });
    expect(await h.count('manager', 'employee_no like ?', [`${p}-%`])).toBe(0);
  });

  it('detects a GBK file, says so, and imports it converted to UTF-8', async () => {
    const p = prefix();
    const response = await upload(encode(csv(rowsOf(p)), 'gbk'));
    expect(response.statusCode).toBe(201);
    const report = response.json();
    expect(report).toMatchObject({ outcome: 'imported', encoding: 'gbk', importedRows: 3 });
    expect(report.warnings.join(' ')).toMatch(/GBK/);
    const names = await h.sql<{ display_name: string }>('select display_name from manager where employee_no like ? order by employee_no', [`${p}-%`]);
    expect(names.map((n) => n.display_name)).toEqual(['周文博', '吴子涵', 'Grace Liu']);
  });

  it('refuses a file with the wrong delimiter, naming it', async () => {
    const p = prefix();
    const semicolons = csv(rowsOf(p).map((l) => l.replace(/,/g, ';')), HEADER.replace(/,/g, ';'));
    const response = await upload(semicolons);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ row: 1, column: null, message: 'wrong delimiter: the file uses ";" between columns; use "," (comma)' }]);
    expect(await h.count('manager', 'employee_no like ?', [`${p}-%`])).toBe(0);
  });

  it('refuses a file with missing or unknown columns, naming them', async () => {
    const p = prefix();
    const header = HEADER.replace(',capacity', '').replace('email', 'emial');
    const lines = rowsOf(p).map((l) => l.split(',').filter((_, i) => i !== 10).join(','));
    const response = await upload(csv(lines, header));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, column: 'capacity', message: 'missing column capacity' }),
        expect.objectContaining({ row: 1, column: 'emial', message: expect.stringMatching(/^unknown column "emial"/) }),
      ]),
    );
  });

  it('reports duplicate rows in the file and rows already in the registry', async () => {
    const p = prefix();
    const existing = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin, payload: newManager({ employeeNo: `${p}-3` }) });
    expect(existing.statusCode).toBe(201);
    const [a, b, c] = rowsOf(p);
    const response = await upload(csv([a, b, a.replace(`${p.toLowerCase()}-1@`, 'other@'), c]));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ row: 4, column: 'employeeNo', message: `employeeNo ${p}-1 duplicates row 2` }),
      expect.objectContaining({ row: 5, column: 'employeeNo', message: `employeeNo ${p}-3 is already in the registry` }),
    ]);
    expect(await h.count('manager', 'employee_no like ?', [`${p}-%`])).toBe(1);
  });

  it('refuses other media types, empty bodies, files over 10 MB and non-admins', async () => {
    expect((await upload('{"a":1}', '', 'application/json')).statusCode).toBe(415);
    expect((await upload('', '')).statusCode).toBe(400);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const tooBig = await upload(big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ statusCode: 413, requestId: expect.any(String) });
    const manager = await h.app.inject({ method: 'POST', url: '/api/managers/import', headers: { ...bearer('manager'), 'content-type': 'text/csv' }, payload: csv([]) });
    expect(manager.statusCode).toBe(403);
    const badMode = await upload(csv([]), '?mode=some');
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().message).toMatch(/mode/);
  });

  it('exports UTF-8 CSV with a BOM and a header row that imports again unchanged', async () => {
    const p = prefix();
    expect((await upload(csv(rowsOf(p)))).statusCode).toBe(201);
    const edited = await h.app.inject({ method: 'GET', url: `/api/managers?q=${p}-3`, headers: admin });
    const third = edited.json().items[0];
    // A name Excel would run as a formula must survive the round trip.
    await h.app.inject({ method: 'PATCH', url: `/api/managers/${third.id}`, headers: { ...admin, 'if-match': `"${third.version}"` }, payload: { displayName: '=SUM(A1)' } });

    const exported = await h.app.inject({ method: 'GET', url: `/api/managers/export?q=${p}`, headers: admin });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="managers-\d{8}\.csv"$/);
    const bytes = exported.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    expect(text).toContain("'=SUM(A1)");

    const view = async () => {
      const list = await h.app.inject({ method: 'GET', url: `/api/managers?q=${p}&pageSize=100`, headers: admin });
      // Ids, versions and timestamps are new after a re-import; the cover is a new id too, so only its presence counts.
      return (list.json().items as Record<string, unknown>[]).map((item) => {
        const rest: Record<string, unknown> = { ...item, hasCover: item['coverManagerId'] !== null };
        for (const key of ['id', 'version', 'createdAt', 'updatedAt', 'coverManagerId']) delete rest[key];
        return rest;
      });
    };
    const before = await view();
    const ids = (await h.sql<{ id: string }>('select id from manager where employee_no like ?', [`${p}-%`])).map((r) => r.id);
    await h.sql(`delete from manager where id in (${ids.map(() => '?').join(',')})`, ids);
    const reimport = await upload(bytes);
    expect(reimport.statusCode).toBe(201);
    expect(reimport.json()).toMatchObject({ outcome: 'imported', importedRows: 3 });
    expect(await view()).toEqual(before);
  });

  it('refuses export and import to managers', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/managers/export', headers: bearer('manager') })).statusCode).toBe(403);
  });
});
