import { parse } from 'csv-parse/sync';
import { readCsv } from './read';
import { text } from './columns';
import { csvWriter, neutraliseFormula, removeFormulaGuard } from './write';

describe('neutraliseFormula', () => {
  it.each(['=', '+', '-', '@', '\t', '\r'])('prefixes a cell starting with %j with a single quote', (start) => {
    const value = `${start}HYPERLINK("http://x","y")`;
    expect(neutraliseFormula(value)).toBe(`'${value}`);
    expect(removeFormulaGuard(neutraliseFormula(value))).toBe(value);
  });

  it('leaves other cells alone, a dangerous character later in the cell included', () => {
    for (const value of ['', '王芳', 'a=b', ' =1', "'quoted", '1-2', 'x@example.com']) expect(neutraliseFormula(value)).toBe(value);
    expect(removeFormulaGuard("'quoted")).toBe("'quoted");
  });
});

describe('csvWriter', () => {
  const writer = csvWriter(['name', 'amount', 'flag', 'note']);

  it('writes a BOM, the header and CRLF records; quoting where needed', () => {
    const out = writer.header() + writer.rows([{ name: '欧阳, "娜娜"', amount: 12.5, flag: true, note: 'two\nlines' }]);
    expect(out).toBe('\uFEFFname,amount,flag,note\r\n"欧阳, ""娜娜""",12.5,true,"two\nlines"\r\n');
  });

  it('neutralises every string cell, so no cell a spreadsheet reads starts a formula', () => {
    const cells = ['=HYPERLINK("http://x","y")', '+SUM(1)', '-2+3', '@cmd', '\tx', '\rx'];
    const out = writer.rows(cells.map((c) => ({ name: c, amount: null, flag: false, note: c })));
    const read = parse(out, { relax_quotes: true }) as string[][];
    expect(read.map((r) => r[0])).toEqual(cells.map((c) => `'${c}`));
    expect(read.map((r) => r[3])).toEqual(cells.map((c) => `'${c}`));
    expect(read.flat().filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  it('writes numbers as numbers: a negative number is not prefixed, the same text is', () => {
    expect(writer.rows([{ name: '-0.05', amount: -0.05, flag: null, note: undefined }])).toBe("'-0.05,-0.05,,\r\n");
  });

  it('leaves out the BOM and uses LF when asked', () => {
    const plain = csvWriter(['a', 'b'], { bom: false, recordDelimiter: '\n' });
    expect(plain.header() + plain.rows([{ a: '1', b: 'x' }])).toBe('a,b\n1,x\n');
  });

  it('writes what readCsv reads back unchanged', () => {
    const names = ['=1+1', '-x', '王芳', "'already"];
    const out = writer.header() + writer.rows(names.map((name) => ({ name, amount: 1, flag: true, note: null })));
    const table = readCsv(out, { name: text(), amount: text(), flag: text(), note: text() });
    expect(table.records.map((r) => r.cells['name'])).toEqual(names);
  });
});
