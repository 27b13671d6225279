/**
 * Name search without a CJK full-text parser (MariaDB's InnoDB FULLTEXT has no ngram parser): every name is cut
 * into its single characters and its character pairs, stored in `customer_name_gram (gram, customer_id)`.
 * A query of one character looks up that character; a longer query intersects its pairs and then confirms the
 * substring on the few candidates. Chinese names are 2–4 characters, so a name costs a handful of index rows
 * and a search is a few index range reads instead of a `%x%` scan of every row.
 */

/** Lowercased, NFKC-folded (full-width → half-width), without spaces and the middle dots of transliterated names. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s·・.]/g, '');
}

const chars = (text: string) => Array.from(text);

/** The distinct unigrams and bigrams of a name. */
export function nameGrams(name: string): string[] {
  const c = chars(normaliseName(name));
  const grams = new Set<string>(c);
  for (let i = 0; i + 1 < c.length; i++) grams.add(c[i] + c[i + 1]);
  return [...grams];
}

/** The grams a query must all match: its only character, or its distinct pairs. Empty for an empty query. */
export function queryGrams(query: string): string[] {
  const c = chars(normaliseName(query));
  if (c.length <= 1) return c;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < c.length; i++) grams.add(c[i] + c[i + 1]);
  return [...grams];
}
