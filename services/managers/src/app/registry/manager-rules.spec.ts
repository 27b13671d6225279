import { ManagerMatchSnapshot } from '@relationship/contracts';
import {
  changedFieldsBetween,
  fieldValues,
  maskForAudit,
  pendingEmployeeNo,
  pick,
  snapshotOf,
  todayInShanghai,
  type ManagerState,
} from './manager-rules';
import { isCalendarDate, leaveProblems } from '@relationship/domain-rules';

const manager = (overrides: Partial<ManagerState> = {}): ManagerState => ({
  id: '7d0c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f',
  userId: null,
  employeeNo: 'RM100001',
  displayName: '郑建国',
  branch: { id: 'SH-PD-001' },
  region: 'east',
  city: '上海',
  title: 'senior_manager',
  level: 6,
  expertise: ['wealth_management', 'retirement'],
  certifications: ['CFP'],
  languages: ['zh-CN', 'en'],
  segmentsServed: ['affluent'],
  interests: ['golf'],
  capacity: 150,
  availability: 'active',
  leaveFrom: null,
  leaveUntil: null,
  coverManagerId: null,
  satisfaction: 4.6,
  retention: 0.92,
  aumGrowth: 0.12,
  email: 'zheng.jianguo@bank.example',
  phone: '13812345678',
  version: 3,
  ...overrides,
});

describe('snapshotOf', () => {
  it('builds a snapshot the ManagerMatchSnapshot contract accepts, without contact data', () => {
    const snapshot = snapshotOf(manager());
    expect(ManagerMatchSnapshot.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toEqual({
      managerId: '7d0c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f',
      userId: null,
      employeeNo: 'RM100001',
      displayName: '郑建国',
      branchId: 'SH-PD-001',
      region: 'east',
      city: '上海',
      title: 'senior_manager',
      expertise: ['wealth_management', 'retirement'],
      certifications: ['CFP'],
      languages: ['zh-CN', 'en'],
      segmentsServed: ['affluent'],
      interests: ['golf'],
      capacity: 150,
      availability: 'active',
      coverManagerId: null,
      performance: { satisfaction: 4.6, retention: 0.92, aumGrowth: 0.12 },
    });
    expect(JSON.stringify(snapshot)).not.toMatch(/13812345678|bank\.example/);
  });

  it('carries the cover manager only while on leave, and copies arrays', () => {
    const cover = '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
    const source = manager({ availability: 'on_leave', coverManagerId: cover, leaveFrom: '2026-12-01' });
    const snapshot = snapshotOf(source);
    expect(snapshot.coverManagerId).toBe(cover);
    source.expertise.push('insurance');
    expect(snapshot.expertise).toEqual(['wealth_management', 'retirement']);
    expect(snapshotOf(manager({ coverManagerId: cover })).coverManagerId).toBeNull();
  });

  it('fails the contract for a draft missing languages (so such a record cannot emit an event)', () => {
    expect(() => ManagerMatchSnapshot.parse(snapshotOf(manager({ languages: [] })))).toThrow();
  });
});

describe('leaveProblems', () => {
  const base = { availability: 'on_leave' as const, leaveFrom: '2026-12-01', leaveUntil: '2027-01-31', coverManagerId: 'b' };

  it('accepts a proper leave with someone else covering', () => {
    expect(leaveProblems(base, 'a')).toEqual([]);
  });

  it('names each field that is wrong', () => {
    expect(leaveProblems({ ...base, leaveUntil: '2026-11-30' }, 'a')).toEqual([{ field: 'leaveUntil', message: 'leaveUntil must not be before leaveFrom' }]);
    expect(leaveProblems({ ...base, coverManagerId: 'a' }, 'a')).toEqual([
      { field: 'coverManagerId', message: 'coverManagerId must be another manager, not the manager on leave' },
    ]);
    expect(leaveProblems({ availability: 'active', leaveFrom: null, leaveUntil: '2027-01-01', coverManagerId: 'b' }).map((p) => p.field)).toEqual([
      'leaveUntil',
      'coverManagerId',
    ]);
  });

  it('uses the caller’s names for the fields (the CSV calls the cover coverEmployeeNo)', () => {
    expect(leaveProblems({ ...base, coverManagerId: 'RM1' }, 'RM1', { coverManagerId: 'coverEmployeeNo' })[0].field).toBe('coverEmployeeNo');
  });
});

describe('changes and audit values', () => {
  it('lists the fields that changed, comparing lists by content', () => {
    const before = fieldValues(manager());
    const after = fieldValues(manager({ expertise: ['wealth_management', 'retirement'], capacity: 180, branch: { id: 'BJ-CY-001' }, phone: '13900000000' }));
    expect(changedFieldsBetween(before, after)).toEqual(['branchId', 'capacity', 'phone']);
    expect(changedFieldsBetween(before, fieldValues(manager()))).toEqual([]);
  });

  it('masks contact data for audit rows', () => {
    const masked = maskForAudit(pick(fieldValues(manager()), ['email', 'phone', 'capacity']));
    expect(masked).toEqual({ email: 'z***@bank.example', phone: '138****5678', capacity: 150 });
  });
});

describe('small rules', () => {
  it('names drafts PENDING-<first 8 of the user id>', () => {
    expect(pendingEmployeeNo('7d0c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f')).toBe('PENDING-7d0c4f3e');
    expect(pendingEmployeeNo('7d0c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f', 12)).toBe('PENDING-7d0c4f3e2b1a');
  });

  it('knows calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-1-01')).toBe(false);
  });

  it('takes today in China', () => {
    expect(todayInShanghai(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });
});
