import { encode } from 'iconv-lite';
import { decodeCsv, isWellFormedGbk } from './decode';

const TEXT = 'displayName,city\r\n王芳,上海\r\n欧阳娜娜,北京\r\n';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('decodeCsv', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsv(Buffer.from(TEXT))).toEqual({ ok: true, text: TEXT, encoding: 'utf-8', bom: false, warning: null });
  });

  it('reads UTF-8 with a BOM and drops it', () => {
    expect(decodeCsv(Buffer.concat([BOM, Buffer.from(TEXT)]))).toEqual({ ok: true, text: TEXT, encoding: 'utf-8', bom: true, warning: null });
  });

  it('detects GBK (even a short file), converts it and says so', () => {
    for (const text of [TEXT, 'a\n王\n']) {
      const decoded = decodeCsv(encode(text, 'gbk'));
      expect(decoded).toEqual({ ok: true, text, encoding: 'gbk', bom: false, warning: expect.stringMatching(/GBK-encoded, not UTF-8/) });
    }
  });

  it('reads GB18030 four-byte sequences', () => {
    const text = 'name\n𠀀王\n';
    expect(decodeCsv(encode(text, 'gb18030'))).toMatchObject({ ok: true, text, encoding: 'gbk' });
  });

  it('refuses GBK when UTF-8 is expected, and anything else when GBK is', () => {
    expect(decodeCsv(encode(TEXT, 'gbk'), 'utf-8')).toEqual({ ok: false, message: expect.stringMatching(/not UTF-8: it is GBK/) });
    expect(decodeCsv(Buffer.from([0x41, 0xff, 0x41]), 'gbk')).toEqual({ ok: false, message: 'the file is not GBK-encoded' });
    expect(decodeCsv(encode(TEXT, 'gbk'), 'gbk')).toMatchObject({ ok: true, text: TEXT, encoding: 'gbk' });
  });

  it('refuses UTF-16 either way round', () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
      expect(decodeCsv(Buffer.concat([Buffer.from(bom), Buffer.from(TEXT, 'utf16le')]))).toEqual({ ok: false, message: expect.stringMatching(/UTF-16/) });
    }
  });

  it('refuses Japanese Shift_JIS although its bytes are well-formed GBK, naming it', () => {
    const japanese = encode('社員番号,氏名\r\nRM1,田中さんはこんにちは。営業部の山本です。よろしくお願いします。\r\n', 'shift_jis');
    expect(decodeCsv(japanese)).toEqual({ ok: false, message: expect.stringMatching(/looks Shift_JIS-encoded/) });
  });

  it('refuses bytes that are neither UTF-8 nor GBK', () => {
    expect(decodeCsv(Buffer.from([0x61, 0x2c, 0x80, 0x2c, 0xff, 0x0a]))).toEqual({ ok: false, message: expect.stringMatching(/neither UTF-8 nor GBK/) });
  });
});

describe('isWellFormedGbk', () => {
  it('accepts GBK with at least one multi-byte character only', () => {
    expect(isWellFormedGbk(encode('欧阳娜娜', 'gbk'))).toBe(true);
    expect(isWellFormedGbk(Buffer.from('ascii only'))).toBe(false);
    expect(isWellFormedGbk(Buffer.from([0xb0]))).toBe(false);
    expect(isWellFormedGbk(Buffer.from([0xb0, 0x7f]))).toBe(false);
  });
});
