"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Tabs } from "@/components/ui/tabs";
import { formErrors } from "@/components/registry/form-errors";
import type { ActionError } from "@/lib/http/action";
import { registerRoleAction } from "./actions";
import { readRoleOptions, ROLE_OPTION_FIELDS, RoleOptionsFields } from "./role-options-fields";
import type { AccountOption } from "./types";

type Mode = "name" | "arn";
const MODES = [
  { value: "name", label: "Account and role name" },
  { value: "arn", label: "Role ARN" },
] as const;
const FIELDS = ["accountId", "roleName", "path", "roleArn", ...ROLE_OPTION_FIELDS];
const ARN_ACCOUNT = /^arn:[\w-]+:iam::(\d{12}):role\//;

/** Registers one role entry: picked from a registered account by name, or pasted as an ARN. */
export function AddRoleDialog({ accounts, initialAccountId, onClose, onAdded }: { accounts: AccountOption[]; initialAccountId?: string; onClose: () => void; onAdded: (message: string) => void }) {
  const [mode, setMode] = useState<Mode>("name");
  const [accountId, setAccountId] = useState(initialAccountId ?? accounts[0]?.accountId ?? "");
  const [arn, setArn] = useState("");
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = formErrors(error, FIELDS);

  const arnAccount = ARN_ACCOUNT.exec(arn.trim())?.[1];
  const account = accounts.find((a) => a.accountId === (mode === "name" ? accountId : arnAccount)) ?? null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const { displayName, color, defaultRegion, sessionDuration, externalId, sourceIdentity, description } = readRoleOptions(form);
    const options = {
      ...(displayName ? { displayName } : {}),
      ...(color ? { color } : {}),
      ...(defaultRegion ? { defaultRegion } : {}),
      ...(sessionDuration !== null ? { sessionDuration } : {}),
      ...(externalId ? { externalId } : {}),
      sourceIdentity,
      ...(description ? { description } : {}),
    };
    const path = text("path");
    startTransition(async () => {
      const result = await registerRoleAction(
        mode === "name" ? { accountId, roleName: text("roleName"), ...(path && path !== "/" ? { path } : {}), ...options } : { roleArn: arn.trim(), ...options },
      );
      if (result.ok) onAdded(`${result.data.displayName} is in the catalog (${result.data.roleArn}). Test it, then grant it to people.`);
      else setError(result.error);
    });
  };

  return (
    <Dialog open onClose={onClose} title="Register an existing role" description="Add an IAM role that already exists in a registered account to the catalog. To find roles, use Discover instead.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        {errors.summary ? <Alert>{errors.summary}</Alert> : null}
        <Tabs label="How to name the role" items={MODES} value={mode} onChange={setMode}>
          {mode === "name" ? (
            <div className="space-y-4">
              <Field label="Account" htmlFor="add-role-account" error={errors.field("accountId")}>
                <Select id="add-role-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
                  {accounts.map((a) => (
                    <option key={a.accountId} value={a.accountId}>
                      {a.name} — {a.accountId}
                    </option>
                  ))}
                </Select>
              </Field>
              <div className="grid grid-cols-[2fr_1fr] gap-4">
                <Field label="Role name" htmlFor="add-role-name" error={errors.field("roleName")}>
                  <Input id="add-role-name" name="roleName" autoComplete="off" spellCheck={false} placeholder="ReadOnly" className="font-mono" invalid={Boolean(errors.field("roleName"))} autoFocus />
                </Field>
                <Field label="Path (optional)" htmlFor="add-role-path" error={errors.field("path")}>
                  <Input id="add-role-path" name="path" autoComplete="off" spellCheck={false} placeholder="/" className="font-mono" invalid={Boolean(errors.field("path"))} />
                </Field>
              </div>
            </div>
          ) : (
            <Field
              label="Role ARN"
              htmlFor="add-role-arn"
              hint={arnAccount && !account ? `Account ${arnAccount} is not registered yet: add it on the Accounts page first.` : "arn:aws:iam::123456789012:role/RoleName — its account must be registered."}
              error={errors.field("roleArn")}
            >
              <Input
                id="add-role-arn"
                value={arn}
                onChange={(e) => setArn(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                placeholder="arn:aws:iam::123456789012:role/ReadOnly"
                className="font-mono"
                invalid={Boolean(errors.field("roleArn"))}
                autoFocus
              />
            </Field>
          )}
        </Tabs>
        <div className="border-t border-slate-100 pt-4">
          <RoleOptionsFields
            initial={{ displayName: "", color: null, defaultRegion: null, sessionDuration: null, externalId: null, sourceIdentity: true, description: "" }}
            account={account}
            displayNamePlaceholder="The role name"
            error={errors.field}
          />
        </div>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Registering…" : "Register role"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
