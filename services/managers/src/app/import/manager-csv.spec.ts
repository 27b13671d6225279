import { BRANCH_CATALOG } from '@relationship/contracts';
import { crossCheckRows, csvHeader, csvRows, CSV_COLUMNS, parseManagerCsv, validateCsvRecord, type CsvManagerRow, type ExistingManagers } from './manager-csv';

const BRANCHES = new Set(BRANCH_CATALOG.map((b) => b.id));
const HEADER = 'employeeNo,displayName,branchId,title,level,languages,segmentsServed,capacity,availability,leaveFrom,leaveUntil,coverEmployeeNo,expertise,email';
const NONE: ExistingManagers = { employeeNos: new Set(), emails: new Set(), userIds: new Set(), byEmployeeNo: new Map() };

const record = (values: Record<string, string>) => ({
  employeeNo: 'RM1',
  displayName: '郑建国',
  branchId: 'SH-PD-001',
  title: 'manager',
  level: '4',
  languages: 'zh-CN;en',
  segmentsServed: 'mass;affluent',
  capacity: '200',
  ...values,
});

describe('parseManagerCsv', () => {
  it('reads the header case-insensitively, skips blank rows and numbers rows like a spreadsheet', () => {
    const parsed = parseManagerCsv(`\uFEFFEMPLOYEENO,displayname,branchId,title,level,languages,segmentsServed,capacity\r\nRM1,"王, 芳",SH-PD-001,manager,4,zh-CN,mass,200\r\n,,,,,,,\r\n\r\nRM2,李娜,BJ-CY-001,manager,4,zh-CN,mass,200\r\n`);
    expect(parsed.fileProblems).toEqual([]);
    expect(parsed.records.map((r) => [r.row, r.values.employeeNo, r.values.displayName])).toEqual([
      [2, 'RM1', '王, 芳'],
      [5, 'RM2', '李娜'],
    ]);
  });

  it('recognises the wrong delimiter', () => {
    expect(parseManagerCsv('employeeNo;displayName\nRM1;x\n').fileProblems[0].message).toMatch(/uses ";"/);
    expect(parseManagerCsv('employeeNo\tdisplayName\nRM1\tx\n').fileProblems[0].message).toMatch(/uses tab/);
  });

  it('names missing, unknown and repeated columns', () => {
    const { fileProblems } = parseManagerCsv('employeeNo,displayName,displayName,colour\n');
    expect(fileProblems.map((p) => [p.row, p.column])).toEqual(
      expect.arrayContaining([
        [1, 'displayName'],
        [1, 'colour'],
        [1, 'branchId'],
        [1, 'capacity'],
      ]),
    );
  });

  it('reports rows with the wrong number of fields and broken quoting', () => {
    const short = parseManagerCsv(`${HEADER}\nRM1,x\n`);
    expect(short.rowProblems).toEqual([{ row: 2, column: null, message: 'the row has 2 fields, the header has 14' }]);
    const broken = parseManagerCsv(`${HEADER}\nRM1,"unclosed,SH\n`);
    expect(broken.fileProblems[0].message).toMatch(/not valid CSV/);
  });

  it('reports an empty file', () => {
    expect(parseManagerCsv('').fileProblems[0].message).toMatch(/empty/);
  });
});

describe('validateCsvRecord', () => {
  it('turns a valid record into registry fields', () => {
    const { row, problems } = validateCsvRecord(2, record({ expertise: 'retirement;insurance', email: 'A@Bank.example', satisfaction: '4.5' } as Record<string, string>), BRANCHES);
    expect(problems).toEqual([]);
    expect(row?.fields).toMatchObject({
      employeeNo: 'RM1',
      level: 4,
      capacity: 200,
      languages: ['zh-CN', 'en'],
      expertise: ['retirement', 'insurance'],
      availability: 'active',
      email: 'a@bank.example',
      performance: { satisfaction: 4.5, retention: null, aumGrowth: null },
    });
  });

  it.each([
    [{ employeeNo: '' }, 'employeeNo', 'employeeNo is required'],
    [{ employeeNo: 'RM 1' }, 'employeeNo', 'employeeNo may contain only letters, digits, "_" and "-"'],
    [{ displayName: '张'.repeat(101) }, 'displayName', 'displayName must be at most 100 characters'],
    [{ branchId: 'XX-1' }, 'branchId', 'branchId "XX-1" is not a known branch'],
    [{ title: 'boss' }, 'title', 'title must be one of associate, manager, senior_manager, director, private_banker'],
    [{ level: '0' }, 'level', 'level must be between 1 and 10'],
    [{ level: '4.5' }, 'level', 'level must be a whole number'],
    [{ capacity: '-1' }, 'capacity', 'capacity must be between 0 and 100000'],
    [{ languages: '' }, 'languages', 'languages needs at least 1 value (separate several with ";")'],
    [{ languages: 'zh-CN;fr' }, 'languages', 'languages has unknown value fr; allowed: zh-CN, en, yue, ja, ko'],
    [{ segmentsServed: 'mass;mass' }, 'segmentsServed', 'segmentsServed lists mass twice'],
    [{ expertise: 'astrology' }, 'expertise', expect.stringMatching(/^expertise has unknown value astrology/)],
    [{ interests: 'golf;bad value' }, 'interests', expect.stringMatching(/^interests has invalid code bad value/)],
    [{ satisfaction: '4.555' }, 'satisfaction', 'satisfaction may have at most 2 decimal places'],
    [{ retention: '1.5' }, 'retention', 'retention must be between 0 and 1'],
    [{ aumGrowth: 'ten' }, 'aumGrowth', 'aumGrowth must be a number'],
    [{ email: 'nope' }, 'email', 'email must be an email address'],
    [{ phone: 'call me' }, 'phone', expect.stringMatching(/^phone must be a phone number/)],
    [{ userId: '123' }, 'userId', 'userId must be a UUID'],
    [{ availability: 'holiday' }, 'availability', 'availability must be one of active, on_leave, left'],
    [{ leaveFrom: '2026-13-01', availability: 'on_leave' }, 'leaveFrom', 'leaveFrom must be a date (YYYY-MM-DD)'],
    [{ leaveUntil: '2027-01-01' }, 'leaveUntil', 'leaveUntil is only allowed when availability is on_leave'],
    [{ availability: 'on_leave', leaveFrom: '2027-02-01', leaveUntil: '2027-01-01' }, 'leaveUntil', 'leaveUntil must not be before leaveFrom'],
    [{ availability: 'on_leave', coverEmployeeNo: 'RM1' }, 'coverEmployeeNo', 'coverEmployeeNo must be another manager, not the manager on leave'],
  ])('reports %j at row and column', (values, column, message) => {
    const { row, problems } = validateCsvRecord(7, record(values as Record<string, string>), BRANCHES);
    expect(row).toBeNull();
    expect(problems).toContainEqual(expect.objectContaining({ row: 7, column, message }));
  });
});

describe('crossCheckRows', () => {
  const row = (n: number, fields: Partial<CsvManagerRow['fields']>): CsvManagerRow => {
    const base = validateCsvRecord(n, record({ employeeNo: `RM${n}` }), BRANCHES).row as CsvManagerRow;
    return { row: n, fields: { ...base.fields, ...fields } };
  };

  it('flags duplicates in the file and against the registry, keeping the first occurrence', () => {
    const rows = [row(2, { email: 'a@x.cn' }), row(3, { employeeNo: 'RM2' }), row(4, { email: 'a@x.cn' }), row(5, { employeeNo: 'OLD-1' })];
    const { valid, problems } = crossCheckRows(rows, { ...NONE, employeeNos: new Set(['OLD-1']) });
    expect(valid.map((r) => r.row)).toEqual([2]);
    expect(problems).toEqual([
      expect.objectContaining({ row: 3, column: 'employeeNo', message: 'employeeNo RM2 duplicates row 2' }),
      expect.objectContaining({ row: 5, column: 'employeeNo', message: 'employeeNo OLD-1 is already in the registry' }),
      expect.objectContaining({ row: 4, column: 'email', message: 'email a@x.cn duplicates row 2' }),
    ]);
  });

  it('resolves covers in the file or the registry; they must be active and valid', () => {
    const onLeave = { availability: 'on_leave' as const, leaveFrom: '2026-12-01' };
    const rows = [
      row(2, {}),
      row(3, { ...onLeave, coverEmployeeNo: 'RM2' }),
      row(4, { ...onLeave, coverEmployeeNo: 'DB-ACTIVE' }),
      row(5, { ...onLeave, coverEmployeeNo: 'DB-LEFT' }),
      row(6, { ...onLeave, coverEmployeeNo: 'NOBODY' }),
      row(7, { ...onLeave, coverEmployeeNo: 'RM3' }),
      row(8, { employeeNo: 'DB-ACTIVE' }),
    ];
    const existing: ExistingManagers = {
      ...NONE,
      employeeNos: new Set(['DB-ACTIVE', 'DB-LEFT']),
      byEmployeeNo: new Map([
        ['DB-ACTIVE', { id: 'a', availability: 'active' as const }],
        ['DB-LEFT', { id: 'b', availability: 'left' as const }],
      ]),
    };
    const { valid, problems } = crossCheckRows(rows, existing);
    expect(valid.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [8, 'employeeNo', 'employeeNo DB-ACTIVE is already in the registry'],
      [5, 'coverEmployeeNo', 'coverEmployeeNo DB-LEFT is left; a cover must be active'],
      [6, 'coverEmployeeNo', 'coverEmployeeNo NOBODY is neither in the registry nor in this file'],
      [7, 'coverEmployeeNo', 'coverEmployeeNo RM3 is on_leave in row 3; a cover must be active'],
    ]);
  });
});

describe('export format', () => {
  it('writes a BOM, the header, ";" lists, and guards cells Excel would run as formulas', () => {
    const text =
      csvHeader() +
      csvRows([
        {
          employeeNo: 'RM1',
          displayName: '=HYPERLINK("x")',
          branchId: 'SH-PD-001',
          title: 'manager',
          level: 4,
          expertise: ['retirement', 'insurance'],
          certifications: [],
          languages: ['zh-CN'],
          segmentsServed: ['mass'],
          interests: [],
          capacity: 200,
          availability: 'active',
          leaveFrom: null,
          leaveUntil: null,
          coverEmployeeNo: null,
          satisfaction: 4.5,
          retention: null,
          aumGrowth: -0.05,
          email: null,
          phone: '+86 138 0000 0000',
          userId: null,
        },
      ]);
    expect(text.startsWith('\uFEFFemployeeNo,displayName,')).toBe(true);
    const [header, line] = text.slice(1).trim().split('\r\n');
    expect(header.split(',')).toEqual([...CSV_COLUMNS]);
    expect(line).toBe(`RM1,"'=HYPERLINK(""x"")",SH-PD-001,manager,4,retirement;insurance,,zh-CN,mass,,200,active,,,,4.5,,-0.05,,'+86 138 0000 0000,`);
    const reparsed = parseManagerCsv(text);
    expect(reparsed.records[0].values).toMatchObject({ displayName: '=HYPERLINK("x")', phone: '+86 138 0000 0000', aumGrowth: '-0.05' });
  });
});
