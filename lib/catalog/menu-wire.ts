// The Switch Role menu's data as GET /api/v1/me/menu sends it, and the way back to MenuData.
// Pure: the route encodes on the server, the menu decodes in the browser, and
// components/switch-menu/menu-data.test.ts holds the two to a round trip.
//
// Why a shape of its own: 5,000 role entries as objects were 1,064 KiB of JSON, nearly all of it
// the same keys and strings repeated ("lastUsedAt", "AdminRole", "us-east-1", "#dc2626") in every
// entry. Here the roles are columns, every repeated string (role names, labels, colours, regions)
// is sent once in `strings` and referred to by index, and what most entries lack (pins, recents,
// an ExternalId, a failed test) is listed only for the entries that have it. Columns also parse
// faster than objects, and the browser builds MenuRole objects once per load.
import { ENVIRONMENTS, type Environment } from "@/lib/domain/environments";
import { PARTITIONS, type Partition } from "@/lib/domain/partitions";
import type { MenuAccount, MenuData, MenuHealth, MenuRequestable, MenuRole } from "./menu-types";

/** The media type the menu asks for (Accept) to get this shape from GET /api/v1/me/menu; API
 * clients that ask for application/json get MenuData's objects. */
export const MENU_WIRE_TYPE = "application/vnd.switchboard.menu+json";

/** The same JSON, gzipped by the console and unzipped by the page (DecompressionStream), for
 * browsers that have it. Not Content-Encoding: Next.js drops that header from a route handler's
 * answer (it assumes the body may have been decoded on the way), so the compression is part of
 * the media type instead (the +gzip suffix, RFC 8460 §3). */
export const MENU_WIRE_GZIP_TYPE = "application/vnd.switchboard.menu+gzip";

/** Bumped when the shape changes, so that a page loaded before a deploy refuses the new data
 * (and says to reload) instead of misreading it. */
export const MENU_WIRE_VERSION = 3;

export type MenuWire = {
  v: typeof MENU_WIRE_VERSION;
  /** Every repeated string, once. */
  strings: string[];
  accounts: {
    id: string[];
    name: string[];
    alias: Array<string | null>;
    /** Index into ENVIRONMENTS. */
    environment: number[];
    /** Index into strings. */
    color: number[];
    /** Index into PARTITIONS. */
    partition: number[];
  };
  roles: {
    id: string[];
    /** Index into accounts. */
    a: number[];
    /** Indexes into strings. */
    name: number[];
    label: number[];
    color: number[];
    region: number[];
  };
  /** The roles that send an ExternalId (role indexes). */
  externalId: number[];
  /** This person's pins and recents: [role index, pinned 0/1, lastUsedAt or null, uses], only for
   * the roles they pinned or used. */
  usage: Array<[number, 0 | 1, string | null, number]>;
  /** The roles that failed their last test: [role index, why, reason, testedAt]. */
  health: Array<[number, string, string, string]>;
  /** The roles whose access ends by itself: [role index, accessEndsAt]. Optional: data from before
   * it decodes as "does not end". */
  ends?: Array<[number, string]>;
  /** The entries this person may ask for (v3): [id, account index, name, label, colour (indexes
   * into strings), pending 0/1]. A few rows at most, so tuples rather than columns; absent when
   * there are none. */
  requestable?: Array<[string, number, number, number, number, 0 | 1]>;
  lastRoleId: string | null;
};

export function encodeMenu(data: MenuData): MenuWire {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let i = ids.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      ids.set(s, i);
    }
    return i;
  };
  const { accounts, roles } = data;
  const wire: MenuWire = {
    v: MENU_WIRE_VERSION,
    strings,
    accounts: {
      id: accounts.map((a) => a.id),
      name: accounts.map((a) => a.name),
      alias: accounts.map((a) => a.alias),
      environment: accounts.map((a) => ENVIRONMENTS.indexOf(a.environment)),
      color: accounts.map((a) => intern(a.color)),
      partition: accounts.map((a) => PARTITIONS.indexOf(a.partition)),
    },
    roles: { id: [], a: [], name: [], label: [], color: [], region: [] },
    externalId: [],
    usage: [],
    health: [],
    ends: [],
    lastRoleId: data.lastRoleId,
  };
  const columns = wire.roles;
  roles.forEach((r, i) => {
    columns.id.push(r.id);
    columns.a.push(r.a);
    columns.name.push(intern(r.name));
    columns.label.push(intern(r.label));
    columns.color.push(intern(r.color));
    columns.region.push(intern(r.region));
    if (r.requiresExternalId) wire.externalId.push(i);
    if (r.pinned || r.lastUsedAt !== null || r.uses !== 0) wire.usage.push([i, r.pinned ? 1 : 0, r.lastUsedAt, r.uses]);
    if (r.health) wire.health.push([i, r.health.why, r.health.reason, r.health.testedAt]);
    if (r.accessEndsAt) wire.ends!.push([i, r.accessEndsAt]);
  });
  if (data.requestable?.length) wire.requestable = data.requestable.map((q) => [q.id, q.a, intern(q.name), intern(q.label), intern(q.color), q.pending ? 1 : 0]);
  return wire;
}

// ---- Decoding (in the browser): checked before the menu trusts it ------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isIndex = (v: unknown, length: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < length;

/** An array of `length` items that all pass `ok`; null otherwise. */
function column<T>(v: unknown, length: number, ok: (x: unknown) => x is T): T[] | null {
  return Array.isArray(v) && v.length === length && v.every(ok) ? (v as T[]) : null;
}

/** MenuData from the wire; null when it is not the menu's data at all (or another version of
 * it). An entry that is malformed on its own (a role pointing at a missing account or string, a
 * bad usage or health line) is dropped, the rest kept: one bad row must not empty the menu. */
export function decodeMenu(value: unknown): MenuData | null {
  if (!isObject(value) || value.v !== MENU_WIRE_VERSION || !isObject(value.accounts) || !isObject(value.roles)) return null;
  const strings = value.strings;
  if (!Array.isArray(strings) || !strings.every(isString)) return null;
  const S = strings.length;

  const ac = value.accounts;
  const accountIds = Array.isArray(ac.id) && ac.id.every(isString) ? (ac.id as string[]) : null;
  if (!accountIds) return null;
  const A = accountIds.length;
  const names = column(ac.name, A, isString);
  const aliases = column(ac.alias, A, (x): x is string | null => x === null || isString(x));
  const envs = column(ac.environment, A, (x): x is number => isIndex(x, ENVIRONMENTS.length));
  const accountColors = column(ac.color, A, (x): x is number => isIndex(x, S));
  const partitions = column(ac.partition, A, (x): x is number => isIndex(x, PARTITIONS.length));
  if (!names || !aliases || !envs || !accountColors || !partitions) return null;
  const accounts: MenuAccount[] = accountIds.map((id, i) => ({
    id,
    name: names[i]!,
    alias: aliases[i]!,
    environment: ENVIRONMENTS[envs[i]!] as Environment,
    color: strings[accountColors[i]!]!,
    partition: PARTITIONS[partitions[i]!] as Partition,
  }));

  const rc = value.roles;
  const roleIds = Array.isArray(rc.id) ? (rc.id as unknown[]) : null;
  if (!roleIds) return null;
  const R = roleIds.length;
  // Each cell is checked below, per role.
  const cols = [rc.a, rc.name, rc.label, rc.color, rc.region];
  if (!cols.every((c) => Array.isArray(c) && c.length === R)) return null;
  const [as, nameIx, labelIx, colorIx, regionIx] = cols as [unknown[], unknown[], unknown[], unknown[], unknown[]];

  const externalId = new Set(Array.isArray(value.externalId) ? value.externalId.filter((x) => isIndex(x, R)) : []);
  const usage = new Map<number, Pick<MenuRole, "pinned" | "lastUsedAt" | "uses">>();
  for (const u of Array.isArray(value.usage) ? value.usage : []) {
    if (!Array.isArray(u) || !isIndex(u[0], R) || (u[1] !== 0 && u[1] !== 1) || !(u[2] === null || isString(u[2])) || typeof u[3] !== "number") continue;
    usage.set(u[0], { pinned: u[1] === 1, lastUsedAt: u[2], uses: u[3] });
  }
  const health = new Map<number, MenuHealth>();
  for (const h of Array.isArray(value.health) ? value.health : []) {
    if (!Array.isArray(h) || !isIndex(h[0], R) || !isString(h[1]) || !isString(h[2]) || !isString(h[3])) continue;
    health.set(h[0], { why: h[1], reason: h[2], testedAt: h[3] });
  }

  const ends = new Map<number, string>();
  for (const e of Array.isArray(value.ends) ? value.ends : []) {
    if (!Array.isArray(e) || !isIndex(e[0], R) || !isString(e[1])) continue;
    ends.set(e[0], e[1]);
  }

  const roles: MenuRole[] = [];
  for (let i = 0; i < R; i++) {
    const id = roleIds[i];
    const a = as[i];
    const [name, label, color, region] = [nameIx[i], labelIx[i], colorIx[i], regionIx[i]];
    if (!isString(id) || !isIndex(a, A) || !isIndex(name, S) || !isIndex(label, S) || !isIndex(color, S) || !isIndex(region, S)) continue;
    const u = usage.get(i);
    const h = health.get(i);
    roles.push({
      id,
      a,
      name: strings[name]!,
      label: strings[label]!,
      color: strings[color]!,
      region: strings[region]!,
      pinned: u?.pinned ?? false,
      lastUsedAt: u?.lastUsedAt ?? null,
      uses: u?.uses ?? 0,
      requiresExternalId: externalId.has(i),
      ...(h ? { health: h } : {}),
      ...(ends.has(i) ? { accessEndsAt: ends.get(i)! } : {}),
    });
  }

  const requestable: MenuRequestable[] = [];
  for (const q of Array.isArray(value.requestable) ? value.requestable : []) {
    if (!Array.isArray(q) || !isString(q[0]) || !isIndex(q[1], A) || !isIndex(q[2], S) || !isIndex(q[3], S) || !isIndex(q[4], S) || (q[5] !== 0 && q[5] !== 1)) continue;
    requestable.push({ id: q[0], a: q[1], name: strings[q[2]]!, label: strings[q[3]]!, color: strings[q[4]]!, ...(q[5] === 1 ? { pending: true as const } : {}) });
  }
  return { accounts, roles, ...(requestable.length ? { requestable } : {}), lastRoleId: isString(value.lastRoleId) ? value.lastRoleId : null };
}
