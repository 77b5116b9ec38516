"use client";

import { Users, User } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { createGrantAction, deleteGrantAction, revokeRoleSessionsAction } from "./actions";
import { HealthWarning } from "./role-health";
import type { GrantView, UserOption } from "./types";

/** Who may use one role entry: people by email, identity-provider groups by name. Stays open
 * while grants are added and removed; the list comes from the page, refreshed after each change.
 * Removing a grant stops new switches only: the person's live AWS sessions last until they
 * expire, so an administrator (`canRevoke`) is offered to end them in the same step. */
export function GrantsDialog({ role, grants, users, canRevoke, onClose }: { role: RoleDto; grants: GrantView[]; users: UserOption[]; canRevoke: boolean; onClose: () => void }) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "success" | "error" | "info"; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<{ userEmail?: string; group?: string }>({});
  const [pending, startTransition] = useTransition();
  const [kind, setKind] = useState<"user" | "group">("user");
  const [endSessions, setEndSessions] = useState(true);
  const [removing, setRemoving] = useState<{ id: string; step: "removing" | "revoking" } | null>(null);
  const granted = new Set(grants.flatMap((g) => (g.user ? [g.user.email] : [])));
  const available = users.filter((u) => !granted.has(u.email));

  const grant = (input: { userEmail: string } | { group: string }, form: HTMLFormElement) =>
    startTransition(async () => {
      const result = await createGrantAction({ roleId: role.id, ...input });
      if (result.ok) {
        setFieldError({});
        setNotice({ tone: "success", text: `${role.displayName} is granted to ${result.data.subject}.` });
        form.reset();
        router.refresh();
      } else {
        const fields = result.error.fields ?? {};
        setFieldError({ userEmail: fields.userEmail, group: fields.group });
        setNotice({ tone: "error", text: result.error.message });
      }
    });

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

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (kind === "user") {
      const userEmail = String(form.get("userEmail") ?? "");
      if (!userEmail) return setFieldError({ userEmail: "Choose a user" });
      grant({ userEmail }, e.currentTarget);
    } else grant({ group: String(form.get("group") ?? "") }, e.currentTarget);
  };

  return (
    <Dialog open onClose={onClose} title={`Grants for ${role.displayName}`} description={`Who may switch into it, from ${role.accountName} (${role.accountId}). Administrators may always.`}>
      <div className="space-y-4">
        <HealthWarning health={role.health} displayName={role.displayName} />
        {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
        {grants.length ? (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Grants">
            {grants.map((g) => (
              <li key={g.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm" data-testid={`grant-${g.user?.email ?? `group-${g.group}`}`}>
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
                <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" disabled={pending} onClick={() => revoke(g)} aria-label={`Remove the grant to ${g.user?.email ?? `group ${g.group}`}`}>
                  {removing?.id === g.id ? (removing.step === "removing" ? "Removing…" : "Revoking…") : "Remove"}
                </Button>
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
        <form onSubmit={submit} className="space-y-3 rounded-md border border-slate-200 p-3" noValidate>
          <fieldset className="flex items-center gap-4 text-sm text-slate-700">
            <legend className="mb-2 text-sm font-medium text-slate-900">Add a grant</legend>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="kind" checked={kind === "user"} onChange={() => setKind("user")} className="h-4 w-4 accent-indigo-600" />
              A person
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="kind" checked={kind === "group"} onChange={() => setKind("group")} className="h-4 w-4 accent-indigo-600" />
              An identity-provider group
            </label>
          </fieldset>
          <div className="flex items-start gap-2">
            <div className="flex-1">
              {kind === "user" ? (
                <Field label="User" htmlFor="grant-user" error={fieldError.userEmail}>
                  <Select id="grant-user" name="userEmail" defaultValue="" aria-invalid={Boolean(fieldError.userEmail) || undefined}>
                    <option value="" disabled>
                      {available.length ? "Choose a user…" : "Every user already has it"}
                    </option>
                    {available.map((u) => (
                      <option key={u.email} value={u.email}>
                        {u.name} — {u.email}
                      </option>
                    ))}
                  </Select>
                </Field>
              ) : (
                <Field label="Group" htmlFor="grant-group" hint="As the single sign-on provider sends it in the groups claim." error={fieldError.group}>
                  <Input id="grant-group" name="group" autoComplete="off" placeholder="platform-engineers" className="font-mono" invalid={Boolean(fieldError.group)} autoFocus />
                </Field>
              )}
            </div>
            <Button type="submit" disabled={pending || (kind === "user" && available.length === 0)} className="mt-6">
              {pending && !removing ? "Granting…" : "Grant"}
            </Button>
          </div>
        </form>
        <div className="flex justify-end pt-1">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
