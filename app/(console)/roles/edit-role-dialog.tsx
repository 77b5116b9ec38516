"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import { formErrors } from "@/components/registry/form-errors";
import type { RoleDto } from "@/lib/catalog/role-dto";
import type { ActionError } from "@/lib/http/action";
import { updateRoleAction } from "./actions";
import { readRoleOptions, ROLE_OPTION_FIELDS, RoleOptionsFields, type RoleOptions } from "./role-options-fields";
import type { AccountOption } from "./types";

/** Edits a role entry's options; sends only what changed. */
export function EditRoleDialog({ role, account, onClose, onSaved }: { role: RoleDto; account: AccountOption | null; onClose: () => void; onSaved: (message: string) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = formErrors(error, ROLE_OPTION_FIELDS, "patch.");
  const initial: RoleOptions = {
    displayName: role.displayName,
    color: role.ownColor,
    defaultRegion: role.ownDefaultRegion,
    sessionDuration: role.sessionDuration,
    externalId: role.externalId ?? null,
    sourceIdentity: role.sourceIdentity,
    description: role.description,
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const values = readRoleOptions(new FormData(e.currentTarget));
    // An emptied display name goes back to the role name.
    values.displayName ||= role.roleName;
    const patch = Object.fromEntries((Object.keys(values) as Array<keyof RoleOptions>).filter((k) => values[k] !== initial[k]).map((k) => [k, values[k]]));
    if (Object.keys(patch).length === 0) return onClose();
    startTransition(async () => {
      const result = await updateRoleAction({ id: role.id, patch });
      if (result.ok) onSaved(`${result.data.displayName} is updated.`);
      else setError(result.error);
    });
  };

  return (
    <Dialog open onClose={onClose} title={`Edit ${role.displayName}`} description={<span className="font-mono text-xs break-all">{role.roleArn}</span>}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {errors.summary ? <Alert>{errors.summary}</Alert> : null}
        <RoleOptionsFields initial={initial} account={account} displayNamePlaceholder={role.roleName} roleMax={role.roleMaxSessionDuration} error={errors.field} />
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
