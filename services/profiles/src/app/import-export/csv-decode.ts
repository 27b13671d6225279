import { detect } from 'chardet';
import { decode } from 'iconv-lite';

export type CsvEncoding = 'UTF-8' | 'GBK';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
  /** What a person should know (e.g. "decoded as GBK"). */
  warnings: string[];
}

export class EncodingProblem extends Error {}

/**
 * Whether every non-ASCII byte belongs to a well-formed GBK/GB18030 sequence (two-byte: lead 0x81–0xFE,
 * trail 0x40–0xFE except 0x7F; four-byte: lead, 0x30–0x39, lead, 0x30–0x39). Together with "not valid UTF-8"
 * this tells GBK apart from UTF-8 reliably, where statistical detectors guess wrong on short Chinese text.
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

/**
 * Decodes an uploaded CSV: UTF-8 (with or without BOM) or GBK/GB18030 (what Excel on a Chinese Windows saves),
 * detected from the bytes and reported. `expected` 'utf-8' refuses anything else instead of converting it.
 * Anything neither UTF-8 nor GBK is refused, naming what it looks like.
 */
export function decodeCsv(buffer: Buffer, expected: 'auto' | 'utf-8' | 'gbk' = 'auto'): DecodedCsv {
  if (buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))) {
    throw new EncodingProblem('file is UTF-16 encoded (Excel "Unicode text"); save it as "CSV UTF-8 (comma delimited)"');
  }
  if (expected !== 'gbk') {
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
      return { text, encoding: 'UTF-8', warnings: [] };
    } catch {
      // not UTF-8: see below
    }
  }
  if (isWellFormedGbk(buffer)) {
    if (expected === 'utf-8') {
      throw new EncodingProblem('file is not UTF-8: it is GBK-encoded (GB18030); save it as UTF-8 or import with encoding=auto');
    }
    return {
      text: decode(buffer, 'gb18030'),
      encoding: 'GBK',
      warnings: ['file is GBK-encoded, not UTF-8: it was decoded as GB18030 (a superset of GBK); please save files as UTF-8'],
    };
  }
  if (expected === 'gbk') throw new EncodingProblem('file is not GBK-encoded');
  const guess = detect(buffer);
  throw new EncodingProblem(`file is neither UTF-8 nor GBK${guess ? ` (it looks like ${guess})` : ''}; save it as UTF-8`);
}

/** A header that is one column but holds another common delimiter means the file was saved with the wrong one. */
export function wrongDelimiter(headerLine: string): string | null {
  if (headerLine.includes(',')) return null;
  for (const [delimiter, name] of [[';', 'semicolons'], ['\t', 'tabs'], ['|', 'vertical bars']] as const) {
    if (headerLine.includes(delimiter)) return name;
  }
  return null;
}
