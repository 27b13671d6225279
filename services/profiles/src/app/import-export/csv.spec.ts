import { parseImportRow } from './csv-columns';

describe('customer CSV rows', () => {
  const good = {
    displayName: '王芳',
    nationalIdNumber: '11010519491231002x',
    phone: '+86 138 1234 5678',
    city: '上海',
    homeBranchId: 'SH-PD-001',
    aumCny: '1,250,000.50',
    productsHeld: 'mortgage; mutual_fund',
    riskAnswers: 'abcdabcdab',
    declaredNeeds: 'retirement',
    consentProfiling: '是',
  };
  const parse = (cells: Record<string, string>) => parseImportRow({ row: 5, cells });

  it('converts a valid row, leaving empty cells out of the changes', () => {
    const { record, problems } = parse(good);
    expect(problems).toEqual([]);
    expect(record).toEqual({
      displayName: '王芳',
      nationalIdNumber: '11010519491231002X',
      homeBranchId: 'SH-PD-001',
      tags: [],
      changes: {
        nationalIdNumber: '11010519491231002X',
        phone: '13812345678',
        city: '上海',
        homeBranchId: 'SH-PD-001',
        aumCny: 1_250_000.5,
        productsHeld: ['mortgage', 'mutual_fund'],
        riskAnswers: ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', 'B'],
        declaredNeeds: ['retirement'],
        consent: { profiling: true },
      },
    });
  });

  it('maps needs to staff needs and tags to manual tags', () => {
    const { record } = parse({ ...good, needs: 'insurance', tags: 'vip', email: 'Wang@Example.com', householdId: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' });
    expect(record?.changes).toMatchObject({ staffNeeds: ['insurance'], manualTags: ['vip'], email: 'wang@example.com', householdId: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' });
    expect(record?.tags).toEqual(['vip']);
  });

  it.each([
    [{ phone: '12345' }, 'phone', /^phone must be a mainland China mobile number/],
    [{ nationalIdNumber: '110105194912310021' }, 'nationalIdNumber', /wrong check digit/],
    [{ nationalIdNumber: '' }, 'nationalIdNumber', /^nationalIdNumber is required$/],
    [{ aumCny: '-5' }, 'aumCny', /^aumCny must be between 0 and/],
    [{ aumCny: '1e20' }, 'aumCny', /not a number/],
    [{ aumCny: '200000000000' }, 'aumCny', /must be between 0 and 100000000000/],
    [{ aumCny: '1.005' }, 'aumCny', /at most 2 decimal places/],
    [{ email: 'nope' }, 'email', /^email must be an email address$/],
    [{ gender: 'x' }, 'gender', /not one of female/],
    [{ productsHeld: 'yacht' }, 'productsHeld', /"yacht", which is not one of current_account/],
    [{ riskAnswers: 'ABC' }, 'riskAnswers', /^riskAnswers must answer all 10 questions/],
    [{ displayName: '王'.repeat(101) }, 'displayName', /at most 100/],
    [{ birthDate: '1990-02-30' }, 'birthDate', /not a date YYYY-MM-DD/],
    [{ birthDate: '2999-01-01' }, 'birthDate', /must be between 1900-01-01 and/],
    [{ consentMarketing: 'maybe' }, 'consentMarketing', /not true or false/],
    [{ tags: 'VIP!' }, 'tags', /not a tag code/],
    [{ homeBranchId: 'SH PD' }, 'homeBranchId', /^homeBranchId must be a branch code/],
  ])('reports %j in its column', (cells, column, message) => {
    const { record, problems } = parse({ ...good, ...cells });
    expect(record).toBeNull();
    expect(problems).toEqual([{ row: 5, column, value: expect.any(String), message: expect.stringMatching(message) }]);
  });
});
