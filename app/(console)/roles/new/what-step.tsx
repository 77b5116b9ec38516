"use client";

import { Braces, FileText, Trash2 } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ManagedPolicyPicker } from "@/components/wizard/managed-policy-picker";
import { PolicyJsonEditor } from "@/components/wizard/policy-json-editor";
import { fieldId, type FieldErrors } from "@/components/wizard/validate";
import { POLICY_TEMPLATES } from "@/lib/provision/templates";
import type { InlinePolicySpec, PolicyTemplate, WizardDocument } from "@/lib/provision/types";
import { listManagedPoliciesAction, validatePolicyJsonAction } from "./actions";

const EMPTY_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [],
      "Resource": []
    }
  ]
}`;

const DEFAULT_NAMES: Record<PolicyTemplate["id"] | "json", string> = {
  "read-s3-bucket": "ReadBucket",
  "codedeploy-deploy": "CodeDeployDeploy",
  "read-only": "ReadOnlyInventory",
  json: "InlinePolicy",
};

function blankTemplate(id: PolicyTemplate["id"]): PolicyTemplate {
  if (id === "read-s3-bucket") return { id, bucket: "" };
  if (id === "codedeploy-deploy") return { id, application: "" };
  return { id };
}

/** `base`, or `base2`, `base3`, … when a policy already has that name. */
function freeName(base: string, taken: readonly InlinePolicySpec[]): string {
  const names = new Set(taken.map((p) => p.name.toLowerCase()));
  let name = base;
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `${base}${n}`;
  return name;
}

/** Step 3: inline policies from templates or JSON, then managed policies from the target account.
 * The templates come first: they are a click each, while the managed policies are a long list
 * to search through. */
export function WhatStep({ doc, errors, onChange }: { doc: WizardDocument; errors: FieldErrors; onChange: (doc: WizardDocument) => void }) {
  const { managedPolicyArns, inline } = doc.permissions;
  const [keys, setKeys] = useState(() => inline.map((_, i) => `p${i}`));
  const counter = useRef(inline.length);

  const setPermissions = (patch: Partial<WizardDocument["permissions"]>) => onChange({ ...doc, permissions: { ...doc.permissions, ...patch } });
  const setInline = (next: InlinePolicySpec[]) => setPermissions({ inline: next });

  const add = (kind: PolicyTemplate["id"] | "json") => {
    const name = freeName(DEFAULT_NAMES[kind], inline);
    const policy: InlinePolicySpec = kind === "json" ? { name, document: EMPTY_POLICY } : { name, template: blankTemplate(kind) };
    const index = inline.length;
    setInline([...inline, policy]);
    setKeys([...keys.slice(0, index), `p${counter.current++}`]);
    const focus = kind === "read-s3-bucket" ? "template.bucket" : kind === "codedeploy-deploy" ? "template.application" : kind === "json" ? "document" : "name";
    requestAnimationFrame(() => document.getElementById(fieldId(`permissions.inline.${index}.${focus}`))?.focus());
  };
  const remove = (i: number) => {
    setInline(inline.filter((_, j) => j !== i));
    setKeys(keys.filter((_, j) => j !== i));
  };
  const replace = (i: number, policy: InlinePolicySpec) => setInline(inline.map((p, j) => (j === i ? policy : p)));

  const nothing = managedPolicyArns.length === 0 && inline.length === 0;

  return (
    <div className="space-y-6">
      {nothing ? (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900">
          The role has no permissions yet. That is allowed (a role only for its trust), but usually you want at least one: start from a template, or pick a managed policy.
        </p>
      ) : null}

      <section aria-labelledby="wz-inline-title" className="space-y-3">
        <div>
          <h3 id="wz-inline-title" className="text-sm font-semibold text-slate-900">
            Inline policies
          </h3>
          <p className="text-sm text-slate-600">Policies that belong to this role only: from a template, or written as JSON and checked as you type.</p>
        </div>
        {inline.length ? (
          <ol className="space-y-3">
            {inline.map((policy, i) => (
              <InlinePolicyCard key={keys[i] ?? `x${i}`} index={i} policy={policy} errors={errors} onChange={(p) => replace(i, p)} onRemove={() => remove(i)} />
            ))}
          </ol>
        ) : null}
        {errors["permissions.inline"] ? <p className="text-sm text-red-600">{errors["permissions.inline"]}</p> : null}
        <div role="group" aria-label="Add an inline policy" className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-medium text-slate-700">Add:</span>
          {POLICY_TEMPLATES.map((t) => (
            <Button key={t.id} size="sm" variant="secondary" onClick={() => add(t.id)} title={t.description} disabled={inline.length >= 10}>
              <FileText className="h-4 w-4" aria-hidden />
              {t.title}
            </Button>
          ))}
          <Button size="sm" variant="secondary" onClick={() => add("json")} disabled={inline.length >= 10}>
            <Braces className="h-4 w-4" aria-hidden />
            Write JSON
          </Button>
        </div>
      </section>

      <section aria-labelledby="wz-managed-title" className="space-y-2">
        <h3 id="wz-managed-title" className="text-sm font-semibold text-slate-900">
          Managed policies
        </h3>
        <p className="text-sm text-slate-600">AWS-managed policies, and the account&apos;s own. They are attached to the role, not copied.</p>
        <ManagedPolicyPicker
          key={doc.target.accountId}
          accountId={doc.target.accountId}
          selected={managedPolicyArns}
          onChange={(arns) => setPermissions({ managedPolicyArns: arns })}
          search={listManagedPoliciesAction}
          errors={errors}
        />
      </section>
    </div>
  );
}

function InlinePolicyCard({ index, policy, errors, onChange, onRemove }: { index: number; policy: InlinePolicySpec; errors: FieldErrors; onChange: (p: InlinePolicySpec) => void; onRemove: () => void }) {
  const key = (field: string) => `permissions.inline.${index}.${field}`;
  const id = (field: string) => fieldId(key(field));
  const err = (field: string) => errors[key(field)];
  const info = "template" in policy ? POLICY_TEMPLATES.find((t) => t.id === policy.template.id) : undefined;
  const general = errors[`permissions.inline.${index}`] ?? err("template");

  return (
    <li className="rounded-md border border-slate-200 bg-slate-50/50 p-4" data-testid={`inline-policy-${index}`}>
      <div className="mb-3 flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h4 className="text-sm font-semibold text-slate-900">
            {index + 1}. {info ? info.title : "JSON policy"}
          </h4>
          {info ? <p className="text-xs text-slate-600">{info.description}</p> : null}
        </div>
        <Button size="sm" variant="ghost" className="shrink-0 text-red-700 hover:bg-red-50" onClick={onRemove} aria-label={`Remove inline policy ${index + 1}`}>
          <Trash2 className="h-4 w-4" aria-hidden />
          Remove
        </Button>
      </div>
      {general ? <p className="mb-2 text-sm text-red-600">{general}</p> : null}
      <div className="space-y-3">
        <div className="max-w-md">
          <Field label="Policy name" htmlFor={id("name")} error={err("name")}>
            <Input id={id("name")} value={policy.name} onChange={(e) => onChange({ ...policy, name: e.target.value })} autoComplete="off" spellCheck={false} className="font-mono" invalid={Boolean(err("name"))} />
          </Field>
        </div>
        {"template" in policy ? (
          policy.template.id === "read-s3-bucket" ? (
            <div className="max-w-md">
              <Field label="Bucket name" htmlFor={id("template.bucket")} error={err("template.bucket")} hint="Just the name, without s3:// or an ARN.">
                <Input
                  id={id("template.bucket")}
                  value={policy.template.bucket}
                  onChange={(e) => onChange({ ...policy, template: { id: "read-s3-bucket", bucket: e.target.value } })}
                  placeholder="my-team-artifacts"
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  invalid={Boolean(err("template.bucket"))}
                />
              </Field>
            </div>
          ) : policy.template.id === "codedeploy-deploy" ? (
            <div className="max-w-md">
              <Field label="CodeDeploy application" htmlFor={id("template.application")} error={err("template.application")}>
                <Input
                  id={id("template.application")}
                  value={policy.template.application}
                  onChange={(e) => onChange({ ...policy, template: { id: "codedeploy-deploy", application: e.target.value } })}
                  placeholder="checkout-service"
                  autoComplete="off"
                  spellCheck={false}
                  invalid={Boolean(err("template.application"))}
                />
              </Field>
            </div>
          ) : null
        ) : (
          <PolicyJsonEditor id={id("document")} label="Policy JSON" value={policy.document} onChange={(text) => onChange({ name: policy.name, document: text })} check={validatePolicyJsonAction} error={err("document")} />
        )}
        {"template" in policy ? <p className="text-xs text-slate-500">Review shows the policy this template becomes.</p> : null}
      </div>
    </li>
  );
}
