// Which role entry a `<role>` argument means: an entry id, `account/role` as `switchboard roles`
// shows it, an exported profile name, or a query that the web menu's own search
// (components/switch-menu/search.ts) matches to exactly one entry.
import { profileNameFor } from "@/lib/aws/credential-formats";
import type { MenuData } from "@/lib/catalog/menu-types";
import { indexMenu, searchMenu, usageOrder } from "@/components/switch-menu/search";
import { CliError, EXIT } from "./errors";

export type Entry = {
  id: string;
  /** `account name/role label`. */
  path: string;
  accountId: string;
  accountName: string;
  roleName: string;
  label: string;
  region: string;
  /** The failing test's reason, when the entry failed its last test. */
  health?: string;
};

export function entriesOf(data: MenuData): Entry[] {
  return data.roles.map((role) => {
    const account = data.accounts[role.a];
    const accountName = account?.name ?? "?";
    return {
      id: role.id,
      path: `${accountName}/${role.label}`,
      accountId: account?.id ?? "?",
      accountName,
      roleName: role.name,
      label: role.label,
      region: role.region,
      ...(role.health ? { health: role.health.reason } : {}),
    };
  });
}

/** The entries in the menu's order: with a query, best match first (ties in usage order, as the
 * web menu ranks them); without one, pinned and recent first, then the catalog. */
export function listEntries(data: MenuData, query?: string): Entry[] {
  const entries = entriesOf(data);
  const index = indexMenu(data);
  const order = usageOrder(index, data.roles);
  const ranked = query?.trim() ? searchMenu(index, query, order)?.roles : order;
  return Array.from(ranked ?? order, (r) => entries[r]!);
}

/** A role entry id (a ULID, as lib/catalog/schemas.ts checks it): the console can be asked
 * straight away, without the menu. What `config export` writes, so the AWS CLI's every call
 * costs one request. */
export const isEntryId = (text: string) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(text);

const fold = (text: string) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s*\/\s*/g, "/").trim();

/** What resolveEntry says when nothing or several match, and which command lists them: your
 * roles by default; `switchboard request` matches the roles you may ask for instead. */
export type MatchWords = { none: string; noMatch: (wanted: string) => string; list: string };

const ROLE_WORDS: MatchWords = {
  none: "You have no roles in Switchboard yet. Ask an administrator for a grant.",
  noMatch: (wanted) => `No role of yours matches "${wanted}". Run switchboard roles to see them.`,
  list: "switchboard roles",
};

/** The one entry `wanted` names, or a CliError (exit 8) that lists the candidates. */
export function resolveEntry(data: MenuData, wanted: string, words: MatchWords = ROLE_WORDS): Entry {
  const entries = entriesOf(data);
  if (entries.length === 0) throw new CliError(EXIT.roleNotFound, words.none);
  const byId = entries.find((e) => e.id === wanted);
  if (byId) return byId;
  // Exact names first, so that "prod/admin" is not ambiguous with "prod/admin-readonly".
  const key = fold(wanted);
  for (const exact of [
    entries.filter((e) => fold(e.path) === key),
    entries.filter((e) => fold(`${e.accountId}/${e.label}`) === key || fold(`${e.accountName}/${e.roleName}`) === key || fold(`${e.accountId}/${e.roleName}`) === key),
    entries.filter((e) => profileNameFor(e.accountName, e.roleName) === key),
  ]) {
    if (exact.length === 1) return exact[0]!;
    if (exact.length > 1) throw ambiguous(wanted, exact, words);
  }
  const found = listEntries(data, wanted);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new CliError(EXIT.roleNotFound, words.noMatch(wanted));
  throw ambiguous(wanted, found, words);
}

const SHOWN = 20;

function ambiguous(wanted: string, matches: Entry[], words: MatchWords): CliError {
  const lines = [`"${wanted}" matches ${matches.length} roles; give one's id or account/role:`, ...formatTable(matches.slice(0, SHOWN)).map((l) => `  ${l}`)];
  if (matches.length > SHOWN) lines.push(`  … and ${matches.length - SHOWN} more (${words.list} ${quoteArg(wanted)})`);
  return new CliError(EXIT.roleNotFound, lines.join("\n"));
}

export const quoteArg = (text: string) => (/^[\w./@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** Columns: entry id, account/role, account id, region (and why a failing entry fails). */
export function formatTable(entries: Entry[], header = false): string[] {
  const rows = entries.map((e) => [e.id, e.path, e.accountId, e.region, e.health ? `failing: ${e.health}` : ""]);
  if (header) rows.unshift(["ID", "ACCOUNT/ROLE", "ACCOUNT", "REGION", ""]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join("  ").trimEnd());
}
