// The menu's list as flat rows (group headers and role rows), and keyboard movement over them.
// Plain TypeScript: the virtualized list renders a window of these rows, the keyboard moves an
// index over them, and both are tested without React.
//
// Rows are two Int32Arrays rather than objects: with 5,000 roles the browse list has ~6,000
// rows, rebuilt on every keystroke of a search, and typed arrays keep that allocation-light.
import { searchMenu, type MenuIndex, type SearchResult, type Usage } from "./search";

/** Row codes: a role row is its role index (≥ 0); a header row is negative. */
export const PINNED = -1;
export const RECENT = -2;
/** "Ask for access": the entries the person may request (role index ≥ MenuIndex.usable), after
 * every usable role, in browsing and in results alike. */
export const REQUESTABLE = -3;
/** The header code of account `a`. */
export const accountHeader = (a: number) => -4 - a;
/** The account of a header code, or -1 for Pinned/Recent/Ask for access. */
export const headerAccount = (code: number) => (code <= -4 ? -4 - code : -1);
export const isHeader = (code: number) => code < 0;

export type MenuRows = {
  /** Per row: the role index, or a header code. */
  codes: Int32Array;
  /** Per row: the header code of the group it belongs to (headers: their own code). */
  groups: Int32Array;
  /** Per row: the index of its group's header row. */
  headerRow: Int32Array;
  /** How many role rows (a role listed under Pinned and under its account counts twice). */
  options: number;
};

/** How many recently used roles the browse list shows above the accounts. */
export const RECENT_LIMIT = 5;

class RowBuilder {
  codes: Int32Array;
  groups: Int32Array;
  headerRow: Int32Array;
  length = 0;
  options = 0;
  private group = 0;
  private header = 0;
  constructor(capacity: number) {
    this.codes = new Int32Array(capacity);
    this.groups = new Int32Array(capacity);
    this.headerRow = new Int32Array(capacity);
  }
  head(code: number) {
    this.group = code;
    this.header = this.length;
    this.push(code);
  }
  role(r: number) {
    this.options++;
    this.push(r);
  }
  private push(code: number) {
    this.codes[this.length] = code;
    this.groups[this.length] = this.group;
    this.headerRow[this.length] = this.header;
    this.length++;
  }
  done(): MenuRows {
    return { codes: this.codes.subarray(0, this.length), groups: this.groups.subarray(0, this.length), headerRow: this.headerRow.subarray(0, this.length), options: this.options };
  }
}

/** The list without a query: Pinned (catalog order), Recent (latest first, pinned ones left
 * out since they are already on top), then every account with all its roles, then the entries
 * the person may ask for. */
export function browseRows(index: MenuIndex, usage: readonly Usage[]): MenuRows {
  const { catalogOrder, accountOrder, data, usable } = index;
  const pinned: number[] = [];
  const recent: number[] = [];
  const requestable: number[] = [];
  for (let k = 0; k < catalogOrder.length; k++) {
    const r = catalogOrder[k]!;
    if (r >= usable) {
      requestable.push(r);
      continue;
    }
    const u = usage[r]!;
    if (u.pinned) pinned.push(r);
    else if (u.lastUsedAt) recent.push(r);
  }
  recent.sort((x, y) => (usage[x]!.lastUsedAt! > usage[y]!.lastUsedAt! ? -1 : usage[x]!.lastUsedAt! < usage[y]!.lastUsedAt! ? 1 : 0));
  recent.length = Math.min(recent.length, RECENT_LIMIT);

  const b = new RowBuilder(3 + pinned.length + recent.length + accountOrder.length + catalogOrder.length);
  if (pinned.length) {
    b.head(PINNED);
    for (const r of pinned) b.role(r);
  }
  if (recent.length) {
    b.head(RECENT);
    for (const r of recent) b.role(r);
  }
  // catalogOrder is grouped by account in accountOrder, so one walk emits every group.
  let current = -1;
  for (let k = 0; k < catalogOrder.length; k++) {
    const r = catalogOrder[k]!;
    if (r >= usable) continue;
    const a = data.roles[r]!.a;
    if (a !== current) {
      b.head(accountHeader(a));
      current = a;
    }
    b.role(r);
  }
  if (requestable.length) {
    b.head(REQUESTABLE);
    for (const r of requestable) b.role(r);
  }
  return b.done();
}

/** The list for a query: one group per account, ordered by its best match, each with its
 * matching roles best first; then "Ask for access" with the matching requestable entries. */
export function resultRows(index: MenuIndex, result: SearchResult): MenuRows {
  const roles = index.data.roles;
  const usable = index.usable;
  const accounts = index.data.accounts.length;
  const ranked = result.roles;
  // Count per account and note the order in which accounts first appear.
  const count = new Int32Array(accounts);
  const groupOrder: number[] = [];
  let requestable = 0;
  for (let k = 0; k < ranked.length; k++) {
    const r = ranked[k]!;
    if (r >= usable) {
      requestable++;
      continue;
    }
    const a = roles[r]!.a;
    const seen = count[a]!;
    if (seen === 0) groupOrder.push(a);
    count[a] = seen + 1;
  }
  // Where each account's roles start in the output.
  const at = new Int32Array(accounts);
  let row = 0;
  for (const a of groupOrder) {
    at[a] = row + 1; // after its header
    row += 1 + count[a]!;
  }
  // The requestable group's header row, after every account's.
  const requestHeader = row;
  if (requestable) row += 1 + requestable;
  const b = new RowBuilder(row);
  b.length = row;
  b.options = ranked.length;
  let headerAt = 0;
  for (const a of groupOrder) {
    const code = accountHeader(a);
    b.codes[headerAt] = code;
    for (let i = headerAt; i <= headerAt + count[a]!; i++) {
      b.groups[i] = code;
      b.headerRow[i] = headerAt;
    }
    headerAt += 1 + count[a]!;
  }
  if (requestable) {
    b.codes[requestHeader] = REQUESTABLE;
    for (let i = requestHeader; i < row; i++) {
      b.groups[i] = REQUESTABLE;
      b.headerRow[i] = requestHeader;
    }
  }
  let requestAt = requestHeader + 1;
  for (let k = 0; k < ranked.length; k++) {
    const r = ranked[k]!;
    if (r >= usable) b.codes[requestAt++] = r;
    else b.codes[at[roles[r]!.a]!++] = r;
  }
  return b.done();
}

/** What a keystroke computes: the rows for `query`, or the browse list when it is empty. */
export function menuRows(index: MenuIndex, query: string, order: Int32Array, browse: MenuRows): MenuRows {
  const result = searchMenu(index, query, order);
  return result ? resultRows(index, result) : browse;
}

/** How many recent queries' rows a RowsCache keeps (each is a few typed arrays of the size of
 * the list: ~70 KB for 5,000 roles). */
const CACHED_QUERIES = 32;

/** menuRows for one index and order, remembering the last queries' rows: a backspace goes back
 * to a query typed a moment ago, and finds its rows here instead of searching again. */
export function rowsCache(index: MenuIndex, order: Int32Array, browse: MenuRows): (query: string) => MenuRows {
  const cache = new Map<string, MenuRows>();
  return (query) => {
    const hit = cache.get(query);
    if (hit) {
      // Most recently used last: the first key is the one to drop.
      cache.delete(query);
      cache.set(query, hit);
      return hit;
    }
    const rows = menuRows(index, query, order, browse);
    cache.set(query, rows);
    if (cache.size > CACHED_QUERIES) cache.delete(cache.keys().next().value!);
    return rows;
  };
}

// ---- Keyboard movement -------------------------------------------------------------------------
// Every group has at least one role, so a header is always followed by a role row.

/** The first role row, or -1 when there is none. */
export function firstOption(rows: MenuRows): number {
  return rows.codes.length > 1 ? 1 : -1;
}

export function lastOption(rows: MenuRows): number {
  return rows.codes.length > 1 ? rows.codes.length - 1 : -1;
}

/** The role row nearest to `row` in direction `dir` (+1 down, -1 up), `row` itself when it is
 * a role row; clamped to the first/last role row. */
export function snapToOption(rows: MenuRows, row: number, dir: 1 | -1): number {
  const n = rows.codes.length;
  if (n < 2) return -1;
  let i = Math.min(Math.max(row, 0), n - 1);
  while (i >= 0 && i < n && isHeader(rows.codes[i]!)) i += dir;
  if (i < 0) return firstOption(rows);
  if (i >= n) return lastOption(rows);
  return i;
}

/** Moves `by` rows (±1 for arrows, ±a page for PageUp/PageDown) and lands on a role row,
 * skipping headers in the direction of travel. Arrows wrap around at either end, as in most
 * command palettes; pages stop at the ends. */
export function moveActive(rows: MenuRows, from: number, by: number, wrap = Math.abs(by) === 1): number {
  const n = rows.codes.length;
  if (n < 2) return -1;
  if (from < 0) return by > 0 ? firstOption(rows) : lastOption(rows);
  if (wrap && by > 0 && from === lastOption(rows)) return firstOption(rows);
  if (wrap && by < 0 && from === firstOption(rows)) return lastOption(rows);
  const i = from + by;
  // Row 0 is a header, so the first role row is 1; a header further down is preceded by the
  // last role of the group above and followed by the first of its own.
  if (i <= 1) return firstOption(rows);
  if (i >= n - 1) return lastOption(rows);
  return isHeader(rows.codes[i]!) ? i + (by > 0 ? 1 : -1) : i;
}

/** The row of a role in the list, preferring its row in `group` (a pinned role is listed under
 * Pinned and under its account; toggling a pin should not make the cursor jump between
 * them), else its first row; -1 when it is not listed. */
export function rowOfRole(rows: MenuRows, role: number, group?: number): number {
  let first = -1;
  for (let i = 0; i < rows.codes.length; i++) {
    if (rows.codes[i] !== role) continue;
    if (group === undefined || rows.groups[i] === group) return i;
    if (first < 0) first = i;
  }
  return first;
}
