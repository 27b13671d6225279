import { BRANCH_CATALOG, ManagerMatchSnapshot } from '@relationship/contracts';
import { readCsv } from '@relationship/csv';
import { crossCheckRows, MANAGER_CSV_COLUMNS, managerCsvRecord, managerCsvWriter, validateCsvRecord, type CsvManagerRow } from '../import/manager-csv';
import { snapshotOf } from '../registry/manager-rules';
import { demoManagers, generateManagers } from './demo-managers';

describe('demo managers', () => {
  const demo = demoManagers();

  it('are the same on every run', () => {
    expect(demoManagers()).toEqual(demo);
    expect(generateManagers(10, 42)).toEqual(generateManagers(10, 42));
    expect(generateManagers(10, 42)).not.toEqual(generateManagers(10, 43));
  });

  it('hold the five demo accounts (by email) and 45 colleagues, a few away', () => {
    expect(demo).toHaveLength(50);
    expect(demo.slice(0, 5).map((d) => [d.fields.email, d.fields.displayName])).toEqual([
      ['manager1@demo.relationship.local', '郑建国'],
      ['manager2@demo.relationship.local', '谢婉清'],
      ['manager3@demo.relationship.local', '韩志强'],
      ['manager4@demo.relationship.local', '唐雪梅'],
      ['manager5@demo.relationship.local', '冯立新'],
    ]);
    expect(demo.filter((d) => d.leave)).toHaveLength(4);
    expect(demo.filter((d) => d.leave?.coverEmployeeNo)).toHaveLength(4);
    expect(demo.filter((d) => d.left)).toHaveLength(1);
    expect(new Set(demo.map((d) => d.fields.employeeNo)).size).toBe(50);
    expect(new Set(demo.map((d) => d.fields.email)).size).toBe(50);
  });

  it('look plausible: capacity 80–300, every branch city represented, titles varied', () => {
    for (const d of demo) {
      expect(d.fields.capacity).toBeGreaterThanOrEqual(80);
      expect(d.fields.capacity).toBeLessThanOrEqual(300);
      expect(d.fields.displayName).toMatch(/^\p{Script=Han}{2,3}$/u);
    }
    expect(new Set(demo.map((d) => d.fields.title)).size).toBe(5);
    expect(new Set(demo.map((d) => d.fields.branchId)).size).toBeGreaterThan(12);
  });

  it('pass the same checks as an import, and make valid snapshots', () => {
    const text = managerCsvWriter.header() + managerCsvWriter.rows(demo.map((d) => managerCsvRecord({ ...d.fields, ...d.fields.performance, coverEmployeeNo: null })));
    const branches = new Set(BRANCH_CATALOG.map((b) => b.id));
    const rows = readCsv(text, MANAGER_CSV_COLUMNS).records.map((r) => validateCsvRecord(r, branches));
    expect(rows.flatMap((r) => r.problems)).toEqual([]);
    const crossed = crossCheckRows(rows.map((r) => r.row as CsvManagerRow), { employeeNos: new Set(), emails: new Set(), userIds: new Set(), byEmployeeNo: new Map() });
    expect(crossed.problems).toEqual([]);
    for (const d of demo) {
      const branch = BRANCH_CATALOG.find((b) => b.id === d.fields.branchId);
      expect(branch).toBeDefined();
      const snapshot = snapshotOf({ ...d.fields, id: '7d0c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f', branch: { id: d.fields.branchId }, region: branch?.region ?? '', city: branch?.city, version: 1, ...d.fields.performance });
      expect(() => ManagerMatchSnapshot.parse(snapshot)).not.toThrow();
    }
  });
});
