// "Ask for access" in the menu (issue 15 §2.1): the entries a person may request are searched with
// the same matching as their usable roles, listed after every usable role under their own header
// (browsing and searching alike), reached by the keyboard like any row, and carried by the
// compact wire (v3) intact; a malformed requestable line is dropped on its own.
import { describe, expect, it } from "vitest";
import { decodeMenu, encodeMenu, MENU_WIRE_VERSION, type MenuWire } from "@/lib/catalog/menu-wire";
import type { MenuData } from "@/lib/catalog/menu-types";
import { browseRows, headerAccount, isHeader, lastOption, moveActive, PINNED, RECENT, REQUESTABLE, resultRows, rowsCache, type MenuRows } from "./rows";
import { indexMenu, searchMenu, usageOrder } from "./search";
import { CATALOG } from "./testing";

/** CATALOG plus three entries to ask for: one in an account with usable roles, one pending, one in
 * an account of its own (no usable role there). */
function withRequestable(): MenuData {
  const data = structuredClone(CATALOG);
  data.accounts.push({ id: "666666666666", name: "Payments", alias: "acme-pay", environment: "production", color: "#dc2626", partition: "aws" });
  data.requestable = [
    { id: "prod-breakglass", a: 0, name: "BreakGlassAdmin", label: "Break glass", color: "#64748b" },
    { id: "dev-power", a: 1, name: "PowerUser", label: "PowerUser", color: "#64748b", pending: true },
    { id: "pay-ro", a: 5, name: "ReadOnly", label: "Read only", color: "#dc2626" },
  ];
  return data;
}

const data = withRequestable();
const index = indexMenu(data);
const order = usageOrder(index, data.roles);
const idOf = (r: number) => (r >= index.usable ? data.requestable![r - index.usable]!.id : data.roles[r]!.id);

function show(rows: MenuRows): string[] {
  return Array.from(rows.codes, (code) => {
    if (!isHeader(code)) return `  ${idOf(code)}`;
    if (code === PINNED) return "# Pinned";
    if (code === RECENT) return "# Recent";
    if (code === REQUESTABLE) return "# Ask for access";
    return `# ${data.accounts[headerAccount(code)]!.name}`;
  });
}

const search = (query: string) => show(resultRows(index, searchMenu(index, query, order)!));

describe("requestable entries in the menu", () => {
  it("index after the usable roles, which keep their indexes", () => {
    expect(index.usable).toBe(CATALOG.roles.length);
    expect(index.roleAccount).toHaveLength(CATALOG.roles.length + 3);
    expect(order).toHaveLength(CATALOG.roles.length + 3);
  });

  it("are listed last when browsing, under Ask for access, in catalog order", () => {
    const rows = show(browseRows(index, data.roles));
    const at = rows.indexOf("# Ask for access");
    expect(rows.slice(at)).toEqual(["# Ask for access", "  dev-power", "  pay-ro", "  prod-breakglass"]);
    // Never in Pinned, Recent or under an account header; the account of its own gets no header.
    expect(rows.filter((r) => r === "  pay-ro")).toHaveLength(1);
    expect(rows).not.toContain("# Payments");
    expect(rows.slice(0, at)).toEqual(show(browseRows(indexMenu(CATALOG), CATALOG.roles)));
  });

  it("are found with the same matching as usable roles: label, role name, account, id, alias, typos, subsequences", () => {
    expect(search("break")).toEqual(["# Ask for access", "  prod-breakglass"]);
    expect(search("BreakGlassAdmin")).toEqual(["# Ask for access", "  prod-breakglass"]);
    expect(search("payments")).toEqual(["# Ask for access", "  pay-ro"]);
    expect(search("666666")).toEqual(["# Ask for access", "  pay-ro"]);
    expect(search("acme-pay")).toEqual(["# Ask for access", "  pay-ro"]);
    expect(search("powr")).toEqual(["# Ask for access", "  dev-power"]);
    expect(search("prdbg")).toEqual(["# Ask for access", "  prod-breakglass"]);
  });

  it("come after every usable match, ranked among themselves", () => {
    expect(search("read only")).toEqual(["# Development", "  dev-ro", "# Production", "  prod-ro", "# Ask for access", "  pay-ro"]);
    expect(search("prod")).toEqual(["# Production", "  prod-admin", "  prod-deploy", "  prod-ro", "# Ask for access", "  prod-breakglass"]);
    expect(search("admin")).toEqual(["# Test", "  test-admin", "# Development", "  dev-admin", "# Production", "  prod-admin", "# Ask for access", "  prod-breakglass"]);
  });

  it("are rows the keyboard reaches like any other, the last one included", () => {
    const rows = resultRows(index, searchMenu(index, "read", order)!);
    expect(show(rows).slice(-2)).toEqual(["# Ask for access", "  pay-ro"]);
    expect(idOf(rows.codes[lastOption(rows)]!)).toBe("pay-ro");
    // Down from the last usable row crosses the header to the first requestable one.
    const header = show(rows).indexOf("# Ask for access");
    expect(idOf(rows.codes[moveActive(rows, header - 1, 1)]!)).toBe("pay-ro");
    expect(moveActive(rows, header + 1, -1)).toBe(header - 1);
    expect(rows.groups[lastOption(rows)]).toBe(REQUESTABLE);
    expect(rows.headerRow[lastOption(rows)]).toBe(header);
  });

  it("leave the list as it was when there are none", () => {
    const plain = indexMenu(CATALOG);
    const rowsFor = rowsCache(plain, usageOrder(plain, CATALOG.roles), browseRows(plain, CATALOG.roles));
    expect(Array.from(rowsFor("admin").codes)).not.toContain(REQUESTABLE);
  });

  it("may be all there is: a person with no usable role", () => {
    const only: MenuData = { accounts: data.accounts, roles: [], requestable: data.requestable, lastRoleId: null };
    const idx = indexMenu(only);
    expect(idx.usable).toBe(0);
    const rows = browseRows(idx, only.roles);
    expect(Array.from(rows.codes)).toEqual([REQUESTABLE, 1, 2, 0]);
    expect(Array.from(resultRows(idx, searchMenu(idx, "break", usageOrder(idx, only.roles))!).codes)).toEqual([REQUESTABLE, 0]);
  });
});

describe("the wire with requestable entries", () => {
  const wire = (d: MenuData) => JSON.parse(JSON.stringify(encodeMenu(d))) as MenuWire;

  it("round-trips them, pending marks included, at version 3", () => {
    expect(MENU_WIRE_VERSION).toBe(3);
    expect(decodeMenu(wire(data))).toEqual(data);
    expect(wire(data).requestable).toHaveLength(3);
    // Absent when there are none: the menu without them costs not a byte more.
    expect(wire(CATALOG)).not.toHaveProperty("requestable");
  });

  it("shares strings with the roles", () => {
    const w = wire(data);
    expect(w.strings.filter((s) => s === "ReadOnly")).toHaveLength(1);
  });

  it("drops a malformed requestable line, keeps the rest", () => {
    const bad = wire(data) as unknown as { requestable: unknown[]; strings: string[] };
    bad.requestable[0] = ["x", 99, 0, 0, 0, 0]; // no such account
    bad.requestable.push([7, 0, 0, 0, 0, 0], ["y", 0, 0, 0, bad.strings.length, 0], ["z", 0, 0, 0, 0, 2], "nope");
    expect(decodeMenu(bad)!.requestable!.map((q) => q.id)).toEqual(["dev-power", "pay-ro"]);
  });

  it("refuses data of the previous version", () => {
    expect(decodeMenu({ ...wire(CATALOG), v: 2 })).toBeNull();
  });
});
