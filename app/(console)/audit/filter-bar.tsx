"use client";

import { Filter } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { auditActionLabel } from "@/lib/audit/actions";
import { FILTER_KEYS, toIsoUtc } from "./filters";

export type FilterValues = { actor: string; action: string; outcome: string; account: string; from: string; to: string };

/** A registered account, for the account picker. */
export type AccountOption = { accountId: string; name: string };

function Labelled({ label, htmlFor, error, children, className = "" }: { label: string; htmlFor: string; error?: string; children: ReactNode; className?: string }) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${htmlFor}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The attributes that tie a control to its error (or nothing when it has none). */
const invalid = (id: string, error: string | undefined) => (error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {});

/** A GET form: it works without JavaScript (the page reads the raw values); with it, the URL
 * gets only the filters that are set, with times as ISO 8601 UTC. */
export function FilterBar({
  values,
  actions,
  accounts,
  errors = {},
}: {
  values: FilterValues;
  actions: readonly string[];
  accounts: AccountOption[];
  /** Filters that were not applied, and why (shown at their fields). */
  errors?: Partial<Record<keyof FilterValues, string>>;
}) {
  const router = useRouter();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = String(form.get(key) ?? "").trim();
      if (value) params.set(key, key === "from" || key === "to" ? toIsoUtc(value, key) : value);
    }
    const query = params.toString();
    router.push(query ? `/audit?${query}` : "/audit");
  };
  const active = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/audit" onSubmit={submit} role="search" aria-label="Filter the audit log" className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-[minmax(0,1.4fr)_minmax(0,1.2fr)_minmax(0,0.8fr)_minmax(0,1fr)_minmax(0,1.1fr)_minmax(0,1.1fr)_auto]">
        <Labelled label="Actor email" htmlFor="audit-actor" error={errors.actor}>
          <Input id="audit-actor" name="actor" type="search" autoComplete="off" placeholder="anyone" defaultValue={values.actor} {...invalid("audit-actor", errors.actor)} />
        </Labelled>
        <Labelled label="Action" htmlFor="audit-action" error={errors.action}>
          <Select id="audit-action" name="action" defaultValue={errors.action ? "" : values.action} {...invalid("audit-action", errors.action)}>
            <option value="">Any action</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(a)}
              </option>
            ))}
          </Select>
        </Labelled>
        <Labelled label="Outcome" htmlFor="audit-outcome" error={errors.outcome}>
          <Select id="audit-outcome" name="outcome" defaultValue={errors.outcome ? "" : values.outcome} {...invalid("audit-outcome", errors.outcome)}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </Select>
        </Labelled>
        <Labelled label="AWS account" htmlFor="audit-account" error={errors.account}>
          <Select id="audit-account" name="account" defaultValue={errors.account ? "" : values.account} {...invalid("audit-account", errors.account)}>
            <option value="">Any account</option>
            {accounts.map((a) => (
              <option key={a.accountId} value={a.accountId}>
                {a.name} ({a.accountId})
              </option>
            ))}
            {/* Events outlive registrations: an account no longer registered stays choosable from a link. */}
            {values.account && !errors.account && !accounts.some((a) => a.accountId === values.account) ? <option value={values.account}>{values.account} (not registered)</option> : null}
          </Select>
        </Labelled>
        <Labelled label="From (UTC)" htmlFor="audit-from" error={errors.from}>
          <Input id="audit-from" name="from" type="datetime-local" defaultValue={values.from} {...invalid("audit-from", errors.from)} />
        </Labelled>
        <Labelled label="To (UTC)" htmlFor="audit-to" error={errors.to}>
          <Input id="audit-to" name="to" type="datetime-local" defaultValue={values.to} {...invalid("audit-to", errors.to)} />
        </Labelled>
        <div className="col-span-2 flex items-end gap-2 md:col-span-3 xl:col-span-1">
          <Button type="submit">
            <Filter className="h-4 w-4" aria-hidden />
            Apply
          </Button>
          {active ? (
            <Link href="/audit" className={buttonClass("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </div>
    </form>
  );
}
