"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import { plural } from "@/components/registry/format";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { deleteRoleAction } from "./actions";

export function RemoveRoleDialog({ role, grantCount, onClose, onRemoved }: { role: RoleDto; grantCount: number; onClose: () => void; onRemoved: (message: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const remove = () =>
    startTransition(async () => {
      const result = await deleteRoleAction({ id: role.id });
      if (result.ok) onRemoved(`${role.displayName} is removed from the catalog${grantCount ? `, with its ${plural(grantCount, "grant")}` : ""}.`);
      else setError(result.error.message);
    });
  return (
    <Dialog open onClose={onClose} title={`Remove ${role.displayName} from the catalog?`} description={<span className="font-mono text-xs break-all">{role.roleArn}</span>}>
      <div className="space-y-4 text-sm text-slate-700">
        {error ? <Alert>{error}</Alert> : null}
        <p>
          The role itself stays in AWS; only the console forgets it.{" "}
          {grantCount ? `Its ${plural(grantCount, "grant")} ${grantCount === 1 ? "is" : "are"} deleted, and those people can no longer switch into it.` : "It is not granted to anyone."}
        </p>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={remove} disabled={pending}>
            {pending ? "Removing…" : "Remove from catalog"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
