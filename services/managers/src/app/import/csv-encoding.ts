import { analyse } from 'chardet';
import { decode } from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'gbk';

export type DecodedCsv =
  | { ok: true; text: string; encoding: CsvEncoding; bom: boolean; note: string | null }
  | { ok: false; message: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Encodings chardet may name for GBK text: short Chinese GBK text is often mistaken for Big5 or a Latin code page. */
const OTHER_CJK = new Set(['Shift_JIS', 'EUC-JP', 'EUC-KR', 'ISO-2022-JP', 'ISO-2022-KR']);

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Decodes an uploaded CSV. UTF-8 (with or without BOM) is taken as is. Anything else that decodes cleanly as GBK
 * (GB18030, what Excel on a Chinese Windows saves as "CSV") is converted, and the note says so. Other encodings
 * (UTF-16, Shift_JIS, EUC-KR …) are refused with chardet's best guess named, because a wrong guess would silently
 * store garbled names.
 */
export function decodeCsv(bytes: Buffer): DecodedCsv {
  if (startsWith(bytes, UTF8_BOM)) {
    const text = bytes.subarray(3).toString('utf8');
    return { ok: true, text, encoding: 'utf-8', bom: true, note: null };
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, message: 'the file is UTF-16 encoded; save it as "CSV UTF-8 (comma delimited)"' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text, encoding: 'utf-8', bom: false, note: null };
  } catch {
    // not UTF-8: try GBK below
  }
  const guesses = analyse(bytes);
  const best = guesses[0];
  const gbConfidence = Math.max(0, ...guesses.filter((g) => /^GB/i.test(g.name)).map((g) => g.confidence));
  if (best && OTHER_CJK.has(best.name) && best.confidence >= 50 && best.confidence > gbConfidence) {
    return { ok: false, message: `the file looks ${best.name}-encoded; only UTF-8 and GBK are accepted: save it as "CSV UTF-8 (comma delimited)"` };
  }
  const text = decode(bytes, 'gb18030');
  if (text.includes('\uFFFD')) {
    return {
      ok: false,
      message: `the file is neither UTF-8 nor GBK${best ? ` (it looks ${best.name})` : ''}; save it as "CSV UTF-8 (comma delimited)"`,
    };
  }
  return {
    ok: true,
    text,
    encoding: 'gbk',
    bom: false,
    note: 'the file is GBK-encoded (GB18030); it was converted to UTF-8. Save as "CSV UTF-8 (comma delimited)" to avoid the conversion.',
  };
}
