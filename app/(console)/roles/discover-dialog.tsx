"use client";

import { Loader2, ShieldAlert } from "lucide-react";
import { useEffect, useState, useTransition } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { plural } from "@/components/registry/format";
import { discoverRolesAction, registerDiscoveredAction } from "./actions";
import type { AccountOption, DiscoveredView } from "./types";

const ACCESS: Record<DiscoveredView["brokerAccess"], { tone: BadgeTone; label: string; title: string }> = {
  allowed: { tone: "emerald", label: "Console trusted", title: "The trust policy lets the console's AWS identity assume this role." },
  "needs-external-id": { tone: "amber", label: "Needs ExternalId", title: "The console is trusted only with the agreed ExternalId: enter it in the row to register the role." },
  "needs-mfa": { tone: "amber", label: "Needs MFA", title: "The trust policy requires MFA, which the console's AWS identity cannot provide." },
  "not-trusted": { tone: "slate", label: "Not trusted by the console", title: "The trust policy does not name the console's AWS identity (or its account)." },
};

const FULL_ADMIN: Record<NonNullable<DiscoveredView["fullAdmin"]>, string> = {
  "organization-access-role": "AWS Organizations creates this role in member accounts with full administrator access (AdministratorAccess).",
  "administrator-access": "The AdministratorAccess managed policy is attached: whoever switches in can do anything in the account.",
};

/** Rows chosen when the list arrives: those the console can assume as they are. Not those it
 * cannot (not trusted, MFA), nor full-admin roles (a deliberate choice each), nor ExternalId rows
 * until their ExternalId is typed. */
const chosenByDefault = (r: DiscoveredView) => !r.registered && !r.serviceLinked && r.brokerAccess === "allowed" && r.fullAdmin === null;

// The same rule as the server's (lib/catalog/schemas.ts externalIdField):
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId)
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

type Listing = { state: "idle" } | { state: "loading" } | { state: "error"; message: string } | { state: "ready"; roles: DiscoveredView[] };

/** Lists an account's IAM roles (through its provisioning role) and registers the chosen ones.
 * Nothing is listed until an account is chosen: listing calls AWS. */
export function DiscoverDialog({ accounts, initialAccountId, onClose, onRegistered }: { accounts: AccountOption[]; initialAccountId?: string; onClose: () => void; onRegistered: (message: string) => void }) {
  const [accountId, setAccountId] = useState(initialAccountId ?? "");
  const [listing, setListing] = useState<Listing>({ state: initialAccountId ? "loading" : "idle" });
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [externalIds, setExternalIds] = useState<Record<string, string>>({});
  const [showServiceLinked, setShowServiceLinked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const account = accounts.find((a) => a.accountId === accountId);

  useEffect(() => {
    if (!accountId) return;
    let current = true;
    void discoverRolesAction({ accountRef: accountId }).then((r) => {
      if (!current) return;
      setListing(r.ok ? { state: "ready", roles: r.data } : { state: "error", message: r.error.message });
      if (r.ok) setSelected(new Set(r.data.filter(chosenByDefault).map((role) => role.roleArn)));
    });
    return () => {
      current = false;
    };
  }, [accountId, attempt]);

  const chooseAccount = (next: string) => {
    setAccountId(next);
    setListing(next ? { state: "loading" } : { state: "idle" });
    setSelected(new Set());
    setExternalIds({});
    setError(null);
  };

  const roles = listing.state === "ready" ? listing.roles : [];
  const serviceLinked = roles.filter((r) => r.serviceLinked);
  const visible = showServiceLinked ? roles : roles.filter((r) => !r.serviceLinked);
  const validId = (arn: string) => EXTERNAL_ID.test((externalIds[arn] ?? "").trim());
  // "Select all" takes the rows that can work: not the ones the console is not trusted by, and
  // ExternalId rows only once their ExternalId is there.
  const selectable = visible.filter((r) => !r.registered && (r.brokerAccess === "allowed" || (r.brokerAccess === "needs-external-id" && validId(r.roleArn))));
  const notTrusted = roles.filter((r) => !r.registered && !r.serviceLinked && (r.brokerAccess === "not-trusted" || r.brokerAccess === "needs-mfa")).length;
  const newCount = roles.filter((r) => !r.registered && !r.serviceLinked).length;

  const toggle = (arn: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(arn);
      else next.delete(arn);
      return next;
    });

  const setExternalId = (arn: string, value: string) => {
    setExternalIds((ids) => ({ ...ids, [arn]: value }));
    // A valid ExternalId chooses its row; clearing it un-chooses it.
    toggle(arn, EXTERNAL_ID.test(value.trim()));
  };

  const register = () =>
    startTransition(async () => {
      const chosen = [...selected];
      const ids = Object.fromEntries(chosen.filter((arn) => validId(arn)).map((arn) => [arn, externalIds[arn]!.trim()]));
      const r = await registerDiscoveredAction({ accountRef: accountId, roleArns: chosen, ...(Object.keys(ids).length ? { externalIds: ids } : {}) });
      if (!r.ok) return setError(r.error.message);
      const { added, skipped } = r.data;
      onRegistered(
        `Registered ${plural(added.length, "role")} from ${account?.name ?? accountId}${added.length ? `: ${added.map((a) => a.displayName).join(", ")}` : ""}${skipped.length ? `. ${plural(skipped.length, "was", "were")} already in the catalog` : ""}. Test ${added.length === 1 ? "it" : "them"}, then grant ${added.length === 1 ? "it" : "them"} to people.`,
      );
    });

  return (
    <Dialog open onClose={onClose} title="Discover roles" description="The IAM roles of a registered account, listed through its provisioning role, with who each one trusts.">
      <div className="space-y-3">
        <Field label="Account" htmlFor="discover-account">
          <Select id="discover-account" value={accountId} onChange={(e) => chooseAccount(e.target.value)}>
            <option value="" disabled>
              Choose an account…
            </option>
            {accounts.map((a) => (
              <option key={a.accountId} value={a.accountId}>
                {a.name} — {a.accountId}
              </option>
            ))}
          </Select>
        </Field>
        {error ? <Alert>{error}</Alert> : null}
        {listing.state === "idle" ? (
          <p className="py-4 text-sm text-slate-600">Choose an account to list its IAM roles. The console reads them through the account&apos;s provisioning role.</p>
        ) : listing.state === "loading" ? (
          <p role="status" className="flex items-center gap-2 py-6 text-sm text-slate-600">
            <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
            Listing the roles of {account?.name ?? accountId}…
          </p>
        ) : listing.state === "error" ? (
          <div className="space-y-3">
            <Alert title={`Could not list the roles of ${account?.name ?? accountId}`}>{listing.message}</Alert>
            <div className="flex justify-end">
              <Button
                variant="secondary"
                onClick={() => {
                  setListing({ state: "loading" });
                  setAttempt((n) => n + 1);
                }}
              >
                Try again
              </Button>
            </div>
          </div>
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <p className="text-slate-600">
                {plural(roles.length - serviceLinked.length, "role")}, {newCount} not in the catalog{selected.size ? ` · ${selected.size} selected` : ""}
                {notTrusted ? ` · ${notTrusted} left unticked: the console cannot use ${notTrusted === 1 ? "it" : "them"} as ${notTrusted === 1 ? "it is" : "they are"}` : ""}
              </p>
              <div className="flex gap-3">
                {selectable.length > 1 ? (
                  <>
                    <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setSelected(new Set(selectable.map((r) => r.roleArn)))}>
                      Select all
                    </button>
                    <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setSelected(new Set())}>
                      Select none
                    </button>
                  </>
                ) : null}
              </div>
            </div>
            {visible.length ? (
              <ul className="max-h-[45vh] divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
                {visible.map((r) => {
                  const access = ACCESS[r.brokerAccess];
                  const id = `discovered-${r.roleName}`;
                  const needsId = r.brokerAccess === "needs-external-id" && !r.registered;
                  const idValue = externalIds[r.roleArn] ?? "";
                  const idInvalid = idValue.trim() !== "" && !validId(r.roleArn);
                  const cannotWork = !r.registered && (r.brokerAccess === "not-trusted" || r.brokerAccess === "needs-mfa");
                  return (
                    <li key={r.roleArn} data-testid={id} data-access={r.brokerAccess} className={`flex items-start gap-3 px-3 py-2 ${r.registered ? "bg-slate-50" : ""}`}>
                      <input
                        id={`${id}-check`}
                        type="checkbox"
                        className="mt-1 h-4 w-4 shrink-0 accent-indigo-600"
                        checked={r.registered || selected.has(r.roleArn)}
                        // An ExternalId row is chosen by typing its ExternalId (registering it
                        // without one would give an entry whose every switch fails).
                        disabled={r.registered || (needsId && !validId(r.roleArn))}
                        onChange={(e) => toggle(r.roleArn, e.target.checked)}
                        aria-label={r.roleName}
                        aria-describedby={`${id}-trust${(cannotWork && r.reason) || needsId ? ` ${id}-reason` : ""}`}
                      />
                      <div className="min-w-0 flex-1">
                        <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
                          <label htmlFor={`${id}-check`} className={`font-mono text-sm [overflow-wrap:anywhere] ${r.registered ? "text-slate-600" : "cursor-pointer font-medium text-slate-900"}`}>
                            {r.path !== "/" ? <span className="text-slate-500">{r.path}</span> : null}
                            {r.roleName}
                          </label>
                          <span className="flex flex-wrap gap-1">
                            {r.registered ? <Badge tone="indigo">In the catalog</Badge> : null}
                            {r.serviceLinked ? <Badge>Service-linked</Badge> : null}
                            {r.fullAdmin ? (
                              <Badge tone="red" title={FULL_ADMIN[r.fullAdmin]}>
                                <ShieldAlert className="mr-1 h-3 w-3" aria-hidden />
                                Full admin
                              </Badge>
                            ) : null}
                            <Badge tone={access.tone} title={access.title}>
                              {access.label}
                            </Badge>
                          </span>
                        </div>
                        <p id={`${id}-trust`} className="text-sm text-slate-700 [overflow-wrap:anywhere]">
                          {r.trust.startsWith("Trusts ") ? (
                            <>
                              <span className="font-medium">Trusts today:</span> {r.trust.slice("Trusts ".length)}
                            </>
                          ) : (
                            r.trust
                          )}
                        </p>
                        {r.fullAdmin ? <p className="text-xs text-slate-600">{FULL_ADMIN[r.fullAdmin]}</p> : null}
                        {cannotWork && r.reason ? (
                          <p id={`${id}-reason`} data-testid={`${id}-reason`} className="mt-1 rounded border border-amber-200 bg-amber-50 px-2 py-1 text-xs text-amber-900 [overflow-wrap:anywhere]">
                            {r.reason}
                          </p>
                        ) : null}
                        {needsId ? (
                          <div className="mt-1.5 space-y-1">
                            <label htmlFor={`${id}-external-id`} id={`${id}-reason`} className="block text-xs font-medium text-slate-700">
                              ExternalId for {r.roleName} (its trust policy requires one)
                            </label>
                            <Input
                              id={`${id}-external-id`}
                              value={idValue}
                              onChange={(e) => setExternalId(r.roleArn, e.target.value)}
                              autoComplete="off"
                              spellCheck={false}
                              placeholder="The ExternalId agreed with the role's owner"
                              className="font-mono"
                              invalid={idInvalid}
                            />
                            {idInvalid ? (
                              <p id={`${id}-external-id-error`} className="text-xs text-red-600">
                                An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces).
                              </p>
                            ) : null}
                          </div>
                        ) : null}
                        {r.description ? <p className="text-xs text-slate-600">{r.description}</p> : null}
                      </div>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">No roles in this account{serviceLinked.length ? " besides service-linked ones" : ""}.</p>
            )}
            {serviceLinked.length ? (
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" checked={showServiceLinked} onChange={(e) => {
                    setShowServiceLinked(e.target.checked);
                    if (!e.target.checked) setSelected((s) => new Set([...s].filter((arn) => !serviceLinked.some((r) => r.roleArn === arn))));
                  }} className="h-4 w-4 accent-indigo-600" />
                Show {plural(serviceLinked.length, "service-linked role")} (AWS services use them; people cannot)
              </label>
            ) : null}
          </>
        )}
        <div className="flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={register} disabled={pending || selected.size === 0}>
            {pending ? "Registering…" : selected.size ? `Register ${plural(selected.size, "role")}` : "Register selected"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
