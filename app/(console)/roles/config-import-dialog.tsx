"use client";

import { FileUp } from "lucide-react";
import { useRef, useState, useTransition, type ChangeEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { ENVIRONMENT_LABELS } from "@/components/registry/environment";
import { plural } from "@/components/registry/format";
import { CONFIG_FORMAT_LABELS, MAX_CONFIG_CHARS, type ConfigImportFormat } from "@/lib/catalog/config-import";
import type { ConfigImportOutcome, ConfigImportPlan } from "@/lib/catalog/config-import-plan";
import { ENVIRONMENTS, type Environment } from "@/lib/domain/environments";
import { applyConfigImportAction, previewConfigImportAction } from "./actions";

type FormatChoice = ConfigImportFormat | "auto";
type AccountChoice = { chosen: boolean; name: string; environment: Environment };

const EXAMPLE = `[profile production-admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = identity
region = eu-west-1`;

/** What an import did, shown on the Roles page once the dialog has closed. */
export function ConfigImportResult({ outcome }: { outcome: ConfigImportOutcome }) {
  const { addedAccounts, addedRoles, skipped } = outcome;
  return (
    <div data-testid="config-import-result">
      <Alert tone="success" title={`Imported ${plural(addedRoles.length, "role")}${addedAccounts.length ? ` and ${plural(addedAccounts.length, "account")}` : ""} from the config file${skipped.length ? `; ${skipped.length} skipped` : ""}.`}>
        {addedAccounts.length ? <p className="mt-1 [overflow-wrap:anywhere]">Accounts: {addedAccounts.map((a) => `${a.name} (${a.accountId})`).join(", ")}.</p> : null}
        {addedRoles.length ? <p className="mt-1 [overflow-wrap:anywhere]">Roles: {addedRoles.map((r) => r.displayName).join(", ")}. Each was tested as it was registered; grant them to people next.</p> : null}
        {skipped.length ? (
          <ul className="mt-1 list-disc pl-5">
            {skipped.map((s) => (
              <li key={s.label} className="[overflow-wrap:anywhere]">
                {s.label}: {s.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </Alert>
    </div>
  );
}

/** Paste (or choose) an AWS Extend Switch Roles configuration or an AWS config file, see what it
 * would register — new and registered accounts and roles, skipped profiles and unreadable lines,
 * each with its line — untick what should not be, then register the rest in one step. */
export function ConfigImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (outcome: ConfigImportOutcome) => void }) {
  const [text, setText] = useState("");
  const [format, setFormat] = useState<FormatChoice>("auto");
  const [fileName, setFileName] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [plan, setPlan] = useState<ConfigImportPlan | null>(null);
  const [roles, setRoles] = useState<Set<string>>(new Set());
  const [accounts, setAccounts] = useState<Record<string, AccountChoice>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fileInput = useRef<HTMLInputElement>(null);

  const chooseFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    if (file.size > MAX_CONFIG_CHARS) {
      setInputError(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; the import reads at most ${MAX_CONFIG_CHARS / 1024} KiB. Split it and import each part.`);
      return;
    }
    setText(await file.text());
    setFileName(file.name);
    setInputError(null);
  };

  const preview = () => {
    if (!text.trim()) return setInputError("Paste a configuration, or choose its file.");
    if (text.length > MAX_CONFIG_CHARS) return setInputError(`The configuration is larger than ${MAX_CONFIG_CHARS / 1024} KiB; split it and import each part.`);
    setInputError(null);
    setError(null);
    startTransition(async () => {
      const result = await previewConfigImportAction({ text, format });
      if (!result.ok) return setInputError(result.error.message);
      const next = result.data;
      setPlan(next);
      setRoles(new Set(next.roles.filter((r) => r.status === "new").map((r) => r.roleArn)));
      setAccounts(Object.fromEntries(next.accounts.filter((a) => !a.registered).map((a) => [a.accountId, { chosen: true, name: a.name, environment: a.environment }])));
    });
  };

  const register = () =>
    startTransition(async () => {
      setError(null);
      const accountOf = new Map(plan?.roles.map((r) => [r.roleArn, r.accountId]));
      const withChosenRoles = new Set([...roles].map((arn) => accountOf.get(arn)));
      const chosenAccounts = Object.entries(accounts)
        .filter(([accountId, a]) => a.chosen && withChosenRoles.has(accountId))
        .map(([accountId, a]) => ({ accountId, name: a.name.trim(), environment: a.environment }));
      const result = await applyConfigImportAction({ text, format, accounts: chosenAccounts, roles: [...roles] });
      if (!result.ok) return setError(result.error.message);
      onImported(result.data);
    });

  if (!plan) {
    return (
      <Dialog open onClose={onClose} title="Import from a config file" description="An AWS Extend Switch Roles configuration or an AWS CLI config file (~/.aws/config). You will see what it registers before anything is.">
        <div className="space-y-3">
          <Field label="Format" htmlFor="config-import-format" hint="Auto-detect reads the file's settings; choose the format if it guesses wrong.">
            <Select id="config-import-format" value={format} onChange={(e) => setFormat(e.target.value as FormatChoice)}>
              <option value="auto">Auto-detect</option>
              <option value="aesr">{CONFIG_FORMAT_LABELS.aesr}</option>
              <option value="aws-config">{CONFIG_FORMAT_LABELS["aws-config"]}</option>
            </Select>
          </Field>
          <div className="space-y-1">
            <div className="flex flex-wrap items-end justify-between gap-2">
              <label htmlFor="config-import-text" className="block text-sm font-medium text-slate-700">
                Configuration
              </label>
              <Button size="sm" variant="secondary" onClick={() => fileInput.current?.click()}>
                <FileUp className="h-3.5 w-3.5" aria-hidden />
                Choose a file…
              </Button>
              <input ref={fileInput} type="file" className="hidden" tabIndex={-1} aria-hidden accept=".ini,.cfg,.conf,.config,.txt,text/plain" onChange={(e) => void chooseFile(e)} data-testid="config-import-file" />
            </div>
            <Textarea
              id="config-import-text"
              rows={10}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setFileName(null);
              }}
              placeholder={EXAMPLE}
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
              invalid={inputError !== null}
              aria-describedby={inputError ? "config-import-text-error" : "config-import-text-hint"}
            />
            {inputError ? (
              <p id="config-import-text-error" role="alert" className="text-sm text-red-600">
                {inputError}
              </p>
            ) : (
              <p id="config-import-text-hint" className="text-xs text-slate-500">
                {fileName ? `Read from ${fileName}. ` : ""}Up to {MAX_CONFIG_CHARS / 1024} KiB and 2,000 profiles. Access keys and SSO settings are never imported; the file is not kept.
              </p>
            )}
          </div>
          <div className="flex justify-end gap-2 pt-1">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={preview} disabled={pending || !text.trim()}>
              {pending ? "Reading…" : "Preview"}
            </Button>
          </div>
        </div>
      </Dialog>
    );
  }

  const newRoles = plan.roles.filter((r) => r.status === "new");
  const registeredRoles = plan.roles.filter((r) => r.status === "registered");
  const newAccounts = plan.accounts.filter((a) => !a.registered);
  const registeredAccounts = plan.accounts.filter((a) => a.registered);
  const accountUsable = (accountId: string) => registeredAccounts.some((a) => a.accountId === accountId) || accounts[accountId]?.chosen === true;
  const chosenRoles = newRoles.filter((r) => roles.has(r.roleArn) && accountUsable(r.accountId));
  const chosenAccountCount = newAccounts.filter((a) => accounts[a.accountId]?.chosen && chosenRoles.some((r) => r.accountId === a.accountId)).length;
  const nameMissing = newAccounts.some((a) => accounts[a.accountId]?.chosen && chosenRoles.some((r) => r.accountId === a.accountId) && !accounts[a.accountId]!.name.trim());

  const toggleRole = (arn: string, on: boolean) =>
    setRoles((s) => {
      const next = new Set(s);
      if (on) next.add(arn);
      else next.delete(arn);
      return next;
    });
  const setAccount = (accountId: string, patch: Partial<AccountChoice>) => setAccounts((all) => ({ ...all, [accountId]: { ...all[accountId]!, ...patch } }));

  return (
    <Dialog open onClose={onClose} title="Import from a config file" description="Untick what should not be registered; set each new account's name and environment.">
      <div className="space-y-3">
        <p className="text-sm text-slate-700" data-testid="config-import-summary">
          {CONFIG_FORMAT_LABELS[plan.format]}
          {plan.detected ? " (detected)" : ""} · {plural(plan.profileCount, "profile")}: {newRoles.length} new {newRoles.length === 1 ? "role" : "roles"}, {registeredRoles.length} already registered, {plan.skipped.length} skipped, {plural(plan.problems.length, "line")} not read
        </p>
        {error ? <Alert>{error}</Alert> : null}
        <div className="max-h-[55vh] space-y-4 overflow-y-auto pr-1">
          {newAccounts.length ? (
            <section aria-labelledby="config-import-accounts">
              <h3 id="config-import-accounts" className="mb-1 text-sm font-semibold text-slate-900">
                New accounts ({newAccounts.length})
              </h3>
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                {newAccounts.map((a) => {
                  const choice = accounts[a.accountId]!;
                  const id = `config-import-account-${a.accountId}`;
                  return (
                    <li key={a.accountId} data-testid={id} className="space-y-2 px-3 py-2">
                      <label className="flex cursor-pointer items-center gap-2 text-sm">
                        <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={choice.chosen} onChange={(e) => setAccount(a.accountId, { chosen: e.target.checked })} aria-label={`Register account ${a.accountId}`} />
                        <span className="font-mono text-slate-900">{a.accountId}</span>
                        {a.partition !== "aws" ? <Badge tone="violet">{a.partition}</Badge> : null}
                        <span className="ml-auto text-xs text-slate-500">{plural(a.roles, "role")} in the file</span>
                      </label>
                      {choice.chosen ? (
                        <div className="grid gap-2 sm:grid-cols-2">
                          <Field label="Name" htmlFor={`${id}-name`} error={choice.name.trim() ? undefined : "Enter a name"}>
                            <Input id={`${id}-name`} value={choice.name} maxLength={60} onChange={(e) => setAccount(a.accountId, { name: e.target.value })} invalid={!choice.name.trim()} />
                          </Field>
                          <Field label="Environment" htmlFor={`${id}-environment`}>
                            <Select id={`${id}-environment`} value={choice.environment} onChange={(e) => setAccount(a.accountId, { environment: e.target.value as Environment })}>
                              {ENVIRONMENTS.map((env) => (
                                <option key={env} value={env}>
                                  {ENVIRONMENT_LABELS[env]}
                                </option>
                              ))}
                            </Select>
                          </Field>
                        </div>
                      ) : (
                        <p className="text-xs text-slate-600">Not registered: its roles are left out too.</p>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ) : null}
          {registeredAccounts.length ? (
            <p className="text-sm text-slate-600 [overflow-wrap:anywhere]">
              Already registered: {registeredAccounts.map((a) => `${a.name} (${a.accountId})`).join(", ")}.
            </p>
          ) : null}

          <section aria-labelledby="config-import-roles">
            <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
              <h3 id="config-import-roles" className="text-sm font-semibold text-slate-900">
                Roles ({plan.roles.length})
              </h3>
              {newRoles.length > 1 ? (
                <div className="flex gap-3 text-sm">
                  <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setRoles(new Set(newRoles.map((r) => r.roleArn)))}>
                    Select all
                  </button>
                  <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => setRoles(new Set())}>
                    Select none
                  </button>
                </div>
              ) : null}
            </div>
            {plan.roles.length ? (
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                {plan.roles.map((r) => {
                  const id = `config-import-role-${r.line}`;
                  const usable = r.status === "new" && accountUsable(r.accountId);
                  return (
                    <li key={r.roleArn} data-testid={id} data-status={r.status} className={`flex items-start gap-3 px-3 py-2 ${r.status === "registered" ? "bg-slate-50" : ""}`}>
                      <input
                        id={`${id}-check`}
                        type="checkbox"
                        className="mt-1 h-4 w-4 shrink-0 accent-indigo-600"
                        checked={r.status === "registered" || (usable && roles.has(r.roleArn))}
                        disabled={!usable}
                        onChange={(e) => toggleRole(r.roleArn, e.target.checked)}
                        aria-describedby={`${id}-where`}
                      />
                      <div className="min-w-0 flex-1 text-sm">
                        <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
                          <label htmlFor={`${id}-check`} className={`[overflow-wrap:anywhere] ${r.status === "registered" ? "text-slate-600" : "cursor-pointer font-medium text-slate-900"}`}>
                            {r.displayName}
                          </label>
                          <span className="flex flex-wrap gap-1">
                            {r.status === "new" ? <Badge tone="emerald">New</Badge> : <Badge tone="indigo">In the catalog{r.registeredAs && r.registeredAs !== r.displayName ? ` as ${r.registeredAs}` : ""}</Badge>}
                            {r.externalId ? <Badge tone="violet">ExternalId</Badge> : null}
                          </span>
                        </div>
                        <p className="font-mono text-xs text-slate-600 [overflow-wrap:anywhere]">{r.roleArn}</p>
                        <p id={`${id}-where`} className="text-xs text-slate-500 [overflow-wrap:anywhere]">
                          Line {r.line} · profile {r.profile}
                          {r.via.length ? ` · via ${r.via.join(" → ")}` : ""}
                          {r.region ? ` · ${r.region}` : ""}
                          {r.status === "new" && !accountUsable(r.accountId) ? " · its account is not ticked" : ""}
                        </p>
                        {r.notes.length ? (
                          <ul className="mt-1 space-y-0.5 text-xs text-amber-900">
                            {r.notes.map((n) => (
                              <li key={n} className="[overflow-wrap:anywhere]">
                                {n}
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </div>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">No role in this file. Check the format, or that its profiles have a role_arn (or an account id and role name).</p>
            )}
          </section>

          {plan.problems.length ? (
            <section aria-labelledby="config-import-problems">
              <h3 id="config-import-problems" className="mb-1 text-sm font-semibold text-slate-900">
                Could not be read ({plan.problems.length})
              </h3>
              <ul className="space-y-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800" data-testid="config-import-problems">
                {plan.problems.map((p, i) => (
                  <li key={`${p.line}-${i}`} className="[overflow-wrap:anywhere]">
                    <span className="font-semibold">Line {p.line}</span>
                    {p.profile ? ` (${p.profile})` : ""}: {p.reason}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {plan.skipped.length ? (
            <section aria-labelledby="config-import-skipped">
              <h3 id="config-import-skipped" className="mb-1 text-sm font-semibold text-slate-900">
                Skipped ({plan.skipped.length})
              </h3>
              <ul className="space-y-1 rounded-md border border-slate-200 px-3 py-2 text-xs text-slate-700" data-testid="config-import-skipped">
                {plan.skipped.map((s, i) => (
                  <li key={`${s.line}-${i}`} className="[overflow-wrap:anywhere]">
                    <span className="font-semibold">Line {s.line}</span> ({s.profile}): {s.reason}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => setPlan(null)}>
            Back
          </Button>
          <Button onClick={register} disabled={pending || chosenRoles.length === 0 || nameMissing}>
            {pending ? "Registering…" : chosenRoles.length ? `Register ${plural(chosenRoles.length, "role")}${chosenAccountCount ? ` and ${plural(chosenAccountCount, "account")}` : ""}` : "Nothing to register"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
