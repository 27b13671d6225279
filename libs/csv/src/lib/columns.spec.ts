import { boolean, cell, cellProblem, cellValue, date, isCalendarDate, list, number, oneOf, text, uuid, validateRecord } from './columns';

const COLUMNS = {
  code: text({ maxLength: 4, pattern: /^[A-Z]+$/, patternMessage: 'may contain only capital letters' }).required(),
  name: text({ maxLength: 3 }).inHeader(),
  colour: oneOf(['red', 'green']).orElse('red' as const),
  tags: list({ allowed: ['a', 'b', 'c'], max: 2 }),
  codes: list({ item: { test: (v) => /^[a-z]+$/.test(v), describe: 'a lowercase code' } }).required(),
  amount: number({ min: 0, max: 1_000_000, decimals: 2, grouping: true }),
  level: number({ min: 1, max: 10, integer: true }),
  day: date({ min: '1900-01-01', max: () => '2026-01-01' }),
  consent: boolean(),
  id: uuid(),
  even: cell((v) => (Number(v) % 2 === 0 ? cellValue(Number(v)) : cellProblem(`${v} is odd`))),
};
const GOOD = { code: 'AB', codes: 'x;y' };
const check = (cells: Record<string, string>, row = 7) => validateRecord(COLUMNS, { row, cells: { ...GOOD, ...cells } });

describe('validateRecord', () => {
  it('turns a valid record into typed values; empty cells mean null, [] or the default', () => {
    const { values, problems } = check({});
    expect(problems).toEqual([]);
    expect(values).toEqual({ code: 'AB', name: null, colour: 'red', tags: [], codes: ['x', 'y'], amount: null, level: null, day: null, consent: null, id: null, even: null });
  });

  it('converts every kind of cell', () => {
    const { values } = check({
      name: '王芳',
      colour: 'green',
      tags: ' a ; ;c',
      amount: '250,000.50',
      level: '10',
      day: '2000-02-29',
      consent: '是',
      id: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      even: '4',
    });
    expect(values).toEqual({
      code: 'AB',
      name: '王芳',
      colour: 'green',
      tags: ['a', 'c'],
      codes: ['x', 'y'],
      amount: 250_000.5,
      level: 10,
      day: '2000-02-29',
      consent: true,
      id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      even: 4,
    });
  });

  it.each([
    [{ code: '' }, 'code', 'code is required'],
    [{ codes: ' ; ' }, 'codes', 'codes is required'],
    [{ code: 'ABCDE' }, 'code', 'code must be at most 4 characters'],
    [{ code: 'ab' }, 'code', 'code may contain only capital letters'],
    [{ name: '欧阳娜娜' }, 'name', 'name must be at most 3 characters'],
    [{ colour: 'Red' }, 'colour', 'colour "Red" is not one of red, green'],
    [{ tags: 'a;z;y' }, 'tags', 'tags has "z", "y", which are not one of a, b, c'],
    [{ tags: 'a;a' }, 'tags', 'tags lists "a" twice'],
    [{ tags: 'a;b;c' }, 'tags', 'tags may list at most 2 values'],
    [{ codes: 'ok;NO' }, 'codes', 'codes has "NO", which is not a lowercase code'],
    [{ amount: '1e5' }, 'amount', 'amount "1e5" is not a number'],
    [{ amount: '1.005' }, 'amount', 'amount may have at most 2 decimal places'],
    [{ amount: '-1' }, 'amount', 'amount must be between 0 and 1000000'],
    [{ level: '4.5' }, 'level', 'level "4.5" is not a whole number'],
    [{ level: '11' }, 'level', 'level must be between 1 and 10'],
    [{ day: '2001-02-29' }, 'day', 'day "2001-02-29" is not a date YYYY-MM-DD'],
    [{ day: '2027-01-01' }, 'day', 'day 2027-01-01 must be between 1900-01-01 and 2026-01-01'],
    [{ consent: 'maybe' }, 'consent', 'consent "maybe" is not true or false'],
    [{ id: '123' }, 'id', 'id "123" is not a UUID'],
    [{ even: '3' }, 'even', 'even 3 is odd'],
  ])('reports %j with row, column, value and a message naming the column', (cells, column, message) => {
    const { values, problems } = check(cells);
    expect(values).toBeNull();
    expect(problems).toEqual([{ row: 7, column, value: (cells as Record<string, string>)[column].slice(0, 100), message }]);
  });

  it('reports every bad column of a row, the value cut to 100 characters', () => {
    const { problems } = check({ code: 'x'.repeat(150), level: 'high' });
    expect(problems.map((p) => [p.column, p.value?.length])).toEqual([
      ['code', 100],
      ['level', 4],
    ]);
  });
});

describe('isCalendarDate', () => {
  it('accepts real days only', () => {
    expect(['2024-02-29', '1900-01-01'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2023-02-29', '2024-13-01', '2024-1-01', '20240101'].map(isCalendarDate)).toEqual([false, false, false, false]);
  });
});
