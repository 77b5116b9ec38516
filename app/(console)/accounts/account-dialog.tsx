"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { ENVIRONMENT_LABELS } from "@/components/registry/environment";
import { formErrors } from "@/components/registry/form-errors";
import { ENVIRONMENT_COLORS, type AccountDto } from "@/lib/accounts/dto";
import { REGIONS } from "@/lib/aws/partitions";
import { ENVIRONMENTS, type Environment } from "@/lib/domain/environments";
import { PARTITIONS, type Partition } from "@/lib/domain/partitions";
import type { ActionError } from "@/lib/http/action";
import { createAccountAction, updateAccountAction } from "./actions";

const FIELDS = ["accountId", "name", "alias", "environment", "color", "partition", "defaultRegion", "provisioningRoleName", "notes"] as const;
const DEFAULT_PROVISIONING_ROLE = "OrganizationAccountAccessRole";
const PARTITION_LABELS: Record<Partition, string> = {
  aws: "aws — commercial",
  "aws-us-gov": "aws-us-gov — GovCloud (US)",
  "aws-cn": "aws-cn — China",
  "aws-eusc": "aws-eusc — European Sovereign Cloud",
};

type Values = Pick<AccountDto, "accountId" | "name" | "alias" | "environment" | "color" | "partition" | "defaultRegion" | "provisioningRoleName" | "notes">;

/** Add (no `account`) or edit an account. Edits send only what changed. */
export function AccountDialog({ account, onClose, onSaved }: { account: AccountDto | null; onClose: () => void; onSaved: (message: string) => void }) {
  const editing = account !== null;
  const initial: Values = account ?? {
    accountId: "",
    name: "",
    alias: null,
    environment: "development",
    color: ENVIRONMENT_COLORS.development,
    partition: "aws",
    defaultRegion: "us-east-1",
    provisioningRoleName: DEFAULT_PROVISIONING_ROLE,
    notes: "",
  };
  const [environment, setEnvironment] = useState<Environment>(initial.environment);
  const [color, setColor] = useState(initial.color);
  // The colour follows the environment until someone picks one.
  const [colorChosen, setColorChosen] = useState(initial.color !== ENVIRONMENT_COLORS[initial.environment]);
  const [partition, setPartition] = useState<Partition>(initial.partition);
  const [region, setRegion] = useState(initial.defaultRegion);
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = formErrors(error, FIELDS, editing ? "patch." : "");

  const regions = REGIONS[partition];
  const regionKnown = regions.some((r) => r.code === region);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const values: Values = {
      accountId: text("accountId"),
      name: text("name"),
      alias: text("alias") || null,
      environment,
      color,
      partition,
      defaultRegion: region,
      provisioningRoleName: text("provisioningRoleName") || DEFAULT_PROVISIONING_ROLE,
      notes: String(form.get("notes") ?? ""),
    };
    startTransition(async () => {
      if (!account) {
        const { alias, ...rest } = values;
        const result = await createAccountAction({ ...rest, ...(alias ? { alias } : {}) });
        if (result.ok) onSaved(`${result.data.name} (${result.data.accountId}) is registered.`);
        else setError(result.error);
        return;
      }
      const patch = Object.fromEntries(
        (Object.keys(values) as Array<keyof Values>).filter((k) => k !== "accountId" && values[k] !== account[k]).map((k) => [k, values[k]]),
      ) as Parameters<typeof updateAccountAction>[0]["patch"];
      if (Object.keys(patch).length === 0) {
        onClose();
        return;
      }
      const result = await updateAccountAction({ id: account.id, patch });
      if (result.ok) onSaved(`${result.data.name} (${result.data.accountId}) is updated.`);
      else setError(result.error);
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={editing ? `Edit ${account.name}` : "Add an AWS account"}
      description={editing ? `Account ${account.accountId}. Its id cannot change; delete and re-add the account for that.` : "Register an account once; then add its roles on the Roles page."}
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        {errors.summary ? <Alert>{errors.summary}</Alert> : null}
        <div className="grid grid-cols-2 gap-4">
          <Field label="Account ID" htmlFor="account-id" hint={editing ? undefined : "12 digits"} error={errors.field("accountId")}>
            <Input
              id="account-id"
              name="accountId"
              inputMode="numeric"
              autoComplete="off"
              placeholder="123456789012"
              defaultValue={initial.accountId}
              readOnly={editing}
              className={`font-mono ${editing ? "bg-slate-50 text-slate-500" : ""}`}
              invalid={Boolean(errors.field("accountId"))}
              autoFocus={!editing}
            />
          </Field>
          <Field label="Name" htmlFor="account-name" error={errors.field("name")}>
            <Input id="account-name" name="name" autoComplete="off" placeholder="Production" defaultValue={initial.name} invalid={Boolean(errors.field("name"))} autoFocus={editing} />
          </Field>
        </div>
        <Field label="Alias (optional)" htmlFor="account-alias" hint="The account's IAM alias, if it has one: lower-case letters, digits and hyphens." error={errors.field("alias")}>
          <Input id="account-alias" name="alias" autoComplete="off" placeholder="acme-production" defaultValue={initial.alias ?? ""} className="font-mono" invalid={Boolean(errors.field("alias"))} />
        </Field>
        <div className="grid grid-cols-[1fr_auto] gap-4">
          <Field label="Environment" htmlFor="account-environment" error={errors.field("environment")}>
            <Select
              id="account-environment"
              value={environment}
              onChange={(e) => {
                const next = e.target.value as Environment;
                setEnvironment(next);
                if (!colorChosen) setColor(ENVIRONMENT_COLORS[next]);
              }}
            >
              {ENVIRONMENTS.map((env) => (
                <option key={env} value={env}>
                  {ENVIRONMENT_LABELS[env]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Colour" htmlFor="account-color" error={errors.field("color")}>
            <div className="flex h-[38px] items-center gap-2">
              <input
                id="account-color"
                type="color"
                value={color}
                onChange={(e) => {
                  setColor(e.target.value);
                  setColorChosen(true);
                }}
                className="h-9 w-12 cursor-pointer rounded border border-slate-300 bg-white p-0.5"
              />
              {colorChosen && color !== ENVIRONMENT_COLORS[environment] ? (
                <button
                  type="button"
                  className="text-xs font-medium text-indigo-600 hover:underline"
                  onClick={() => {
                    setColor(ENVIRONMENT_COLORS[environment]);
                    setColorChosen(false);
                  }}
                >
                  Use the environment&apos;s
                </button>
              ) : (
                <span className="text-xs text-slate-500">From the environment</span>
              )}
            </div>
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Partition" htmlFor="account-partition" error={errors.field("partition")}>
            <Select
              id="account-partition"
              value={partition}
              onChange={(e) => {
                const next = e.target.value as Partition;
                setPartition(next);
                if (!REGIONS[next].some((r) => r.code === region)) setRegion(REGIONS[next][0]!.code);
              }}
            >
              {PARTITIONS.map((p) => (
                <option key={p} value={p}>
                  {PARTITION_LABELS[p]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Default region" htmlFor="account-region" error={errors.field("defaultRegion")}>
            <Select id="account-region" value={region} onChange={(e) => setRegion(e.target.value)} aria-invalid={Boolean(errors.field("defaultRegion")) || undefined}>
              {regionKnown ? null : <option value={region}>{region}</option>}
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.code} — {r.name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field
          label="Provisioning role"
          htmlFor="account-provisioning-role"
          hint="The role in this account the console assumes to list and create roles. Accounts created by AWS Organizations have OrganizationAccountAccessRole."
          error={errors.field("provisioningRoleName")}
        >
          <Input
            id="account-provisioning-role"
            name="provisioningRoleName"
            autoComplete="off"
            defaultValue={initial.provisioningRoleName}
            className="font-mono"
            invalid={Boolean(errors.field("provisioningRoleName"))}
          />
        </Field>
        <Field label="Notes (optional)" htmlFor="account-notes" error={errors.field("notes")}>
          <Textarea id="account-notes" name="notes" rows={2} defaultValue={initial.notes} invalid={Boolean(errors.field("notes"))} />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : editing ? "Save changes" : "Add account"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
