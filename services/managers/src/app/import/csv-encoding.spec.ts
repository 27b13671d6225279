import { encode } from 'iconv-lite';
import { decodeCsv } from './csv-encoding';

const TEXT = 'employeeNo,displayName,branchId\r\nRM1,郑建国,SH-PD-001\r\nRM2,谢婉清,BJ-CY-001\r\n';

describe('decodeCsv', () => {
  it('reads UTF-8 with and without BOM', () => {
    expect(decodeCsv(Buffer.from(TEXT, 'utf8'))).toEqual({ ok: true, text: TEXT, encoding: 'utf-8', bom: false, note: null });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toMatchObject({ ok: true, text: TEXT, bom: true });
  });

  it('detects GBK, converts it and says so', () => {
    const decoded = decodeCsv(encode(TEXT, 'gbk'));
    expect(decoded).toMatchObject({ ok: true, text: TEXT, encoding: 'gbk' });
    expect(decoded.ok && decoded.note).toMatch(/GBK/);
  });

  it('refuses UTF-16 and Japanese encodings, naming them', () => {
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))).toEqual({
      ok: false,
      message: expect.stringMatching(/UTF-16/),
    });
    const japanese = encode('社員番号,氏名\r\nRM1,田中さんはこんにちは。営業部の山本です。よろしくお願いします。\r\n', 'shift_jis');
    expect(decodeCsv(japanese)).toEqual({ ok: false, message: expect.stringMatching(/Shift_JIS/) });
  });

  it('refuses bytes that are neither UTF-8 nor GBK', () => {
    expect(decodeCsv(Buffer.from([0x61, 0x2c, 0x80, 0x2c, 0xff, 0x0a]))).toMatchObject({ ok: false });
  });
});
