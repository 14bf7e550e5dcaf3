/**
 * "Did you mean" suggestions and the name scorer the config scaffolder shares: exact, prefix,
 * abbreviation (`agb` ~ `age_bucket`, `uid` ~ `user_index`), token overlap (`user_history` ~ `hist_emb`),
 * and edit distance for typos (`lable` ~ `label`). Scores lie in [0, 1]; 0 means "no evidence".
 */

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Lower-case tokens: split on separators, camelCase and letter/digit boundaries (`ctr_7d` -> ctr, 7, d). */
export function nameTokens(s: string): string[] {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * How many of `tokens` an abbreviation uses when read as one piece per token, each piece starting with its token's
 * first letter and taken in order from it, starting at the first token (`agb` = ag|e + b|ucket, `uid` = u|ser + id|ndex).
 * 0 when it is not such an abbreviation.
 */
function abbreviationTokens(abbr: string, tokens: string[]): number {
  const go = (i: number, k: number, first: boolean): number => {
    if (i === abbr.length) return 0;
    let best = -1;
    for (let t = k; t < tokens.length; t++) {
      if (first && t > 0) break;
      for (let l = Math.min(tokens[t].length, abbr.length - i); l >= 1; l--) {
        const chunk = abbr.slice(i, i + l);
        if (chunk[0] !== tokens[t][0] || !isSubsequence(chunk, tokens[t])) continue;
        const rest = go(i + l, t + 1, false);
        if (rest >= 0) best = Math.max(best, rest + 1);
      }
    }
    return best;
  };
  const used = go(0, 0, true);
  return used > 0 ? used : 0;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/** Share of tokens in common (a token matches another that it prefixes, three letters at least). */
function tokenOverlap(a: string[], b: string[]): number {
  const match = (x: string, y: string) =>
    x === y || (Math.min(x.length, y.length) >= 3 && (x.startsWith(y) || y.startsWith(x)));
  const used = new Set<number>();
  let common = 0;
  for (const x of a) {
    const j = b.findIndex((y, k) => !used.has(k) && match(x, y));
    if (j >= 0) {
      used.add(j);
      common++;
    }
  }
  return common / (a.length + b.length - common);
}

/** Similarity of two names in [0, 1]: 1 exact, about 0.8 for a typo or a clear abbreviation, 0 for no evidence. */
export function nameScore(a: string, b: string): number {
  if (a === b) return 1;
  const sa = squash(a),
    sb = squash(b);
  if (!sa || !sb) return 0;
  if (sa === sb) return 0.97;
  let best = 0;
  const longest = Math.max(sa.length, sb.length);
  const d = editDistance(sa, sb);
  if (d <= Math.max(1, Math.floor(longest / 4)))
    best = Math.max(best, 0.9 - 0.08 * d - 0.005 * Math.abs(sa.length - sb.length));
  const [short, long, longName] = sa.length <= sb.length ? [sa, sb, b] : [sb, sa, a];
  if (short.length >= 2 && long.startsWith(short)) best = Math.max(best, 0.6 + 0.25 * (short.length / long.length));
  const longTokens = nameTokens(longName);
  if (short.length >= 2 && longTokens.length >= 2 && short.length <= 0.75 * long.length) {
    const used = abbreviationTokens(short, longTokens);
    if (used >= 2) best = Math.max(best, 0.55 + 0.3 * (used / longTokens.length));
  }
  if (short.length >= 2 && short[0] === long[0] && isSubsequence(short, long))
    best = Math.max(best, 0.4 + 0.2 * (short.length / long.length));
  const overlap = tokenOverlap(nameTokens(a), nameTokens(b));
  if (overlap > 0) best = Math.max(best, 0.35 + 0.45 * overlap);
  return best;
}

/** Candidates with some evidence of being meant by `name`, best first (ties: closer length first). */
export function rankNames(name: string, candidates: string[], minScore = 0.5): { name: string; score: number }[] {
  return candidates
    .map((c) => ({ name: c, score: nameScore(name, c) }))
    .filter((c) => c.score >= minScore)
    .sort((x, y) => y.score - x.score || Math.abs(x.name.length - name.length) - Math.abs(y.name.length - name.length));
}

export function closest(name: string, candidates: string[]): string | undefined {
  return rankNames(name, candidates)[0]?.name;
}

/** " Did you mean "x"?" (or two close candidates), else a short list of what exists. */
export function suggestion(name: string, candidates: string[]): string {
  const ranked = rankNames(name, candidates);
  if (ranked.length) {
    const close = ranked
      .filter((r) => r.score >= ranked[0].score - 0.02)
      .slice(0, 3)
      .map((r) => `"${r.name}"`);
    return ` Did you mean ${close.join(' or ')}?`;
  }
  const shown = candidates
    .slice(0, 12)
    .map((x) => `"${x}"`)
    .join(', ');
  return candidates.length ? ` Available: ${shown}${candidates.length > 12 ? ', ...' : ''}.` : '';
}
