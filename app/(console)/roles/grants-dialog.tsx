"use client";

import { Users, User } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { ExpiryBadge, ExpiryEditor, useNow } from "../grants/expiry";
import { deleteGrantAction, revokeRoleSessionsAction } from "./actions";
import { GrantForm } from "./grant-form";
import { HealthWarning } from "./role-health";
import type { GrantView, UserOption } from "./types";

/** Who may use one role entry: people by email, identity-provider groups by name. Stays open
 * while grants are added and removed; the list comes from the page, refreshed after each change.
 * Removing a grant stops new switches only: the person's live AWS sessions last until they
 * expire, so an administrator (`canRevoke`) is offered to end them in the same step. */
export function GrantsDialog({
  role,
  grants,
  users,
  canRevoke,
  onClose,
}: {
  role: RoleDto;
  grants: GrantView[];
  users: UserOption[];
  canRevoke: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const now = useNow();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error" | "info"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [granting, setGranting] = useState(false);
  const [endSessions, setEndSessions] = useState(true);
  const [removing, setRemoving] = useState<{ id: string; step: "removing" | "revoking" } | null>(null);
  const granted = new Set(grants.flatMap((g) => (g.user ? [g.user.email] : [])));
  const available = users.filter((u) => !granted.has(u.email));

  const revoke = (g: GrantView) =>
    startTransition(async () => {
      setRemoving({ id: g.id, step: "removing" });
      const result = await deleteGrantAction({ id: g.id });
      if (!result.ok) {
        setRemoving(null);
        return setNotice({ tone: "error", text: result.error.message });
      }
      const removed = `${g.user ? g.user.email : `Group ${g.group}`} can no longer use ${role.displayName}.`;
      router.refresh();
      if (!g.user || !canRevoke || !endSessions) {
        setRemoving(null);
        return setNotice({ tone: "success", text: removed });
      }
      setRemoving({ id: g.id, step: "revoking" });
      // The row goes with the refresh; the progress shows where the outcome will.
      setNotice({ tone: "info", text: `${removed} Revoking their live sessions in this role…` });
      const revoked = await revokeRoleSessionsAction({ roleId: role.id, userEmail: g.user.email });
      setRemoving(null);
      setNotice(
        revoked.ok
          ? { tone: "success", text: `${removed} ${revoked.data.message}` }
          : { tone: "error", text: `${removed} Their live sessions could not be ended: ${revoked.error.message}` },
      );
    });

  return (
    <Dialog open onClose={onClose} title={`Grants for ${role.displayName}`} description={`Who may switch into it, from ${role.accountName} (${role.accountId}). Administrators may always.`}>
      <div className="space-y-4">
        <HealthWarning health={role.health} displayName={role.displayName} />
        {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
        {grants.length ? (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Grants">
            {grants.map((g) => (
              <li key={g.id} className="px-3 py-2 text-sm" data-testid={`grant-${g.user?.email ?? `group-${g.group}`}`}>
                <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
                <span className="flex min-w-0 items-center gap-2">
                  {g.user ? <User className="h-4 w-4 shrink-0 text-slate-400" aria-hidden /> : <Users className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />}
                  {g.user ? (
                    <span className="min-w-0 truncate">
                      <span className="font-medium text-slate-900">{g.user.name}</span> <span className="text-slate-500">{g.user.email}</span>
                    </span>
                  ) : (
                    <span className="min-w-0 truncate">
                      <span className="text-slate-500">Group</span> <span className="font-mono font-medium text-slate-900">{g.group}</span>
                    </span>
                  )}
                </span>
                <span className="flex flex-wrap items-center gap-1">
                  {g.expiresAt ? <ExpiryBadge expiresAt={g.expiresAt} now={now} /> : null}
                  <Button size="sm" variant="ghost" disabled={pending || granting} onClick={() => setEditing(editing === g.id ? null : g.id)} aria-expanded={editing === g.id} aria-label={`Change when the grant to ${g.user?.email ?? `group ${g.group}`} expires`}>
                    Expiry
                  </Button>
                  <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" disabled={pending || granting} onClick={() => revoke(g)} aria-label={`Remove the grant to ${g.user?.email ?? `group ${g.group}`}`}>
                    {removing?.id === g.id ? (removing.step === "removing" ? "Removing…" : "Revoking…") : "Remove"}
                  </Button>
                </span>
                </div>
                {editing === g.id ? (
                  <div className="mt-2 rounded-md border border-slate-200 p-3">
                    <ExpiryEditor
                      grantId={g.id}
                      subject={g.user?.email ?? `group ${g.group}`}
                      idPrefix={`grant-${g.id}`}
                      onCancel={() => setEditing(null)}
                      onDone={(outcome) => {
                        setEditing(null);
                        setNotice({ tone: outcome.ok ? "success" : "error", text: outcome.text });
                        router.refresh();
                      }}
                    />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">Not granted to anyone yet: only administrators can use it.</p>
        )}
        {canRevoke && grants.some((g) => g.user) ? (
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={endSessions} onChange={(e) => setEndSessions(e.target.checked)} className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600" />
            <span>
              Also end their live sessions in this role
              <span className="block text-xs text-slate-500">When a person&apos;s grant is removed, their AWS sessions in it that started before now are denied every action.</span>
            </span>
          </label>
        ) : null}
        <GrantForm
          roleId={role.id}
          people={users}
          available={available}
          idPrefix="grant"
          className="rounded-md border border-slate-200 p-3"
          labels={{ legend: "Add a grant", person: "User", choose: "Choose a user…", noneLeft: "Every user already has it" }}
          busy={pending}
          autoFocusGroup
          onPendingChange={setGranting}
          onDone={(outcome) => {
            if (!outcome.ok) return setNotice({ tone: "error", text: outcome.message });
            setNotice({ tone: "success", text: `${role.displayName} is granted to ${outcome.subject}.` });
            router.refresh();
          }}
        />
        <div className="flex justify-end pt-1">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
