const SECRET_KEYS = /^(key|token|secret|password|hash|authorization|apiKey)$/i;

/** A copy of mutation arguments fit for the audit log: secrets replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) ? '[redacted]' : redact(v),
      ]),
    );
  }
  return value;
}

/**
 * Edit distance between two strings (insertions, deletions, substitutions), or `limit + 1` as
 * soon as it is certain to exceed `limit` (so long texts cost little when they differ a lot).
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        prev[j] + 1,
        cur[j - 1] + 1,
        prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1),
      );
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** How many characters a typo correction may change in a text of `length` characters. */
export function correctionLimit(length: number): number {
  return Math.max(5, Math.ceil(length * 0.2));
}
