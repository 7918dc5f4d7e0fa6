/** Longest search text accepted, in characters (UTF-16 code units). */
export const MAX_SEARCH_TEXT = 500;

/** A word worth searching: the index's tokenizer keeps only letters and digits. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Turns any text into a Lucene query that searches the user's words literally: every word
 * becomes a quoted phrase (inside quotes only `"` and `\` mean anything, and both are escaped),
 * so operators (`AND`, `OR`, `NOT`, `&&`, `||`, `TO`), wildcards, fuzzy and proximity marks,
 * ranges, field prefixes and unbalanced quotes or brackets never reach Lucene's parser as syntax.
 * Control characters separate words; words with no letter or digit are dropped (the index
 * would find nothing for them). An empty result means there is nothing to search for.
 */
export function luceneLiteral(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are stripped on purpose
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .split(/\s+/)
      .filter((w) => SEARCHABLE.test(w))
      .map((w) => `"${w.replace(/["\\]/g, '\\$&')}"`)
      .join(' ')
  );
}
