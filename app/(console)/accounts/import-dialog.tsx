"use client";

import { Loader2 } from "lucide-react";
import { useEffect, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import { EnvironmentBadge } from "@/components/registry/environment";
import { plural } from "@/components/registry/format";
import type { OrganizationAccount } from "@/lib/accounts/import";
import { importAccountsAction, previewImportAction } from "./actions";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; accounts: OrganizationAccount[] };
export type ImportOutcome = { added: Array<{ name: string; accountId: string }>; skipped: Array<{ accountId: string; reason: string }> };

/** What an import did, shown on the page once the dialog has closed: what was added, and what
 * was skipped and why. */
export function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  return (
    <Alert
      tone={outcome.skipped.length && !outcome.added.length ? "warning" : "success"}
      title={`Imported ${plural(outcome.added.length, "account")} from AWS Organizations${outcome.skipped.length ? `; ${outcome.skipped.length} skipped` : ""}.`}
    >
      {outcome.added.length ? <p className="mt-1">Added: {outcome.added.map((a) => `${a.name} (${a.accountId})`).join(", ")}.</p> : null}
      {outcome.skipped.length ? (
        <ul className="mt-1 list-disc pl-5">
          {outcome.skipped.map((s) => (
            <li key={s.accountId}>
              <span className="font-mono">{s.accountId}</span>: {s.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** Lists the organization's accounts (through the console's AWS identity) and registers the
 * chosen ones with their Organizations names and a guessed environment. */
export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (outcome: ImportOutcome) => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const [attempt, setAttempt] = useState(0);

  // The dialog is mounted only while open, so this asks once per opening (and per retry).
  useEffect(() => {
    let current = true;
    void previewImportAction({}).then((result) => {
      if (!current) return;
      if (!result.ok) return setLoaded({ state: "error", message: result.error.message });
      setLoaded({ state: "ready", accounts: result.data });
      // New, active accounts start selected: importing the whole organization is the usual case.
      setSelected(new Set(result.data.filter((a) => !a.registered && a.status === "ACTIVE").map((a) => a.accountId)));
    });
    return () => {
      current = false;
    };
  }, [attempt]);
  const retry = () => {
    setLoaded({ state: "loading" });
    setAttempt((n) => n + 1);
  };

  const accounts = loaded.state === "ready" ? loaded.accounts : [];
  const selectable = accounts.filter((a) => !a.registered && a.status === "ACTIVE");
  const registered = accounts.filter((a) => a.registered);
  const unavailable = accounts.filter((a) => !a.registered && a.status !== "ACTIVE");

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const submit = () =>
    startTransition(async () => {
      setError(null);
      const result = await importAccountsAction({ accountIds: [...selected] });
      if (!result.ok) return setError(result.error.message);
      onImported(result.data);
    });

  return (
    <Dialog open onClose={onClose} title="Import from AWS Organizations" description="The accounts of your organization, as the console's AWS identity sees them. Their names and a guessed environment are registered; edit them afterwards.">
      {loaded.state === "loading" ? (
        <p role="status" className="flex items-center gap-2 py-6 text-sm text-slate-600">
          <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
          Asking AWS Organizations for the accounts…
        </p>
      ) : loaded.state === "error" ? (
        <div className="space-y-4">
          <Alert title="AWS Organizations did not list the accounts">{loaded.message}</Alert>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
            <Button onClick={retry}>Try again</Button>
          </div>
        </div>
      ) : (
        <div className="space-y-3">
          {error ? <Alert>{error}</Alert> : null}
          <div className="flex items-center justify-between text-sm">
            <p className="text-slate-600">
              {selectable.length ? `${plural(selectable.length, "new account")}, ${selected.size} selected` : "Every account of the organization is already registered."}
            </p>
            {selectable.length > 1 ? (
              <div className="flex gap-3">
                <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setSelected(new Set(selectable.map((a) => a.accountId)))}>
                  Select all
                </button>
                <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setSelected(new Set())}>
                  Select none
                </button>
              </div>
            ) : null}
          </div>
          <ul className="max-h-[45vh] divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
            {selectable.map((a) => (
              <li key={a.accountId} data-testid={`org-account-${a.accountId}`}>
                <label className="flex cursor-pointer items-start gap-3 px-3 py-2 hover:bg-slate-50">
                  <input
                    type="checkbox"
                    className="mt-1 h-4 w-4 accent-indigo-600"
                    checked={selected.has(a.accountId)}
                    onChange={(e) => toggle(a.accountId, e.target.checked)}
                    aria-label={`${a.name} (${a.accountId})`}
                  />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center justify-between gap-2">
                      <span className="truncate font-medium text-slate-900">{a.name}</span>
                      <EnvironmentBadge environment={a.suggestedEnvironment} />
                    </span>
                    <span className="flex justify-between gap-2 text-xs text-slate-500">
                      <span className="font-mono">{a.accountId}</span>
                      <span className="truncate">{a.email}</span>
                    </span>
                  </span>
                </label>
              </li>
            ))}
            {[...unavailable, ...registered].map((a) => (
              <li key={a.accountId} data-testid={`org-account-${a.accountId}`} className="flex items-start gap-3 bg-slate-50 px-3 py-2 text-slate-500">
                <input type="checkbox" disabled checked={a.registered} className="mt-1 h-4 w-4" aria-label={`${a.name} (${a.accountId})`} />
                <span className="min-w-0 flex-1">
                  <span className="flex items-center justify-between gap-2">
                    <span className="truncate">{a.name}</span>
                    <Badge>{a.registered ? "registered" : a.status.toLowerCase()}</Badge>
                  </span>
                  <span className="flex justify-between gap-2 text-xs">
                    <span className="font-mono">{a.accountId}</span>
                    <span className="truncate">{a.email}</span>
                  </span>
                </span>
              </li>
            ))}
          </ul>
          <p className="text-xs text-slate-500">The environment is guessed from each name; you can change it after the import.</p>
          <div className="flex justify-end gap-2 pt-1">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={submit} disabled={pending || selected.size === 0}>
              {pending ? "Importing…" : `Import ${selected.size ? plural(selected.size, "account") : "selected"}`}
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
