// The menu's data in its compact shape (lib/catalog/menu-wire.ts): what the route encodes the browser decodes to the same MenuData; a
// malformed entry is dropped on its own; anything that is not this shape (another version, the
// objects form) is refused; and 5,000 roles in 1,000 accounts stay well under the 300 KiB budget.
import { describe, expect, it } from "vitest";
import { decodeMenu, encodeMenu, MENU_WIRE_VERSION, type MenuWire } from "@/lib/catalog/menu-wire";
import type { MenuData } from "@/lib/catalog/menu-types";
import { CATALOG, makeMenu } from "./testing";

const health = { why: "not_trusted", reason: "The trust policy of … does not trust the console's broker.", testedAt: "2026-03-01T10:00:00.000Z" };

/** The catalog with every optional part in use: a failing entry, an ExternalId, pins, recents. */
function full(): MenuData {
  const data = structuredClone(CATALOG);
  data.roles[1]!.health = health;
  data.roles[0]!.color = "#f59e0b";
  data.roles[0]!.region = "eu-west-1";
  data.accounts[2]!.partition = "aws-us-gov";
  data.lastRoleId = "ops-billing";
  return data;
}

const wire = (data: MenuData) => JSON.parse(JSON.stringify(encodeMenu(data))) as MenuWire;

describe("encodeMenu / decodeMenu", () => {
  it("round-trips the menu's data through JSON", () => {
    expect(decodeMenu(wire(full()))).toEqual(full());
    expect(decodeMenu(wire(CATALOG))).toEqual(CATALOG);
    const empty = { accounts: [], roles: [], lastRoleId: null };
    expect(decodeMenu(wire(empty))).toEqual(empty);
  });

  it("sends each repeated string once", () => {
    const encoded = encodeMenu(CATALOG);
    expect(encoded.strings.filter((s) => s === "AdminRole")).toHaveLength(1);
    expect(encoded.strings.filter((s) => s === "us-east-1")).toHaveLength(1);
    // Only the roles that have them carry usage and health lines.
    expect(encoded.usage.map(([r]) => CATALOG.roles[r]!.id)).toEqual(["dev-ro", "ops-jenkins", "ops-billing", "test-admin"]);
    expect(encoded.health).toEqual([]);
  });

  it.each([null, "x", [], {}, { ...CATALOG }, { ...wire(CATALOG), v: MENU_WIRE_VERSION + 1 }, { ...wire(CATALOG), strings: [1] }, { ...wire(CATALOG), roles: { id: [] } }])(
    "refuses what is not the menu's data: %j",
    (value) => {
      expect(decodeMenu(value)).toBeNull();
    },
  );

  it("refuses the whole when an account is malformed (every role may point at it)", () => {
    const bad = wire(CATALOG);
    bad.accounts.environment[0] = 99;
    expect(decodeMenu(bad)).toBeNull();
  });

  it("drops a role that points at a missing account or string, or lacks an id; keeps the rest", () => {
    const bad = wire(CATALOG);
    bad.roles.a[0] = 99;
    bad.roles.label[1] = bad.strings.length;
    (bad.roles.id as unknown[])[2] = 7;
    expect(decodeMenu(bad)!.roles.map((r) => r.id)).toEqual(CATALOG.roles.slice(3).map((r) => r.id));
  });

  it("drops a malformed usage or health line, keeps its role", () => {
    const bad = wire(full()) as unknown as { usage: unknown[]; health: unknown[] };
    bad.usage.push([0, "yes", null, 1], [999, 1, null, 1]);
    bad.health.push([2, "not_trusted"]);
    const decoded = decodeMenu(bad)!;
    expect(decoded).toEqual(full());
  });

  it("keeps 5,000 roles in 1,000 accounts under 300 KiB before compression", () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({ id: String(100_000_000_000 + i * 7_919_001).slice(0, 12), name: `Payments Production ${i}`, alias: `acme-payments-prod-${i}`, environment: "production" as const }));
    const templates = ["AdminRole", "ReadOnly", "PowerUser", "BillingViewer", "CA_ServiceDeployer"];
    // ULID-like ids: 26 characters, as the store's.
    const roles = accounts.flatMap((a, i) => templates.map((name, k) => ({ id: `01JF${String(i * 5 + k).padStart(22, "0")}`, account: a.name, name, lastUsedAt: i % 100 === 0 ? "2026-05-01T10:00:00.000Z" : null })));
    const data = makeMenu(accounts, roles);
    const objects = JSON.stringify(data).length;
    const compact = JSON.stringify(encodeMenu(data)).length;
    expect(compact).toBeLessThan(300 * 1024);
    expect(compact).toBeLessThan(objects / 3);
    expect(decodeMenu(JSON.parse(JSON.stringify(encodeMenu(data))))).toEqual(data);
  });
});
