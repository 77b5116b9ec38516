"use client";

import { Building2, FileUp, KeyRound, Loader2, Plus, Radar, Search } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Input, Select } from "@/components/ui/field";
import { ColorBar, EnvironmentBadge } from "@/components/registry/environment";
import { formatDuration, plural } from "@/components/registry/format";
import { compareAccounts, compareRoles } from "@/lib/catalog/order";
import type { ConfigImportOutcome } from "@/lib/catalog/config-import-plan";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { testRoleAction } from "./actions";
import { AddRoleDialog } from "./add-role-dialog";
import { ConfigImportDialog, ConfigImportResult } from "./config-import-dialog";
import { DiscoverDialog } from "./discover-dialog";
import { EditRoleDialog } from "./edit-role-dialog";
import { GrantsDialog } from "./grants-dialog";
import { RoleHealthLine } from "./role-health";
import { RemoveRoleDialog } from "./remove-role-dialog";
import { RevokeSessionsDialog } from "./revoke-sessions-dialog";
import { TestResult } from "./test-result";
import type { AccountOption, GrantView, TestOutcome, UserOption } from "./types";

type Open =
  | { kind: "add"; accountId?: string }
  | { kind: "discover"; accountId?: string }
  | { kind: "import" }
  | { kind: "edit"; role: RoleDto }
  | { kind: "grants"; roleId: string }
  | { kind: "remove"; role: RoleDto }
  | { kind: "revoke"; role: RoleDto }
  | null;

type Props = {
  roles: RoleDto[];
  accounts: AccountOption[];
  grants: GrantView[];
  users: UserOption[];
  canManage: boolean;
  canGrant: boolean;
  canRevoke: boolean;
  initialAccount: string;
};

export function RolesClient({ roles, accounts, grants, users, canManage, canGrant, canRevoke, initialAccount }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [imported, setImported] = useState<ConfigImportOutcome | null>(null);
  const [query, setQuery] = useState("");
  const [accountFilter, setAccountFilter] = useState(initialAccount);
  const [tests, setTests] = useState<Record<string, TestOutcome | "pending" | { error: string }>>({});
  const [, startTransition] = useTransition();

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    setImported(null);
    router.refresh();
  };

  const importDone = (outcome: ConfigImportOutcome) => {
    setOpen(null);
    setNotice(null);
    setImported(outcome);
    router.refresh();
  };

  const grantsByRole = useMemo(() => {
    const map = new Map<string, GrantView[]>();
    for (const g of grants) map.set(g.roleId, [...(map.get(g.roleId) ?? []), g]);
    return map;
  }, [grants]);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = (r: RoleDto) => !q || [r.displayName, r.roleName, r.roleArn, r.accountName].some((v) => v.toLowerCase().includes(q));
    // The menu's order (lib/catalog/order.ts): accounts by name, roles by display name.
    return [...accounts]
      .sort(compareAccounts)
      .filter((a) => !accountFilter || a.accountId === accountFilter)
      .map((account) => ({ account, roles: roles.filter((r) => r.accountId === account.accountId && matches(r)).sort(compareRoles) }));
  }, [accounts, roles, query, accountFilter]);
  const withRoles = groups.filter((g) => g.roles.length > 0);
  // Admins also see the accounts that have no roles yet, as places to discover some.
  const empty = canManage && !query ? groups.filter((g) => !roles.some((r) => r.accountId === g.account.accountId)) : [];

  const test = (role: RoleDto) => {
    setTests((t) => ({ ...t, [role.id]: "pending" }));
    startTransition(async () => {
      const result = await testRoleAction({ id: role.id });
      setTests((t) => ({ ...t, [role.id]: result.ok ? result.data : { error: result.error.message } }));
      // The result is kept as the entry's health: the row's status line reads it from the page.
      if (result.ok) router.refresh();
    });
  };

  const dialogs = (() => {
    if (!open) return null;
    const close = () => setOpen(null);
    switch (open.kind) {
      case "add":
        return <AddRoleDialog accounts={accounts} initialAccountId={open.accountId} onClose={close} onAdded={done} />;
      case "discover":
        return <DiscoverDialog accounts={accounts} initialAccountId={open.accountId} onClose={close} onRegistered={done} />;
      case "import":
        return <ConfigImportDialog onClose={close} onImported={importDone} />;
      case "edit":
        return <EditRoleDialog role={open.role} account={accounts.find((a) => a.accountId === open.role.accountId) ?? null} onClose={close} onSaved={done} />;
      case "grants": {
        const role = roles.find((r) => r.id === open.roleId);
        return role ? <GrantsDialog role={role} grants={grantsByRole.get(role.id) ?? []} users={users} canRevoke={canRevoke} onClose={close} /> : null;
      }
      case "revoke": {
        // Those granted the role first: theirs are the sessions most likely to be live.
        const granted = (grantsByRole.get(open.role.id) ?? []).flatMap((g) => (g.user ? [g.user] : []));
        const people = [...granted, ...users.filter((u) => !granted.some((g) => g.email === u.email))];
        return <RevokeSessionsDialog role={open.role} people={people} onClose={close} />;
      }
      case "remove":
        return <RemoveRoleDialog role={open.role} grantCount={grantsByRole.get(open.role.id)?.length ?? 0} onClose={close} onRemoved={done} />;
    }
  })();

  const importButton = (
    <Button variant="secondary" onClick={() => setOpen({ kind: "import" })}>
      <FileUp className="h-4 w-4" aria-hidden />
      Import from a config file
    </Button>
  );

  if (accounts.length === 0) {
    return (
      <div className="space-y-4">
        {imported ? <ConfigImportResult outcome={imported} /> : null}
        <EmptyState
          icon={<Building2 className="h-5 w-5" aria-hidden />}
          title={canManage ? "Register an AWS account first" : "No roles to show yet"}
          actions={
            canManage ? (
              <div className="flex flex-wrap items-center justify-center gap-2">
                <Link href="/accounts" className={buttonClass("primary")}>
                  Go to Accounts
                </Link>
                {importButton}
              </div>
            ) : null
          }
        >
          {canManage
            ? "Roles live in AWS accounts. Add your accounts (or import them from AWS Organizations) on the Accounts page; then come back to discover or add their roles. Or import the accounts and roles of an AWS Extend Switch Roles configuration or an AWS config file at once."
            : "Roles appear here once an administrator has registered them and granted them to you."}
        </EmptyState>
        {dialogs}
      </div>
    );
  }

  const toolbarActions = canManage ? (
    <div className="flex flex-wrap items-center gap-2">
      {importButton}
      <Button variant="secondary" onClick={() => setOpen({ kind: "discover", accountId: accountFilter || undefined })}>
        <Radar className="h-4 w-4" aria-hidden />
        Discover roles
      </Button>
      <Button onClick={() => setOpen({ kind: "add", accountId: accountFilter || undefined })}>
        <Plus className="h-4 w-4" aria-hidden />
        Register an existing role
      </Button>
    </div>
  ) : null;

  if (roles.length === 0) {
    return (
      <div className="space-y-4">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {imported ? <ConfigImportResult outcome={imported} /> : null}
        <EmptyState icon={<KeyRound className="h-5 w-5" aria-hidden />} title="No roles in the catalog yet" actions={toolbarActions}>
          {canManage
            ? "Discover the roles of a registered account — the console lists them with who each one trusts — or add one by its name or ARN. Then test it and grant it to people."
            : "Roles appear here once an administrator has registered them and granted them to you."}
        </EmptyState>
        {dialogs}
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <div className="relative w-72">
            <Search className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-slate-400" aria-hidden />
            <label htmlFor="role-filter" className="sr-only">
              Filter roles
            </label>
            <Input id="role-filter" type="search" placeholder="Filter by name or ARN" value={query} onChange={(e) => setQuery(e.target.value)} className="pl-8" />
          </div>
          <label htmlFor="role-account-filter" className="sr-only">
            Account
          </label>
          {/* In a box of its own width: the control itself is w-full, which would take the whole row. */}
          <div className="w-64 max-w-full">
            <Select id="role-account-filter" value={accountFilter} onChange={(e) => setAccountFilter(e.target.value)}>
              <option value="">All accounts</option>
              {[...accounts].sort(compareAccounts).map((a) => (
                <option key={a.accountId} value={a.accountId}>
                  {a.name} — {a.accountId}
                </option>
              ))}
            </Select>
          </div>
        </div>
        {toolbarActions}
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {imported ? <ConfigImportResult outcome={imported} /> : null}

      {withRoles.map(({ account, roles: accountRoles }) => (
        <section key={account.accountId} aria-labelledby={`account-${account.accountId}`} className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" data-testid={`role-account-${account.accountId}`}>
          <header className="flex items-center gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2.5">
            <ColorBar color={account.color} className="h-6" />
            <h2 id={`account-${account.accountId}`} className="font-semibold text-slate-900">
              {account.name}
            </h2>
            <span className="font-mono text-sm text-slate-500">{account.accountId}</span>
            <EnvironmentBadge environment={account.environment} />
            <span className="ml-auto text-xs whitespace-nowrap text-slate-500">{plural(accountRoles.length, "role")}</span>
          </header>
          <ul className="divide-y divide-slate-100">
            {accountRoles.map((role) => (
              <RoleRow
                key={role.id}
                role={role}
                grantCount={canGrant ? (grantsByRole.get(role.id)?.length ?? 0) : null}
                test={tests[role.id]}
                canManage={canManage}
                onTest={() => test(role)}
                onRevoke={canRevoke ? () => setOpen({ kind: "revoke", role }) : null}
                onDismissTest={() =>
                  setTests((t) => {
                    const next = { ...t };
                    delete next[role.id];
                    return next;
                  })
                }
                onGrants={() => setOpen({ kind: "grants", roleId: role.id })}
                onEdit={() => setOpen({ kind: "edit", role })}
                onRemove={() => setOpen({ kind: "remove", role })}
              />
            ))}
          </ul>
        </section>
      ))}

      {withRoles.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">
          {query ? `No role matches “${query}”.` : "No roles registered in this account yet."}
        </p>
      ) : null}

      {empty.length ? (
        <section aria-labelledby="accounts-without-roles" className="rounded-lg border border-dashed border-slate-300 bg-white">
          <h2 id="accounts-without-roles" className="border-b border-slate-100 px-4 py-2.5 text-sm font-medium text-slate-700">
            Accounts with no roles in the catalog yet
          </h2>
          <ul className="divide-y divide-slate-100">
            {empty.map(({ account }) => (
              <li key={account.accountId} className="flex items-center gap-3 px-4 py-2 text-sm">
                <ColorBar color={account.color} className="h-5" />
                <span className="font-medium text-slate-900">{account.name}</span>
                <span className="font-mono text-slate-500">{account.accountId}</span>
                <EnvironmentBadge environment={account.environment} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {dialogs}
    </div>
  );
}

const SOURCE_LABEL: Record<RoleDto["source"], string> = { manual: "Added by hand", discovered: "Discovered", wizard: "Created with the wizard" };

function RoleRow({
  role,
  grantCount,
  test,
  canManage,
  onTest,
  onDismissTest,
  onGrants,
  onEdit,
  onRemove,
  onRevoke,
}: {
  role: RoleDto;
  grantCount: number | null;
  test: TestOutcome | "pending" | { error: string } | undefined;
  canManage: boolean;
  onTest: () => void;
  onDismissTest: () => void;
  onGrants: () => void;
  onEdit: () => void;
  onRemove: () => void;
  onRevoke: (() => void) | null;
}) {
  const name = `${role.path}${role.roleName}`;
  return (
    <li data-testid={`role-row-${role.roleName}`} className="px-4 py-3">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {role.ownColor ? <ColorBar color={role.ownColor} className="h-4" /> : null}
            <span className="font-medium text-slate-900">{role.displayName}</span>
            {role.displayName !== role.roleName || role.path !== "/" ? <span className="font-mono text-xs text-slate-500">{name}</span> : null}
            {role.requiresExternalId ? (
              <Badge tone="violet" title="Switches send the ExternalId the role's trust policy requires">
                ExternalId
              </Badge>
            ) : null}
            {role.sourceIdentity ? (
              <Badge tone="sky" title="Switches set SourceIdentity to the person switching, so CloudTrail shows who it was">
                SourceIdentity
              </Badge>
            ) : null}
          </div>
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
            <span className="inline-flex min-w-0 items-center">
              <span className="font-mono text-slate-600 [overflow-wrap:anywhere]">{role.roleArn}</span>
              <CopyButton text={role.roleArn} label="Copy ARN" iconOnly />
            </span>
            <span title="Default region">{role.defaultRegion}</span>
            <span title={role.roleMaxSessionDuration ? `The role allows up to ${formatDuration(role.roleMaxSessionDuration)} (its MaxSessionDuration in IAM)` : "Session duration"}>
              {role.sessionDuration ? formatDuration(role.sessionDuration) : "1 h (default)"} sessions
              {role.roleMaxSessionDuration ? ` · role max ${formatDuration(role.roleMaxSessionDuration)}` : ""}
            </span>
            {grantCount !== null ? <span>{grantCount ? plural(grantCount, "grant") : "Not granted"}</span> : null}
            {canManage ? <span title="How the entry came into the catalog">{SOURCE_LABEL[role.source]}</span> : null}
          </div>
          <RoleHealthLine health={role.health} roleName={role.roleName} canManage={canManage} />
        </div>
        {canManage ? (
          <div className="flex flex-wrap items-center gap-1.5">
            <Button size="sm" variant="secondary" onClick={onTest} disabled={test === "pending"}>
              {test === "pending" ? <Loader2 className="h-3.5 w-3.5 animate-spin" aria-hidden /> : null}
              {test === "pending" ? "Testing…" : "Test"}
            </Button>
            {grantCount !== null ? (
              <Button size="sm" variant="secondary" onClick={onGrants}>
                Grants{grantCount ? ` (${grantCount})` : ""}
              </Button>
            ) : null}
            <Button size="sm" variant="secondary" onClick={onEdit}>
              Edit
            </Button>
            {/* roles.manage and provisioning.manage are both administrators' (lib/auth/permissions). */}
            {grantCount !== null ? (
              <Link href={`/roles/${role.id}/access`} className={buttonClass("secondary", "sm")} aria-label={`Access on request for ${role.displayName}`}>
                On request
              </Link>
            ) : null}
            <Link href={`/roles/${role.id}/trust`} className={buttonClass("secondary", "sm")} aria-label={`Edit trust of ${role.displayName}`}>
              Edit trust
            </Link>
            <Link href={`/roles/new?clone=${encodeURIComponent(role.id)}`} className={buttonClass("secondary", "sm")} aria-label={`Clone ${role.displayName}`}>
              Clone
            </Link>
            {onRevoke ? (
              <Button size="sm" variant="secondary" onClick={onRevoke}>
                Revoke sessions…
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={onRemove}>
              Remove
            </Button>
          </div>
        ) : null}
      </div>
      {test && test !== "pending" ? (
        <div className="mt-2">
          {"error" in test ? (
            <div data-testid={`test-result-${role.roleName}`}>
              <Alert title="The test could not run">{test.error}</Alert>
            </div>
          ) : (
            <TestResult outcome={test} testId={`test-result-${role.roleName}`} onDismiss={onDismissTest} role={canManage ? { id: role.id, label: role.displayName } : undefined} onRetest={onTest} />
          )}
        </div>
      ) : null}
    </li>
  );
}
