"use client";

import { ArrowDown, ArrowUp, Building2, CloudDownload, Plus, Search } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Input } from "@/components/ui/field";
import { ColorBar, EnvironmentBadge } from "@/components/registry/environment";
import type { AccountDto } from "@/lib/accounts/dto";
import { ENVIRONMENTS } from "@/lib/domain/environments";
import { AccountDialog } from "./account-dialog";
import { DeleteAccountDialog } from "./delete-account-dialog";
import { ImportDialog, ImportResult, type ImportOutcome } from "./import-dialog";

type SortKey = "environment" | "name" | "accountId" | "roleCount";
type Open = { kind: "add" } | { kind: "import" } | { kind: "edit"; account: AccountDto } | { kind: "delete"; account: AccountDto } | null;

const byName = (a: AccountDto, b: AccountDto) => a.name.localeCompare(b.name);
const COMPARE: Record<SortKey, (a: AccountDto, b: AccountDto) => number> = {
  environment: (a, b) => ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment) || byName(a, b),
  name: byName,
  accountId: (a, b) => a.accountId.localeCompare(b.accountId),
  roleCount: (a, b) => a.roleCount - b.roleCount || byName(a, b),
};

export function AccountsClient({ accounts, canManage }: { accounts: AccountDto[]; canManage: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportOutcome | null>(null);
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "environment", desc: false });

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    router.refresh();
  };

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matching = q
      ? accounts.filter((a) => a.name.toLowerCase().includes(q) || a.accountId.includes(q) || (a.alias ?? "").includes(q) || a.environment.includes(q))
      : accounts;
    const sorted = [...matching].sort(COMPARE[sort.key]);
    return sort.desc ? sorted.reverse() : sorted;
  }, [accounts, query, sort]);

  const dialogs = (
    <>
      {open?.kind === "add" || open?.kind === "edit" ? <AccountDialog account={open.kind === "edit" ? open.account : null} onClose={() => setOpen(null)} onSaved={done} /> : null}
      {open?.kind === "delete" ? <DeleteAccountDialog account={open.account} onClose={() => setOpen(null)} onDeleted={done} /> : null}
      {open?.kind === "import" ? (
        <ImportDialog
          onClose={() => setOpen(null)}
          onImported={(outcome) => {
            // The dialog closes; the page says what was added and skipped, and why.
            setOpen(null);
            setNotice(null);
            setImported(outcome);
            router.refresh();
          }}
        />
      ) : null}
    </>
  );

  const addButtons = canManage ? (
    <>
      <Button variant="secondary" onClick={() => setOpen({ kind: "import" })}>
        <CloudDownload className="h-4 w-4" aria-hidden />
        Import from AWS Organizations
      </Button>
      <Button onClick={() => setOpen({ kind: "add" })}>
        <Plus className="h-4 w-4" aria-hidden />
        Add account
      </Button>
    </>
  ) : null;

  if (accounts.length === 0) {
    return (
      <div className="space-y-4">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {imported ? <ImportResult outcome={imported} /> : null}
        <EmptyState icon={<Building2 className="h-5 w-5" aria-hidden />} title="No AWS accounts registered yet" actions={addButtons}>
          {canManage
            ? "Add each AWS account your team uses by its 12-digit id, a name and its environment — or import them all at once from AWS Organizations, through the console's AWS identity."
            : "An administrator registers the team's AWS accounts here. Once they have, and have granted you roles, you can switch into them from the header."}
        </EmptyState>
        {dialogs}
      </div>
    );
  }

  const header = (key: SortKey, label: string, className = "") => {
    const active = sort.key === key;
    return (
      <th className={`px-3 py-2 ${className}`} aria-sort={active ? (sort.desc ? "descending" : "ascending") : undefined}>
        <button
          type="button"
          className="inline-flex items-center gap-1 uppercase tracking-wide hover:text-slate-800"
          onClick={() => setSort({ key, desc: active ? !sort.desc : false })}
        >
          {label}
          {active ? sort.desc ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUp className="h-3 w-3" aria-hidden /> : null}
        </button>
      </th>
    );
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="relative w-full max-w-xs">
          <Search className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-slate-400" aria-hidden />
          <label htmlFor="account-filter" className="sr-only">
            Filter accounts
          </label>
          <Input id="account-filter" type="search" placeholder="Filter by name, id or alias" value={query} onChange={(e) => setQuery(e.target.value)} className="pl-8" />
        </div>
        <div className="flex items-center gap-2">{addButtons}</div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {imported ? <ImportResult outcome={imported} /> : null}
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              {header("name", "Account", "pl-4")}
              {header("accountId", "Account ID")}
              {header("environment", "Environment")}
              <th className="px-3 py-2">Region</th>
              <th className="px-3 py-2">Provisioning role</th>
              {header("roleCount", "Roles", "text-right")}
              <th className="px-3 py-2">Source</th>
              {canManage ? (
                <th className="px-4 py-2 text-right">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((account, i) => {
              // When sorted by environment, a thicker rule separates the groups.
              const newGroup = sort.key === "environment" && i > 0 && rows[i - 1]!.environment !== account.environment;
              return (
                <tr key={account.id} data-testid={`account-row-${account.accountId}`} className={`align-middle ${newGroup ? "border-t-2 border-slate-200" : "border-t border-slate-100"}`}>
                  <td className="py-2.5 pl-4 pr-3">
                    <div className="flex items-center gap-3">
                      <ColorBar color={account.color} />
                      <div className="min-w-0">
                        <div className="font-medium text-slate-900" title={account.notes || undefined}>
                          {account.name}
                        </div>
                        {account.alias ? <div className="font-mono text-xs text-slate-500">{account.alias}</div> : null}
                      </div>
                    </div>
                  </td>
                  <td className="px-3 py-2.5 font-mono text-slate-700">{account.accountId}</td>
                  <td className="px-3 py-2.5">
                    <EnvironmentBadge environment={account.environment} />
                  </td>
                  <td className="px-3 py-2.5">
                    <div className="font-mono text-xs text-slate-700">{account.defaultRegion}</div>
                    <div className="text-xs text-slate-500">{account.partition}</div>
                  </td>
                  <td className="px-3 py-2.5 font-mono text-xs text-slate-600">{account.provisioningRoleName}</td>
                  <td className="px-3 py-2.5 text-right tabular-nums">
                    {account.roleCount ? (
                      <Link href={`/roles?account=${account.accountId}`} className="font-medium text-indigo-600 hover:underline" aria-label={`${account.roleCount} roles in ${account.name}`}>
                        {account.roleCount}
                      </Link>
                    ) : (
                      <span className="text-slate-400">0</span>
                    )}
                  </td>
                  <td className="px-3 py-2.5">
                    <Badge tone={account.source === "organizations" ? "indigo" : "slate"}>{account.source === "organizations" ? "Organizations" : "Manual"}</Badge>
                  </td>
                  {canManage ? (
                    <td className="px-4 py-2.5">
                      <div className="flex justify-end gap-2">
                        <Button size="sm" variant="secondary" onClick={() => setOpen({ kind: "edit", account })} aria-label={`Edit ${account.name}`}>
                          Edit
                        </Button>
                        <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen({ kind: "delete", account })} aria-label={`Delete ${account.name}`}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              );
            })}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={canManage ? 8 : 7} className="px-4 py-8 text-center text-slate-500">
                  No account matches “{query}”.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">{accounts.length === 1 ? "1 account" : `${accounts.length} accounts`} registered.</p>
      {dialogs}
    </div>
  );
}
