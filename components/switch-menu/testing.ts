// Test data only (imported by the *.test.ts beside it): a small catalog for the search and rows tests, written the way people name things.
import type { MenuAccount, MenuData, MenuRole } from "@/lib/catalog/menu-types";

type AccountSpec = Omit<MenuAccount, "color" | "partition"> & Partial<Pick<MenuAccount, "color" | "partition">>;
type RoleSpec = { id: string; account: string; name: string; label?: string; pinned?: boolean; lastUsedAt?: string | null; uses?: number; requiresExternalId?: boolean; region?: string };

export function makeMenu(accounts: AccountSpec[], roles: RoleSpec[], lastRoleId: string | null = null): MenuData {
  const full: MenuAccount[] = accounts.map((a) => ({ color: "#64748b", partition: "aws", ...a }));
  const byName = new Map(full.map((a, i) => [a.name, i]));
  const menuRoles: MenuRole[] = roles.map((r) => {
    const a = byName.get(r.account);
    if (a === undefined) throw new Error(`fixture: no account ${r.account}`);
    return {
      id: r.id,
      a,
      name: r.name,
      label: r.label ?? r.name,
      color: full[a]!.color,
      region: r.region ?? "us-east-1",
      pinned: r.pinned ?? false,
      lastUsedAt: r.lastUsedAt ?? null,
      uses: r.uses ?? 0,
      requiresExternalId: r.requiresExternalId ?? false,
    };
  });
  return { accounts: full, roles: menuRoles, lastRoleId };
}

export const CATALOG = makeMenu(
  [
    { id: "111111111111", name: "Production", alias: "acme-prod", environment: "production" },
    { id: "222222222222", name: "Development", alias: "acme-dev", environment: "development" },
    { id: "333333333333", name: "Operations", alias: null, environment: "operations" },
    { id: "444444444444", name: "Test", alias: "acme-test", environment: "test" },
    { id: "555555555555", name: "Data Lake", alias: "analytics", environment: "staging" },
  ],
  [
    { id: "prod-admin", account: "Production", name: "AdminRole", label: "Admin" },
    { id: "prod-ro", account: "Production", name: "ReadOnly", label: "Read only" },
    { id: "prod-deploy", account: "Production", name: "CA_ServiceDeployer", label: "Deployer", requiresExternalId: true },
    { id: "dev-admin", account: "Development", name: "AdminRole", label: "Admin" },
    { id: "dev-ro", account: "Development", name: "ReadOnly", label: "Read only", pinned: true },
    { id: "ops-jenkins", account: "Operations", name: "JenkinsRole", lastUsedAt: "2026-05-01T10:00:00.000Z", uses: 3 },
    { id: "ops-billing", account: "Operations", name: "BillingViewer", label: "Billing", lastUsedAt: "2026-05-02T10:00:00.000Z", uses: 1 },
    { id: "test-admin", account: "Test", name: "AdminRole", label: "Admin", pinned: true, lastUsedAt: "2026-05-03T10:00:00.000Z" },
    { id: "lake-analyst", account: "Data Lake", name: "delegate_read_my_bucket", label: "Analyst" },
  ],
);
