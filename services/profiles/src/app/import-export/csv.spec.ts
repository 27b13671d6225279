import { encode } from 'iconv-lite';
import { parseImportRow } from './csv-columns';
import { decodeCsv, EncodingProblem, isWellFormedGbk, wrongDelimiter } from './csv-decode';

describe('CSV decoding', () => {
  const text = 'displayName,city\n王芳,上海\n欧阳娜娜,北京\n';

  it('reads UTF-8, with or without BOM', () => {
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'UTF-8', warnings: [] });
    expect(decodeCsv(Buffer.from('\uFEFF' + text, 'utf8')).text).toBe(text);
  });

  it('detects GBK, decodes it and says so', () => {
    const gbk = encode(text, 'gbk');
    expect(isWellFormedGbk(gbk)).toBe(true);
    const decoded = decodeCsv(gbk);
    expect(decoded).toMatchObject({ text, encoding: 'GBK' });
    expect(decoded.warnings.join()).toMatch(/GBK-encoded, not UTF-8/);
  });

  it('refuses GBK when UTF-8 was required, and encodings it cannot read', () => {
    expect(() => decodeCsv(encode(text, 'gbk'), 'utf-8')).toThrow(/not UTF-8: it is GBK/);
    expect(() => decodeCsv(encode(text, 'utf16le'))).toThrow(EncodingProblem);
    expect(() => decodeCsv(Buffer.from([0x41, 0xff, 0x80, 0x41]))).toThrow(/neither UTF-8 nor GBK/);
  });

  it('recognises a header saved with the wrong delimiter', () => {
    expect(wrongDelimiter('displayName;phone;city')).toBe('semicolons');
    expect(wrongDelimiter('displayName\tphone')).toBe('tabs');
    expect(wrongDelimiter('displayName,phone')).toBeNull();
  });
});

describe('CSV rows', () => {
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

  it('converts a valid row', () => {
    const { record, errors } = parseImportRow(good);
    expect(errors).toEqual([]);
    expect(record).toMatchObject({
      displayName: '王芳',
      nationalIdNumber: '11010519491231002X',
      homeBranchId: 'SH-PD-001',
      changes: { phone: '13812345678', aumCny: 1_250_000.5, productsHeld: ['mortgage', 'mutual_fund'], declaredNeeds: ['retirement'], consent: { profiling: true } },
    });
    expect(record?.changes.riskAnswers).toHaveLength(10);
  });

  it.each([
    [{ phone: '12345' }, 'phone', /not a mainland China mobile/],
    [{ nationalIdNumber: '110105194912310021' }, 'nationalIdNumber', /wrong check digit/],
    [{ nationalIdNumber: '' }, 'nationalIdNumber', /required/],
    [{ aumCny: '-5' }, 'aumCny', /negative/],
    [{ aumCny: '1e20' }, 'aumCny', /not an amount/],
    [{ aumCny: '200000000000' }, 'aumCny', /exceeds/],
    [{ email: 'nope' }, 'email', /not an email/],
    [{ gender: 'x' }, 'gender', /not one of female/],
    [{ productsHeld: 'yacht' }, 'productsHeld', /"yacht" is not a product/],
    [{ riskAnswers: 'ABC' }, 'riskAnswers', /10 letters/],
    [{ displayName: '王'.repeat(101) }, 'displayName', /at most 100/],
    [{ birthDate: '1990-02-30' }, 'birthDate', /not a past date/],
    [{ consentMarketing: 'maybe' }, 'consentMarketing', /not true or false/],
    [{ tags: 'VIP!' }, 'tags', /not a tag code/],
  ])('reports %j in its column', (cells, column, message) => {
    const { record, errors } = parseImportRow({ ...good, ...cells });
    expect(record).toBeNull();
    expect(errors).toEqual([{ column, message: expect.stringMatching(message) }]);
  });
});
