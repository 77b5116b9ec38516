"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import { plural } from "@/components/registry/format";
import type { AccountDto } from "@/lib/accounts/dto";
import { deleteAccountAction } from "./actions";

/** Deleting an account with role entries is a cascade the person confirms explicitly: the
 * button says how many entries go with it. */
export function DeleteAccountDialog({ account, onClose, onDeleted }: { account: AccountDto; onClose: () => void; onDeleted: (message: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const n = account.roleCount;
  const remove = () =>
    startTransition(async () => {
      const result = await deleteAccountAction({ id: account.id, cascade: n > 0 });
      if (result.ok) {
        const roles = result.data.deletedRoles;
        onDeleted(`${account.name} (${account.accountId}) is deleted${roles ? `, with ${plural(roles, "role entry", "role entries")} and their grants` : ""}.`);
      } else setError(result.error.message);
    });
  return (
    <Dialog open onClose={onClose} title={`Delete ${account.name}?`} description={`Account ${account.accountId}. This removes it from the console only; nothing changes in AWS.`}>
      <div className="space-y-4 text-sm text-slate-700">
        {error ? <Alert>{error}</Alert> : null}
        {n > 0 ? (
          <Alert tone="warning" title={`It has ${plural(n, "role entry", "role entries")}`}>
            People lose access to {n === 1 ? "that role" : "those roles"} through the console, and {n === 1 ? "its grants are" : "their grants are"} deleted too. The roles themselves stay in AWS.
          </Alert>
        ) : (
          <p>No role entries are registered in it.</p>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={remove} disabled={pending}>
            {pending ? "Deleting…" : n > 0 ? `Delete with its ${plural(n, "role entry", "role entries")} and their grants` : "Delete account"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
