import { list, number, text } from './columns';
import { readCsv, wrongDelimiter } from './read';

const COLUMNS = {
  employeeNo: text().required(),
  displayName: text().required(),
  city: text().inHeader(),
  languages: list({}),
  capacity: number({ min: 0, max: 100, integer: true }),
};

describe('readCsv', () => {
  it('matches header names in any case and order, trims cells and numbers rows as a spreadsheet does', () => {
    const table = readCsv(
      '\uFEFFCITY,employeeno,displayName\r\n上海, RM1 ,"王, 芳"\r\n北京,RM2,"two\r\nlines"\r\n\r\n,,\r\n深圳,RM3,李娜\r\n',
      COLUMNS,
    );
    expect(table.fileProblems).toEqual([]);
    expect(table.rowProblems).toEqual([]);
    expect(table.dataRows).toBe(3);
    expect(table.records).toEqual([
      { row: 2, cells: { city: '上海', employeeNo: 'RM1', displayName: '王, 芳' } },
      { row: 3, cells: { city: '北京', employeeNo: 'RM2', displayName: 'two\r\nlines' } },
      { row: 6, cells: { city: '深圳', employeeNo: 'RM3', displayName: '李娜' } },
    ]);
  });

  it('accepts ignored columns without reading them', () => {
    const table = readCsv('id,employeeNo,displayName,city\n42,RM1,x,y\n', COLUMNS, { ignoredColumns: ['id'] });
    expect(table.fileProblems).toEqual([]);
    expect(table.records).toEqual([{ row: 2, cells: { employeeNo: 'RM1', displayName: 'x', city: 'y' } }]);
  });

  it('names unknown, repeated, unnamed and missing columns, at row 1', () => {
    const { fileProblems, records } = readCsv('employeeNo,displayName,DisplayName,colour,\nRM1,x,x,red,\n', COLUMNS);
    expect(records).toEqual([]);
    expect(fileProblems).toEqual([
      { row: 1, column: 'displayName', message: 'column displayName appears more than once' },
      { row: 1, column: 'colour', message: 'unknown column "colour"; the columns are employeeNo, displayName, city, languages, capacity' },
      { row: 1, column: null, message: 'a column has no name' },
      { row: 1, column: 'city', message: 'missing column city' },
    ]);
  });

  it('recognises a file saved with another delimiter', () => {
    expect(readCsv('employeeNo;displayName;city\nRM1;x;y\n', COLUMNS).fileProblems).toEqual([
      { row: 1, column: null, message: 'wrong delimiter: the file uses ";" between columns; use "," (comma)' },
    ]);
    expect(readCsv('employeeNo\tdisplayName\n', COLUMNS).fileProblems[0].message).toMatch(/uses tab/);
    expect(wrongDelimiter('"a,b";c')).toBe(';');
    expect(wrongDelimiter('"a;b"')).toBeNull();
    expect(wrongDelimiter('a|b')).toBe('|');
  });

  it('reports a row with the wrong number of fields and goes on', () => {
    const table = readCsv('employeeNo,displayName,city\nRM1,x\nRM2,y,z\n', COLUMNS);
    expect(table.rowProblems).toEqual([{ row: 2, column: null, message: 'the row has 2 fields, the header has 3' }]);
    expect(table.records.map((r) => r.row)).toEqual([3]);
    expect(table.dataRows).toBe(2);
  });

  it('reports broken quoting, an empty file and a header without rows', () => {
    expect(readCsv('employeeNo,displayName,city\nRM1,"unclosed,x\n', COLUMNS).fileProblems).toEqual([
      { row: 2, column: null, message: expect.stringMatching(/^the file is not valid CSV: Quote Not Closed/) },
    ]);
    expect(readCsv('', COLUMNS).fileProblems).toEqual([{ row: 1, column: null, message: expect.stringMatching(/the file is empty/) }]);
    expect(readCsv('\n\nemployeeNo', COLUMNS).fileProblems[0].message).toMatch(/first line is blank/);
    expect(readCsv('employeeNo,displayName,city\r\n,,\r\n', COLUMNS).fileProblems).toEqual([{ row: null, column: null, message: 'the file has a header but no data rows' }]);
  });

  it('removes the formula guard an export adds', () => {
    const table = readCsv(`employeeNo,displayName,city\nRM1,"'=HYPERLINK(""x"")",'-\n`, COLUMNS);
    expect(table.records[0].cells).toMatchObject({ displayName: '=HYPERLINK("x")', city: '-' });
  });
});
