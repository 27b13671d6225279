import { nationalIdCheckChar } from '@relationship/domain-rules';

/**
 * A valid PRC resident identity number (GB 11643-1999, check character from libs/domain-rules): region, birth date, a 3-digit sequence whose last digit is odd for men and even for women,
 * and the check character. `taken` keeps numbers unique within one generated set.
 */
export function nationalId(regionCode: string, birthDate: Date, male: boolean, taken: Set<string>, start = 0): string {
  const ymd = birthDate.toISOString().slice(0, 10).replaceAll('-', '');
  for (let n = start % 500; n < start % 500 + 500; n++) {
    const sequence = ((n % 500) * 2 + (male ? 1 : 0)) % 1000;
    const first17 = `${regionCode}${ymd}${String(sequence).padStart(3, '0')}`;
    const id = first17 + nationalIdCheckChar(first17);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
  throw new Error(`no free national ID sequence left for ${regionCode} ${ymd}`);
}
