// Search for the Switch Role menu: plain TypeScript, no React, so that it can be tested with
// tables of cases and measured on its own.
//
// Budget: 5,000 role entries in 1,000 accounts must filter within one animation frame per
// keystroke. So everything that depends only on the data (lower-cased, accent-free, punctuation-
// free keys and their word starts; the tie-break order) is computed once per data load in
// `indexMenu`, and `searchMenu` only compares strings it already has: no regex, no split, no
// per-role allocation in the hot loop. Account fields (name, id, alias) are scored once per
// account, and role names and labels once per distinct text (catalogs repeat "AdminRole" and
// "ReadOnly" in every account), so a role costs a few array reads per query word.
import type { MenuData } from "@/lib/catalog/menu-types";
import { compareAccounts, compareRoles } from "@/lib/catalog/order";

/** How well one query word matches, best first; a role's score is the sum over the words. */
export const Tier = {
  EXACT: 6,
  PREFIX: 5,
  WORD_START: 4,
  SUBSTRING: 3,
  TYPO: 2,
  SUBSEQUENCE: 1,
  NONE: 0,
} as const;

/** A searchable text: lower-cased, accents and punctuation removed ("Read-Only Access" →
 * "readonlyaccess"), with the offsets where its words start ([0, 4, 8]). Words start after
 * punctuation, at a camelCase hump ("ReadOnly"), at an acronym's end ("IAMAdmin" → iam|admin)
 * and where letters and digits meet ("prod2"). */
export type SearchKey = { text: string; starts: number[]; mask: number };

const EMPTY_KEY: SearchKey = { text: "", starts: [], mask: 0 };

/** One bit per letter a–z, one for any digit, one for anything else: a word can only match a
 * text whose mask covers its own (give or take one letter for a typo). */
function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) mask |= 1 << 26;
    else mask |= 1 << 27;
  }
  return mask >>> 0;
}

/** Whether at most one bit of `a` is missing from `b`. */
function missesAtMostOne(a: number, b: number): boolean {
  const missing = a & ~b;
  return (missing & (missing - 1)) === 0;
}

// Character classes for word starts.
const SEP = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function charClass(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return DIGIT;
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  if (c < 128) return SEP;
  // Outside ASCII (rare in account names): ask Unicode. Letters without case count as lower.
  if (/\p{N}/u.test(ch)) return DIGIT;
  if (!/\p{L}/u.test(ch)) return SEP;
  return ch !== ch.toLowerCase() ? UPPER : LOWER;
}

function fold(text: string): string {
  // "Produção" → "Producao": people type without accents. Pure ASCII skips the work.
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize("NFD").replace(/\p{M}/gu, "");
}

export function searchKey(raw: string): SearchKey {
  const s = fold(raw);
  let text = "";
  const starts: number[] = [];
  let prev = SEP;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const cls = charClass(ch);
    if (cls === SEP) {
      prev = SEP;
      continue;
    }
    const next = i + 1 < s.length ? charClass(s[i + 1]!) : SEP;
    const start =
      prev === SEP ||
      (cls === UPPER && prev === LOWER) ||
      (cls === UPPER && prev === UPPER && next === LOWER) ||
      (cls === DIGIT) !== (prev === DIGIT);
    if (start) starts.push(text.length);
    text += cls === UPPER || cls === LOWER ? ch.toLowerCase() : ch;
    prev = cls;
  }
  return { text, starts, mask: charMask(text) };
}

/** The query as words: split on spaces (and / , : so "prod/admin" is two words), each folded
 * like the keys. An IAM role ARN pasted into the box becomes its account id and role name. */
export function tokenize(query: string): string[] {
  const words: string[] = [];
  const arn = (_m: string, id: string, role: string) => {
    words.push(id, searchKey(role).text);
    return " ";
  };
  const rest = query.replace(ROLE_ARN, arn).replace(ASSUMED_ROLE_ARN, arn);
  for (const part of rest.split(/[\s/,:]+/)) {
    const text = searchKey(part).text;
    if (text) words.push(text);
  }
  return words;
}

// arn:aws:iam::111111111111:role/path/Name (the name is the last segment) and
// arn:aws:sts::111111111111:assumed-role/Name/session (no path there).
const ROLE_ARN = /arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)/g;
const ASSUMED_ROLE_ARN = /arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+/g;

// ---- Matching one word against one key --------------------------------------------------------

/** Whether token[ti..] equals text[pi..pi + rest] (a prefix of what follows pi). */
function restMatches(token: string, ti: number, text: string, pi: number): boolean {
  const n = token.length - ti;
  if (pi + n > text.length) return false;
  for (let k = 0; k < n; k++) if (token.charCodeAt(ti + k) !== text.charCodeAt(pi + k)) return false;
  return true;
}

function endsAtWord(key: SearchKey, end: number): boolean {
  if (end === key.text.length) return true;
  const starts = key.starts;
  for (let k = 0; k < starts.length; k++) if (starts[k] === end) return true;
  return false;
}

/** Whether a typo match may end at `end`: at the end of a word, or anywhere for a token of five
 * letters or more when two of its letters after the edit confirm it. */
function editEndOk(key: SearchKey, end: number, confirmed: number, partial: boolean): boolean {
  return (partial && confirmed >= 2) || endsAtWord(key, end);
}

/** Whether the token matches the key from word start `s` with one edit — a substitution, an
 * extra or missing letter, or two neighbours swapped. A 4-letter token must cover a whole word
 * ("raed" finds "read" but "redo" does not find "readonly"); a longer one may stop inside a word
 * ("prodcut" finds "production"), which is what people type while the word is unfinished, as
 * long as two letters after the edit confirm it ("acmete" must not find "acme-dev"). */
function oneEditAt(token: string, key: SearchKey, s: number): boolean {
  const text = key.text;
  // Whatever the edit, the first letters line up one of these ways; most word starts fail here.
  const t0 = token.charCodeAt(0);
  const t1 = token.charCodeAt(1);
  const c0 = text.charCodeAt(s);
  const c1 = text.charCodeAt(s + 1);
  if (t0 !== c0 && t1 !== c1 && t1 !== c0 && t0 !== c1) return false;
  const n = token.length;
  const partial = n >= 5;
  let i = 0;
  while (i < n && s + i < text.length && token.charCodeAt(i) === text.charCodeAt(s + i)) i++;
  if (i === n) return false; // no edit needed: an earlier tier has it
  const p = s + i;
  // A different letter.
  if (p < text.length && restMatches(token, i + 1, text, p + 1) && editEndOk(key, p + n - i, n - i - 1, partial)) return true;
  // A letter too many in the token.
  if (restMatches(token, i + 1, text, p) && editEndOk(key, p + n - i - 1, n - i - 1, partial)) return true;
  // A letter missing from the token.
  if (p < text.length && restMatches(token, i, text, p + 1) && editEndOk(key, p + 1 + n - i, n - i, partial)) return true;
  // Two neighbours swapped (the pair counts as confirmation).
  return (
    i + 1 < n &&
    p + 1 < text.length &&
    token.charCodeAt(i) === text.charCodeAt(p + 1) &&
    token.charCodeAt(i + 1) === text.charCodeAt(p) &&
    restMatches(token, i + 2, text, p + 2) &&
    editEndOk(key, p + n - i, n - i, partial)
  );
}

/** The exact tiers: exact, prefix, word start, substring. */
function exactTier(token: string, key: SearchKey): number {
  const text = key.text;
  if (text.length < token.length) return Tier.NONE;
  if (text.startsWith(token)) return text.length === token.length ? Tier.EXACT : Tier.PREFIX;
  const starts = key.starts;
  for (let k = 1; k < starts.length; k++) if (text.startsWith(token, starts[k])) return Tier.WORD_START;
  return text.includes(token, 1) ? Tier.SUBSTRING : Tier.NONE;
}

function typoMatch(token: string, tokenMask: number, key: SearchKey): boolean {
  // One edit leaves at most one letter of the token absent from the text.
  if (!missesAtMostOne(tokenMask, key.mask)) return false;
  const starts = key.starts;
  for (let k = 0; k < starts.length; k++) if (oneEditAt(token, key, starts[k]!)) return true;
  return false;
}

/** The letters of the token in order, the first one at a word start: "prdro" in
 * "Production / ReadOnly". Greedy matching from the first word start with the right letter
 * finds a match whenever any start would; this cheap test rejects most roles. */
function subsequenceMatch(token: string, key: SearchKey): boolean {
  const text = key.text;
  const first = token.charCodeAt(0);
  const starts = key.starts;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    if (text.charCodeAt(s) !== first) continue;
    let ti = 1;
    for (let p = s + 1; p < text.length && ti < token.length; p++) if (text.charCodeAt(p) === token.charCodeAt(ti)) ti++;
    return ti === token.length;
  }
  return false;
}

// Reused between calls: the subsequence scorer allocates nothing per role.
let rowA = new Int16Array(256);
let rowB = new Int16Array(256);
let wordStart = new Uint8Array(256);

/** How many of the token's letters can land on word starts in a subsequence match (-1: no
 * match), by dynamic programming over the alignments: "prdro" hits 3 starts in
 * "Production ReadOnly" (p, r, o) but 2 in "Production AdminRole" (p, r), so the role the
 * person meant ranks first. O(letters × text), only for roles that passed subsequenceMatch. */
function subsequenceStarts(token: string, key: SearchKey): number {
  const text = key.text;
  const n = text.length;
  if (rowA.length < n) {
    rowA = new Int16Array(n * 2);
    rowB = new Int16Array(n * 2);
    wordStart = new Uint8Array(n * 2);
  }
  wordStart.fill(0, 0, n);
  for (const s of key.starts) wordStart[s] = 1;
  let prev = rowA;
  let cur = rowB;
  const first = token.charCodeAt(0);
  // Nothing can match before the first word start with the first letter: start there.
  let from = n;
  for (let p = 0; p < n; p++) {
    const hit = wordStart[p] && text.charCodeAt(p) === first;
    prev[p] = hit ? 1 : -1;
    if (hit && p < from) from = p;
  }
  for (let j = 1; j < token.length; j++) {
    const c = token.charCodeAt(j);
    let best = -1; // the best score of token[0..j-1] ending before p
    let any = false;
    for (let p = from; p < n; p++) {
      cur[p] = best >= 0 && text.charCodeAt(p) === c ? best + wordStart[p]! : -1;
      if (cur[p]! >= 0) any = true;
      if (prev[p]! > best) best = prev[p]!;
    }
    if (!any) return -1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  let result = -1;
  for (let p = from; p < n; p++) if (prev[p]! > result) result = prev[p]!;
  return result;
}

/** Typos are tolerated in words of four letters or more (shorter ones would match nearly
 * everything), never in numbers: a mistyped account id should find nothing. */
const TYPO_MIN = 4;
const SUBSEQUENCE_MIN = 3;

function isDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One word against one key, every tier but subsequence (which spans fields). */
export function matchTier(token: string, key: SearchKey, tokenMask = charMask(token)): number {
  const tier = exactTier(token, key);
  if (tier !== Tier.NONE) return tier;
  if (token.length >= TYPO_MIN && !isDigits(token) && typoMatch(token, tokenMask, key)) return Tier.TYPO;
  return Tier.NONE;
}

// ---- The index ---------------------------------------------------------------------------------

export type MenuIndex = {
  data: MenuData;
  /** How many usable roles: role index r < usable is data.roles[r]; r ≥ usable is an entry the
   * person may ask for, data.requestable[r - usable]. Both are searched alike (issue 15 §2.1). */
  usable: number;
  accountName: SearchKey[];
  accountAlias: SearchKey[];
  /** The distinct role labels and names, each folded once. */
  roleKeys: SearchKey[];
  /** Per role: its label's entry in roleKeys. */
  roleLabel: Int32Array;
  /** Per role: its IAM name's entry in roleKeys, or -1 when it folds to the label's text. */
  roleName: Int32Array;
  /** Per role: account name, label and role name in one key, for subsequences across them
   * (not the alias: it usually repeats the name, and every repeat is one more loose match). */
  roleAll: SearchKey[];
  /** Accounts by name (then id): the order of the account groups when browsing. */
  accountOrder: Int32Array;
  /** Roles by account order, then label: the order inside a group when browsing. */
  catalogOrder: Int32Array;
  /** Role index → position in catalogOrder. */
  catalogRank: Int32Array;
  /** Per role: its account (data.roles[r].a, read here without touching 5,000 objects). */
  roleAccount: Int32Array;
  /** Per role: roleAll[r].mask, for the subsequence tier's first, cheapest test. */
  roleAllMask: Int32Array;
  /** Per query word: every role's score for it (wordScores), for the last WORD_CACHE words.
   * A query's words but the last are the same from one keystroke to the next ("payments p",
   * "payments pr", …), so each keystroke scores one word. Depends only on the data. */
  words: Map<string, Uint8Array>;
};

function concatKeys(keys: SearchKey[]): SearchKey {
  let text = "";
  const starts: number[] = [];
  let mask = 0;
  for (const key of keys) {
    for (const s of key.starts) starts.push(text.length + s);
    text += key.text;
    mask |= key.mask;
  }
  return { text, starts, mask: mask >>> 0 };
}

/** Everything that depends only on the data, computed once per load; pins and recents do not
 * change it. */
export function indexMenu(data: MenuData): MenuIndex {
  const { accounts } = data;
  // The usable roles, then the few requestable ones: the same fields are searched in both.
  const roles: ReadonlyArray<{ a: number; name: string; label: string }> = data.requestable?.length ? [...data.roles, ...data.requestable] : data.roles;
  const accountName = accounts.map((a) => searchKey(a.name));
  const accountAlias = accounts.map((a) => (a.alias ? searchKey(a.alias) : EMPTY_KEY));
  const roleKeys: SearchKey[] = [];
  const keyIds = new Map<string, number>();
  const intern = (raw: string) => {
    let id = keyIds.get(raw);
    if (id === undefined) {
      id = roleKeys.length;
      roleKeys.push(searchKey(raw));
      keyIds.set(raw, id);
    }
    return id;
  };
  const roleLabel = new Int32Array(roles.length);
  const roleName = new Int32Array(roles.length);
  const roleAll: SearchKey[] = new Array(roles.length);
  for (let r = 0; r < roles.length; r++) {
    const role = roles[r]!;
    const label = intern(role.label);
    const name = intern(role.name);
    roleLabel[r] = label;
    roleName[r] = roleKeys[name]!.text === roleKeys[label]!.text ? -1 : name;
    roleAll[r] = concatKeys([accountName[role.a] ?? EMPTY_KEY, roleKeys[label]!, name === label || roleName[r] === -1 ? EMPTY_KEY : roleKeys[name]!]);
  }

  // The catalog's order (lib/catalog/order.ts, which the Roles page sorts with too). The collator
  // is slow next to an integer compare, so it ranks each account once and each distinct
  // label-and-name pair once (catalogs repeat a few role names in every account), and the 5,000
  // roles are sorted on those ranks.
  const accountOrder = Int32Array.from(accounts.keys()).sort((x, y) =>
    compareAccounts({ name: accounts[x]!.name, accountId: accounts[x]!.id }, { name: accounts[y]!.name, accountId: accounts[y]!.id }),
  );
  const accountRank = new Int32Array(accounts.length);
  accountOrder.forEach((a, rank) => (accountRank[a] = rank));
  const pairs: Array<{ displayName: string; roleName: string }> = [];
  const pairIds = new Map<string, number>();
  const rolePair = new Int32Array(roles.length);
  for (let r = 0; r < roles.length; r++) {
    const { label, name } = roles[r]!;
    const key = `${label}\u0000${name}`;
    let id = pairIds.get(key);
    if (id === undefined) {
      id = pairs.length;
      pairs.push({ displayName: label, roleName: name });
      pairIds.set(key, id);
    }
    rolePair[r] = id;
  }
  const pairRank = new Int32Array(pairs.length);
  Int32Array.from(pairs.keys())
    .sort((x, y) => compareRoles(pairs[x]!, pairs[y]!))
    .forEach((p, rank) => (pairRank[p] = rank));
  const catalogOrder = Int32Array.from(roles.keys()).sort((x, y) => accountRank[roles[x]!.a]! - accountRank[roles[y]!.a]! || pairRank[rolePair[x]!]! - pairRank[rolePair[y]!]!);
  const catalogRank = new Int32Array(roles.length);
  catalogOrder.forEach((r, rank) => (catalogRank[r] = rank));

  const roleAccount = new Int32Array(roles.length);
  const roleAllMask = new Int32Array(roles.length);
  for (let r = 0; r < roles.length; r++) {
    roleAccount[r] = roles[r]!.a;
    roleAllMask[r] = roleAll[r]!.mask;
  }

  return { data, usable: data.roles.length, accountName, accountAlias, roleKeys, roleLabel, roleName, roleAll, accountOrder, catalogOrder, catalogRank, roleAccount, roleAllMask, words: new Map() };
}

/** A role's usage, which changes while the menu is open (pins) without re-indexing. */
export type Usage = { pinned: boolean; lastUsedAt: string | null; uses: number };

/** The tie-break order for equal scores: pinned first, then most recently used, then most
 * used, then the catalog order (account, label). Returns role indexes. Only the few roles with
 * a pin or a use are sorted; the rest follow in the catalog order they are already in. */
export function usageOrder(index: MenuIndex, usage: readonly Usage[]): Int32Array {
  const { catalogRank, catalogOrder } = index;
  const isUsed = (u: Usage) => u.pinned || u.lastUsedAt !== null || u.uses !== 0;
  const used: number[] = [];
  for (let r = 0; r < usage.length; r++) if (isUsed(usage[r]!)) used.push(r);
  used.sort((x, y) => {
    const ux = usage[x]!;
    const uy = usage[y]!;
    if (ux.pinned !== uy.pinned) return ux.pinned ? -1 : 1;
    const lx = ux.lastUsedAt ?? "";
    const ly = uy.lastUsedAt ?? "";
    if (lx !== ly) return lx > ly ? -1 : 1;
    if (ux.uses !== uy.uses) return uy.uses - ux.uses;
    return catalogRank[x]! - catalogRank[y]!;
  });
  // Requestable entries (role index ≥ usage.length) have no usage: they keep the catalog order.
  const order = new Int32Array(catalogOrder.length);
  order.set(used);
  let at = used.length;
  for (let k = 0; k < catalogOrder.length; k++) {
    const r = catalogOrder[k]!;
    if (r >= usage.length || !isUsed(usage[r]!)) order[at++] = r;
  }
  return order;
}

export type SearchResult = {
  /** Matching role indexes, best first. */
  roles: Int32Array;
  /** Score per role index (0: no match): per word, its tier × SCORE_SCALE plus, for
   * subsequences, the word starts they hit. */
  scores: Uint16Array;
};

/** Room inside a tier for the quality of a subsequence match. */
export const SCORE_SCALE = 8;

const MAX_TOKENS = 8;

/** How many words' scores an index keeps (5 KB each for 5,000 roles). */
const WORD_CACHE = 64;

/** Every role's score for one query word (0: no match): its best tier over the account's
 * name, id and alias, the role's label and name (× SCORE_SCALE), else a subsequence across
 * account name, label and role name with its word starts as the bonus. Cached on the index. */
export function wordScores(index: MenuIndex, token: string): Uint8Array {
  const cache = index.words;
  const hit = cache.get(token);
  if (hit) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(token);
    cache.set(token, hit);
    return hit;
  }
  const { data, accountName, accountAlias, roleKeys, roleLabel, roleName, roleAll, roleAccount, roleAllMask } = index;
  const accounts = data.accounts;
  const mask = charMask(token);
  const digits = isDigits(token);

  // Account fields once per account, role labels and names once per distinct text.
  const accountTier = new Uint8Array(accounts.length);
  for (let a = 0; a < accounts.length; a++) {
    const id = accounts[a]!.id;
    let tier: number = digits ? (id === token ? Tier.EXACT : id.startsWith(token) ? Tier.PREFIX : id.includes(token) ? Tier.SUBSTRING : Tier.NONE) : Tier.NONE;
    if (tier < Tier.EXACT) {
      const name = matchTier(token, accountName[a]!, mask);
      if (name > tier) tier = name;
      if (tier < Tier.EXACT) {
        const alias = matchTier(token, accountAlias[a]!, mask);
        if (alias > tier) tier = alias;
      }
    }
    accountTier[a] = tier;
  }
  const keyTier = new Uint8Array(roleKeys.length);
  for (let k = 0; k < roleKeys.length; k++) keyTier[k] = matchTier(token, roleKeys[k]!, mask);

  const subsequenceAllowed = token.length >= SUBSEQUENCE_MIN && !digits;
  const roles = roleAccount.length;
  const scores = new Uint8Array(roles);
  for (let r = 0; r < roles; r++) {
    let best = accountTier[roleAccount[r]!]!;
    const label = keyTier[roleLabel[r]!]!;
    if (label > best) best = label;
    const n = roleName[r]!;
    if (n >= 0 && keyTier[n]! > best) best = keyTier[n]!;
    if (best !== Tier.NONE) {
      scores[r] = best * SCORE_SCALE;
      continue;
    }
    if (subsequenceAllowed && (mask & ~roleAllMask[r]!) === 0) {
      const all = roleAll[r]!;
      if (subsequenceMatch(token, all)) scores[r] = Tier.SUBSEQUENCE * SCORE_SCALE + Math.min(SCORE_SCALE - 1, subsequenceStarts(token, all));
    }
  }
  cache.set(token, scores);
  if (cache.size > WORD_CACHE) cache.delete(cache.keys().next().value!);
  return scores;
}

/** The roles matching every word of the query, best first: by summed tier, then in `order`
 * (usageOrder: pinned, recent, catalog). Null for an empty query (the menu browses instead). */
export function searchMenu(index: MenuIndex, query: string, order: Int32Array): SearchResult | null {
  const tokens = tokenize(query).slice(0, MAX_TOKENS);
  if (tokens.length === 0) return null;
  const words = tokens.map((token) => wordScores(index, token));
  const roles = index.roleAccount.length;

  const scores = new Uint16Array(roles);
  const maxScore = tokens.length * Tier.EXACT * SCORE_SCALE;
  const perScore = new Int32Array(maxScore + 1);
  let matched = 0;
  const first = words[0]!;
  for (let r = 0; r < roles; r++) {
    let total = first[r]!;
    for (let j = 1; j < words.length && total > 0; j++) {
      const s = words[j]![r]!;
      total = s === 0 ? 0 : total + s;
    }
    if (total > 0) {
      scores[r] = total;
      perScore[total]!++;
      matched++;
    }
  }

  // A counting sort on the score, walking `order` so equal scores keep the usage order.
  const next = new Int32Array(maxScore + 1);
  for (let s = maxScore, at = 0; s > 0; s--) {
    next[s] = at;
    at += perScore[s]!;
  }
  const ranked = new Int32Array(matched);
  for (let k = 0; k < order.length; k++) {
    const r = order[k]!;
    const s = scores[r]!;
    if (s > 0) ranked[next[s]!++] = r;
  }
  return { roles: ranked, scores };
}
