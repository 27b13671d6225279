import { findRepeats, reportProblems, type CsvProblem } from './problems';

describe('reportProblems', () => {
  const problems: CsvProblem[] = [
    { row: 4, column: 'a', message: 'x' },
    { row: null, column: null, message: 'file' },
    { row: 2, column: 'b', message: 'y' },
    { row: 2, column: 'a', message: 'z' },
  ];

  it('lists file problems first, then by row (stable within a row), with the exact count', () => {
    expect(reportProblems(problems, 10)).toEqual({ errorCount: 4, errors: [problems[1], problems[2], problems[3], problems[0]], errorsTruncated: false });
  });

  it('stops the list at max', () => {
    expect(reportProblems(problems, 2)).toEqual({ errorCount: 4, errors: [problems[1], problems[2]], errorsTruncated: true });
  });
});

describe('findRepeats', () => {
  it('names every later row with an earlier row\'s key, skipping null keys', () => {
    const rows = [
      { row: 2, key: 'a' },
      { row: 3, key: null },
      { row: 4, key: 'a' },
      { row: 5, key: null },
      { row: 6, key: 'a' },
    ];
    const found = findRepeats(rows, (r) => r.row, (r) => r.key).map(({ item, firstRow }) => [item.row, firstRow]);
    expect(found).toEqual([
      [4, 2],
      [6, 2],
    ]);
  });
});
