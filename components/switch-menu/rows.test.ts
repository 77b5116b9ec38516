import { describe, expect, it } from "vitest";
import { accountHeader, browseRows, firstOption, headerAccount, isHeader, lastOption, menuRows, moveActive, PINNED, RECENT, RECENT_LIMIT, resultRows, rowOfRole, rowsCache, snapToOption, type MenuRows } from "./rows";
import { indexMenu, searchMenu, usageOrder } from "./search";
import { CATALOG, makeMenu } from "./testing";

const index = indexMenu(CATALOG);
const roleId = (r: number) => CATALOG.roles[r]!.id;

/** The rows as text: "# Pinned", "  dev-ro", "# Production", … */
function show(rows: MenuRows, data = CATALOG): string[] {
  return Array.from(rows.codes, (code) => {
    if (!isHeader(code)) return `  ${data.roles[code]!.id}`;
    if (code === PINNED) return "# Pinned";
    if (code === RECENT) return "# Recent";
    return `# ${data.accounts[headerAccount(code)]!.name}`;
  });
}

describe("browseRows (no query)", () => {
  const rows = browseRows(index, CATALOG.roles);

  it("lists Pinned, then Recent (latest first, pinned ones left out), then every account by name", () => {
    expect(show(rows)).toEqual([
      "# Pinned",
      "  dev-ro", // Development before Test: catalog order
      "  test-admin",
      "# Recent",
      "  ops-billing", // 2 May
      "  ops-jenkins", // 1 May (test-admin, 3 May, is pinned)
      "# Data Lake",
      "  lake-analyst",
      "# Development",
      "  dev-admin",
      "  dev-ro",
      "# Operations",
      "  ops-billing",
      "  ops-jenkins", // Billing < JenkinsRole by label
      "# Production",
      "  prod-admin",
      "  prod-deploy",
      "  prod-ro",
      "# Test",
      "  test-admin",
    ]);
    expect(rows.options).toBe(13);
  });

  it("records each row's group and its header row, for the sticky header and ARIA groups", () => {
    const i = show(rows).indexOf("  prod-deploy");
    expect(rows.groups[i]).toBe(accountHeader(CATALOG.roles[rows.codes[i]!]!.a));
    expect(show(rows)[rows.headerRow[i]!]).toBe("# Production");
    expect(rows.groups[1]).toBe(PINNED);
    expect(rows.headerRow[0]).toBe(0);
  });

  it("keeps only the latest few in Recent and leaves out empty groups", () => {
    const data = makeMenu(
      [{ id: "100000000000", name: "Sandbox", alias: null, environment: "sandbox" }],
      Array.from({ length: RECENT_LIMIT + 3 }, (_, i) => ({ id: `r${i}`, account: "Sandbox", name: `Role${i}`, lastUsedAt: `2026-01-0${i + 1}T00:00:00.000Z` })),
    );
    const shown = show(browseRows(indexMenu(data), data.roles), data);
    expect(shown[0]).toBe("# Recent");
    expect(shown.slice(1, RECENT_LIMIT + 1)).toEqual(["  r7", "  r6", "  r5", "  r4", "  r3"]);
    expect(shown).not.toContain("# Pinned");
  });

  it("follows a pin toggled in the open menu (usage changes, the index does not)", () => {
    const usage = CATALOG.roles.map((r) => (r.id === "lake-analyst" ? { ...r, pinned: true } : r));
    expect(show(browseRows(index, usage)).slice(0, 4)).toEqual(["# Pinned", "  lake-analyst", "  dev-ro", "  test-admin"]);
  });
});

describe("resultRows (a query)", () => {
  const rows = (query: string) => resultRows(index, searchMenu(index, query, usageOrder(index, CATALOG.roles))!);

  it("groups matches by account, the account with the best match first", () => {
    // "admin" is an exact label for Test/Development/Production Admin; Test's is pinned so
    // Test comes first; Development's Read only does not match.
    expect(show(rows("admin"))).toEqual(["# Test", "  test-admin", "# Development", "  dev-admin", "# Production", "  prod-admin"]);
  });

  it("keeps every match of an account together even when another account ranks in between", () => {
    const data = makeMenu(
      [
        { id: "100000000000", name: "Alpha", alias: null, environment: "other" },
        { id: "200000000000", name: "Beta", alias: null, environment: "other" },
      ],
      [
        { id: "a-meta", account: "Alpha", name: "Metadata" }, // substring
        { id: "a-data", account: "Alpha", name: "Data" }, // exact
        { id: "b-lake", account: "Beta", name: "DataLake" }, // prefix
      ],
    );
    const idx = indexMenu(data);
    const result = searchMenu(idx, "data", usageOrder(idx, data.roles))!;
    expect(Array.from(result.roles, (r) => data.roles[r]!.id)).toEqual(["a-data", "b-lake", "a-meta"]);
    expect(show(resultRows(idx, result), data)).toEqual(["# Alpha", "  a-data", "  a-meta", "# Beta", "  b-lake"]);
  });

  it("is empty when nothing matches", () => {
    const empty = rows("zzzz");
    expect(empty.codes).toHaveLength(0);
    expect(empty.options).toBe(0);
    expect(firstOption(empty)).toBe(-1);
  });
});

describe("keyboard movement", () => {
  // # Pinned, dev-ro, test-admin, # Recent, ops-billing, ops-jenkins, # Data Lake, lake-analyst, …
  const rows = browseRows(index, CATALOG.roles);
  const n = rows.codes.length;

  it.each<[string, number, number, number, boolean | undefined]>([
    ["down within a group", 1, 1, 2, undefined],
    ["down over a header", 2, 1, 4, undefined],
    ["up over a header", 4, -1, 2, undefined],
    ["down from the last row wraps to the first", n - 1, 1, 1, undefined],
    ["up from the first row wraps to the last", 1, -1, n - 1, undefined],
    ["a page down lands on a role, past a header", 1, 5, 7, undefined],
    ["a page up stops at the first role", 4, -10, 1, undefined],
    ["a page down stops at the last role", 1, 100, n - 1, undefined],
    ["nothing active yet: down starts at the top", -1, 1, 1, undefined],
    ["nothing active yet: up starts at the bottom", -1, -1, n - 1, undefined],
  ])("%s", (_what, from, by, to, wrap) => {
    expect(moveActive(rows, from, by, wrap)).toBe(to);
    expect(isHeader(rows.codes[to]!)).toBe(false);
  });

  it("snaps a row that became a header to the nearest role row", () => {
    expect(snapToOption(rows, 3, 1)).toBe(4);
    expect(snapToOption(rows, 3, -1)).toBe(2);
    expect(snapToOption(rows, 0, -1)).toBe(1);
  });

  it("finds the first row of a role (pinned roles appear twice)", () => {
    const devRo = CATALOG.roles.findIndex((r) => r.id === "dev-ro");
    expect(rowOfRole(rows, devRo)).toBe(1);
    const inAccount = show(rows).lastIndexOf("  dev-ro");
    expect(rowOfRole(rows, devRo, rows.groups[inAccount])).toBe(inAccount);
    expect(rowOfRole(rows, devRo, RECENT)).toBe(1); // not in Recent: its first row
    expect(roleId(rows.codes[lastOption(rows)]!)).toBe("test-admin");
  });
});

describe("rowsCache", () => {
  const order = usageOrder(index, CATALOG.roles);
  const browse = browseRows(index, CATALOG.roles);

  it("answers as menuRows does, and a query typed again (a backspace) with the same rows", () => {
    const rowsFor = rowsCache(index, order, browse);
    const prod = rowsFor("prod");
    expect(show(prod)).toEqual(show(menuRows(index, "prod", order, browse)));
    expect(show(rowsFor("produ"))).toEqual(show(menuRows(index, "produ", order, browse)));
    expect(rowsFor("prod")).toBe(prod);
    expect(rowsFor("")).toBe(browse);
  });

  it("keeps the latest 32 queries", () => {
    const rowsFor = rowsCache(index, order, browse);
    const first = rowsFor("a");
    for (let i = 0; i < 31; i++) rowsFor(`a${i}`);
    expect(rowsFor("a")).toBe(first); // still there, and now the latest
    for (let i = 31; i < 63; i++) rowsFor(`a${i}`);
    expect(rowsFor("a")).not.toBe(first);
    expect(show(rowsFor("a"))).toEqual(show(first));
  });
});
