import { BRANCH_CATALOG } from '@relationship/contracts';
import { readCsv } from '@relationship/csv';
import { crossCheckRows, CSV_COLUMNS, MANAGER_CSV_COLUMNS, managerCsvRecord, managerCsvWriter, validateCsvRecord, type CsvManagerRow, type ExistingManagers } from './manager-csv';

const BRANCHES = new Set(BRANCH_CATALOG.map((b) => b.id));
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

describe('validateCsvRecord', () => {
  it('turns a valid record into registry fields', () => {
    const { row, problems } = validateCsvRecord({ row: 2, cells: record({ expertise: 'retirement;insurance', email: 'A@Bank.example', satisfaction: '4.5' }) }, BRANCHES);
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
    [{ title: 'boss' }, 'title', 'title "boss" is not one of associate, manager, senior_manager, director, private_banker'],
    [{ level: '0' }, 'level', 'level must be between 1 and 10'],
    [{ level: '4.5' }, 'level', 'level "4.5" is not a whole number'],
    [{ capacity: '-1' }, 'capacity', 'capacity must be between 0 and 100000'],
    [{ languages: '' }, 'languages', 'languages is required'],
    [{ languages: ' ; ' }, 'languages', 'languages is required'],
    [{ languages: 'zh-CN;fr' }, 'languages', 'languages has "fr", which is not one of zh-CN, en, yue, ja, ko'],
    [{ segmentsServed: 'mass;mass' }, 'segmentsServed', 'segmentsServed lists "mass" twice'],
    [{ expertise: 'astrology' }, 'expertise', expect.stringMatching(/^expertise has "astrology", which is not one of/)],
    [{ interests: 'golf;bad value' }, 'interests', expect.stringMatching(/^interests has "bad value", which is not a code/)],
    [{ satisfaction: '4.555' }, 'satisfaction', 'satisfaction may have at most 2 decimal places'],
    [{ retention: '1.5' }, 'retention', 'retention must be between 0 and 1'],
    [{ aumGrowth: 'ten' }, 'aumGrowth', 'aumGrowth "ten" is not a number'],
    [{ email: 'nope' }, 'email', 'email must be an email address'],
    [{ phone: 'call me' }, 'phone', expect.stringMatching(/^phone must be a phone number/)],
    [{ userId: '123' }, 'userId', 'userId "123" is not a UUID'],
    [{ availability: 'holiday' }, 'availability', 'availability "holiday" is not one of active, on_leave, left'],
    [{ leaveFrom: '2026-13-01', availability: 'on_leave' }, 'leaveFrom', 'leaveFrom "2026-13-01" is not a date YYYY-MM-DD'],
    [{ leaveUntil: '2027-01-01' }, 'leaveUntil', 'leaveUntil is only allowed when availability is on_leave'],
    [{ availability: 'on_leave', leaveFrom: '2027-02-01', leaveUntil: '2027-01-01' }, 'leaveUntil', 'leaveUntil must not be before leaveFrom'],
    [{ availability: 'on_leave', coverEmployeeNo: 'RM1' }, 'coverEmployeeNo', 'coverEmployeeNo must be another manager, not the manager on leave'],
  ])('reports %j at row and column', (values, column, message) => {
    const { row, problems } = validateCsvRecord({ row: 7, cells: record(values as Record<string, string>) }, BRANCHES);
    expect(row).toBeNull();
    expect(problems).toContainEqual(expect.objectContaining({ row: 7, column, message }));
  });
});

describe('crossCheckRows', () => {
  const row = (n: number, fields: Partial<CsvManagerRow['fields']>): CsvManagerRow => {
    const base = validateCsvRecord({ row: n, cells: record({ employeeNo: `RM${n}` }) }, BRANCHES).row as CsvManagerRow;
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
  const manager = {
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
  };

  it('writes a BOM, the header, ";" lists, guards cells Excel would run as formulas and keeps numbers numeric', () => {
    const text = managerCsvWriter.header() + managerCsvWriter.rows([managerCsvRecord(manager)]);
    expect(text.startsWith('\uFEFFemployeeNo,displayName,')).toBe(true);
    const [header, line] = text.slice(1).trim().split('\r\n');
    expect(header.split(',')).toEqual([...CSV_COLUMNS]);
    expect(line).toBe(`RM1,"'=HYPERLINK(""x"")",SH-PD-001,manager,4,retirement;insurance,,zh-CN,mass,,200,active,,,,4.5,,-0.05,,'+86 138 0000 0000,`);
  });

  it('imports again as it was exported', () => {
    const text = managerCsvWriter.header() + managerCsvWriter.rows([managerCsvRecord(manager)]);
    const [record] = readCsv(text, MANAGER_CSV_COLUMNS).records;
    expect(record.cells).toMatchObject({ displayName: '=HYPERLINK("x")', phone: '+86 138 0000 0000', aumGrowth: '-0.05' });
    expect(validateCsvRecord(record, BRANCHES).row?.fields).toMatchObject({ displayName: '=HYPERLINK("x")', performance: { aumGrowth: -0.05 } });
  });
});
