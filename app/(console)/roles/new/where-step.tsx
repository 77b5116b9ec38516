"use client";

import { useEffect } from "react";
import { ColorBar, EnvironmentBadge } from "@/components/registry/environment";
import { Badge } from "@/components/ui/badge";
import { Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { TagsEditor } from "@/components/wizard/tags-editor";
import type { WizardContext } from "@/components/wizard/types";
import { fieldId, validateWhere, type FieldErrors } from "@/components/wizard/validate";
import { ENVIRONMENTS, type Environment } from "@/lib/domain/environments";
import type { WizardDocument } from "@/lib/provision/types";

const HOURS = Array.from({ length: 12 }, (_, i) => i + 1);
const isEnvironment = (e: string): e is Environment => (ENVIRONMENTS as readonly string[]).includes(e);

/** Step 1: the target account, the role's name and path, its description, maximum session,
 * tags and permissions boundary. */
export function WhereStep({ doc, context, errors, onChange }: { doc: WizardDocument; context: WizardContext; errors: FieldErrors; onChange: (doc: WizardDocument) => void }) {
  const t = doc.target;
  const set = (patch: Partial<WizardDocument["target"]>) => onChange({ ...doc, target: { ...t, ...patch } });
  const id = (key: string) => fieldId(`target.${key}`);
  const err = (key: string) => errors[`target.${key}`];

  const account = context.accounts.find((a) => a.accountId === t.accountId);
  const disabled = context.accounts.filter((a) => !a.canProvision);
  const path = t.path || "/";
  // The ARN preview only for a name and path IAM would accept (the step's own checks decide).
  const problems = validateWhere(doc, context.accounts);
  const arn = account && t.roleName && !problems["target.roleName"] && !problems["target.path"] ? `arn:${account.partition}:iam::${account.accountId}:role${path}${t.roleName.trim()}` : null;
  const switchTooLong = (path.length > 1 ? path.length : 0) + t.roleName.trim().length > 64;
  const boundary = t.permissionsBoundaryArn ?? "";
  const requiredBoundary = context.permissionsBoundaryArn ? context.permissionsBoundaryArn.replaceAll("{accountId}", t.accountId || "{accountId}") : null;

  // A draft or a clone may still ask for a boundary of its own; the server would refuse it next
  // to the administrator's, so it is dropped (the administrator's is shown instead).
  useEffect(() => {
    if (!context.permissionsBoundaryArn || t.permissionsBoundaryArn === undefined) return;
    const { permissionsBoundaryArn: _drop, ...rest } = t;
    onChange({ ...doc, target: rest });
  }, [context.permissionsBoundaryArn, t, doc, onChange]);

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="space-y-4">
        <Field
          label="Target account"
          htmlFor={id("accountId")}
          error={err("accountId")}
          hint={disabled.length ? "Greyed-out accounts have no provisioning role the console can use; set one on the Accounts page." : "Where the role will live. The console creates it through this account's provisioning role."}
        >
          <Select
            id={id("accountId")}
            value={t.accountId}
            onChange={(e) => set({ accountId: e.target.value })}
            aria-invalid={Boolean(err("accountId")) || undefined}
            aria-describedby={err("accountId") ? `${id("accountId")}-error` : undefined}
            autoFocus
          >
            <option value="">Choose an account…</option>
            {context.accounts.map((a) => (
              <option key={a.accountId} value={a.accountId} disabled={!a.canProvision}>
                {a.name} — {a.accountId}
                {a.canProvision ? "" : " (no provisioning role)"}
              </option>
            ))}
          </Select>
        </Field>
        {account ? (
          <div className="flex items-center gap-2 text-sm text-slate-600" data-testid="wizard-target-account">
            <ColorBar color={account.color} className="h-5" />
            <span className="font-medium text-slate-900">{account.name}</span>
            {isEnvironment(account.environment) ? <EnvironmentBadge environment={account.environment} /> : <Badge>{account.environment}</Badge>}
            {account.partition !== "aws" ? <Badge tone="amber">{account.partition}</Badge> : null}
          </div>
        ) : null}

        <div className="grid grid-cols-[1fr_10rem] gap-4">
          <Field label="Role name" htmlFor={id("roleName")} error={err("roleName")} hint="Up to 64 letters, digits and + = , . @ _ -. It cannot be renamed later.">
            <Input id={id("roleName")} value={t.roleName} onChange={(e) => set({ roleName: e.target.value })} placeholder="CA_ServiceDeployer" autoComplete="off" spellCheck={false} className="font-mono" invalid={Boolean(err("roleName"))} />
          </Field>
          <Field label="Path" htmlFor={id("path")} error={err("path")} hint="Starts and ends with /.">
            <Input id={id("path")} value={t.path} onChange={(e) => set({ path: e.target.value })} placeholder="/" autoComplete="off" spellCheck={false} className="font-mono" invalid={Boolean(err("path"))} />
          </Field>
        </div>
        {arn ? (
          <p className="text-xs text-slate-500">
            Role ARN: <span className="font-mono text-slate-700 [overflow-wrap:anywhere]">{arn}</span>
          </p>
        ) : null}
        {switchTooLong ? (
          <p className="text-xs text-amber-800">Path and name together are longer than 64 characters: the AWS console&apos;s own Switch Role cannot open this role (Switchboard can).</p>
        ) : null}

        <Field label="Description (optional)" htmlFor={id("description")} error={err("description")} hint="What the role is for and who owns it; shown in IAM.">
          <Textarea id={id("description")} value={t.description} onChange={(e) => set({ description: e.target.value })} rows={3} maxLength={1000} invalid={Boolean(err("description"))} />
        </Field>
      </div>

      <div className="space-y-4">
        <Field
          label="Maximum session duration"
          htmlFor={id("maxSessionDuration")}
          error={err("maxSessionDuration")}
          hint={
            context.broker.temporary
              ? "How long a session may last for callers that use their own credentials (CLI, SDK). Operators switching through this console get 1 hour: the console runs on temporary credentials, and AWS caps role chaining at 1 hour."
              : "How long a session may last. Operators switching through this console can get up to this."
          }
        >
          <Select id={id("maxSessionDuration")} value={String(t.maxSessionDuration)} onChange={(e) => set({ maxSessionDuration: Number(e.target.value) })}>
            {HOURS.map((h) => (
              <option key={h} value={h * 3600}>
                {h} {h === 1 ? "hour" : "hours"}
                {h === 1 ? " (AWS default)" : ""}
              </option>
            ))}
            {t.maxSessionDuration % 3600 !== 0 ? <option value={t.maxSessionDuration}>{t.maxSessionDuration} seconds</option> : null}
          </Select>
        </Field>
        {context.broker.temporary && t.maxSessionDuration > 3600 ? (
          <p className="-mt-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="wizard-chaining-note">
            Operators switching through Switchboard will get <strong>1 hour</strong>, not {t.maxSessionDuration / 3600} hours.
          </p>
        ) : null}

        {requiredBoundary ? (
          // Fixed by the administrator (SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN): the server puts it on
          // every role the wizard creates and refuses any other, so there is nothing to edit here.
          <div className="space-y-1" data-testid="wizard-required-boundary">
            <p className="block text-sm font-medium text-slate-700">Permissions boundary</p>
            <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
              Set by your administrator: <span className="font-mono text-xs [overflow-wrap:anywhere]">{requiredBoundary}</span>
            </p>
            <p className="text-xs text-slate-500">
              Every role the console creates carries it: it caps what the role may ever do, whatever its own policies say.
              {t.accountId ? "" : " {accountId} becomes the account you choose."}
            </p>
          </div>
        ) : (
          <Field
            label="Permissions boundary ARN (optional)"
            htmlFor={id("permissionsBoundaryArn")}
            error={err("permissionsBoundaryArn")}
            hint="A managed policy that caps what the role may ever do, whatever its own policies say."
          >
            <Input
              id={id("permissionsBoundaryArn")}
              value={boundary}
              onChange={(e) => {
                const value = e.target.value;
                if (value) set({ permissionsBoundaryArn: value });
                else {
                  const { permissionsBoundaryArn: _drop, ...rest } = t;
                  onChange({ ...doc, target: rest });
                }
              }}
              placeholder="arn:aws:iam::123456789012:policy/DeveloperBoundary"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              invalid={Boolean(err("permissionsBoundaryArn"))}
            />
          </Field>
        )}

        <TagsEditor tags={t.tags} onChange={(tags) => set({ tags })} errors={errors} />
      </div>
    </div>
  );
}
