import { analyse } from 'chardet';
import { decode } from 'iconv-lite';

/** The encodings an uploaded CSV may have; named as the `?encoding=` query parameters name them. */
export const CSV_ENCODINGS = ['utf-8', 'gbk'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** What the caller expects: `auto` detects UTF-8 or GBK; a named encoding refuses the other one. */
export type ExpectedEncoding = 'auto' | CsvEncoding;

export type DecodedCsv =
  | {
      ok: true;
      /** The text without a BOM. */
      text: string;
      encoding: CsvEncoding;
      bom: boolean;
      /** What a person should know about the decoding (a converted GBK file), or null. */
      warning: string | null;
    }
  | { ok: false; message: string };

const SAVE_AS_UTF8 = 'save it as "CSV UTF-8 (comma delimited)"';
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/**
 * Encodings that are structurally valid GBK byte sequences too: chardet's statistics tell them apart once the text
 * is long enough, and a wrong guess would silently store garbled names.
 */
const OTHER_CJK = new Set(['Shift_JIS', 'EUC-JP', 'EUC-KR', 'ISO-2022-JP', 'ISO-2022-KR']);
const OTHER_CJK_MIN_CONFIDENCE = 50;

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * Whether every non-ASCII byte belongs to a well-formed GBK/GB18030 sequence (two-byte: lead 0x81–0xFE, trail
 * 0x40–0xFE except 0x7F; four-byte: lead, 0x30–0x39, lead, 0x30–0x39) and there is at least one. Together with
 * "not valid UTF-8" this tells GBK from UTF-8 reliably, where statistical detectors guess wrong on short Chinese text.
 */
export function isWellFormedGbk(bytes: Uint8Array): boolean {
  let sawMultiByte = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    if (b === 0x80 || b === 0xff) return false;
    const next = bytes[i + 1];
    if (next === undefined) return false;
    if (next >= 0x30 && next <= 0x39) {
      const [c, d] = [bytes[i + 2], bytes[i + 3]];
      if (c === undefined || d === undefined || c < 0x81 || c > 0xfe || d < 0x30 || d > 0x39) return false;
      i += 3;
    } else {
      if (next < 0x40 || next > 0xfe || next === 0x7f) return false;
      i += 1;
    }
    sawMultiByte = true;
  }
  return sawMultiByte;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes an uploaded CSV: UTF-8 (with or without BOM) as is, or GBK/GB18030 (what Excel on a Chinese Windows
 * saves as "CSV"), detected from the bytes, converted and reported in `warning`. UTF-16 and other CJK encodings
 * (Shift_JIS, EUC-KR, …) are refused, naming what the file looks like. Never throws for bad input.
 */
export function decodeCsv(bytes: Uint8Array, expected: ExpectedEncoding = 'auto'): DecodedCsv {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, message: `the file is UTF-16 encoded (Excel "Unicode text"); ${SAVE_AS_UTF8}` };
  }
  const bom = startsWith(bytes, UTF8_BOM);
  if (expected !== 'gbk') {
    const text = decodeUtf8(bom ? bytes.subarray(UTF8_BOM.length) : bytes);
    if (text !== null) return { ok: true, text, encoding: 'utf-8', bom, warning: null };
  }
  const guesses = analyse(bytes);
  const best = guesses[0];
  if (isWellFormedGbk(bytes)) {
    const gbConfidence = Math.max(0, ...guesses.filter((g) => /^GB/i.test(g.name)).map((g) => g.confidence));
    if (best && OTHER_CJK.has(best.name) && best.confidence >= OTHER_CJK_MIN_CONFIDENCE && best.confidence > gbConfidence) {
      return { ok: false, message: `the file looks ${best.name}-encoded; only UTF-8 and GBK are accepted: ${SAVE_AS_UTF8}` };
    }
    if (expected === 'utf-8') {
      return { ok: false, message: `the file is not UTF-8: it is GBK-encoded (GB18030); ${SAVE_AS_UTF8}, or let the encoding be detected (encoding=auto)` };
    }
    return {
      ok: true,
      text: decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'),
      encoding: 'gbk',
      bom: false,
      warning: `the file is GBK-encoded, not UTF-8: it was converted from GB18030 (a superset of GBK); ${SAVE_AS_UTF8} to avoid the conversion`,
    };
  }
  if (expected === 'gbk') return { ok: false, message: 'the file is not GBK-encoded' };
  return { ok: false, message: `the file is neither UTF-8 nor GBK${best ? ` (it looks like ${best.name})` : ''}; ${SAVE_AS_UTF8}` };
}
