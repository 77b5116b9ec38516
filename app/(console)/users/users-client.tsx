"use client";

import { ChevronDown, ChevronRight, Lock, UserPlus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment, useState, useSyncExternalStore, useTransition, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import type { ConsoleRole } from "@/lib/config/schema";
import type { ActionError } from "@/lib/http/action";
import type { UserDto } from "@/lib/users/dto";
import { clearSignInLockAction, createUserAction, updateUserAction } from "./actions";
import { DisableUserDialog, RevokeUserSessionsDialog } from "./revoke-sessions-dialogs";

const ROLES: Array<{ value: ConsoleRole; label: string }> = [
  { value: "operator", label: "Operator" },
  { value: "auditor", label: "Auditor" },
  { value: "admin", label: "Administrator" },
];

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "Never";
}

/** The roles granted to one person directly (group grants are listed on the Grants page). */
export type UserGrants = Record<string, Array<{ roleLabel: string; accountName: string }>>;

/** Phones (below Tailwind's `sm`, 640 px) get cards instead of the table. One or the other is
 * rendered, never both, so each person's controls exist once. The server renders the table;
 * a phone swaps in the cards as it hydrates. */
const PHONE = "(max-width: 639.98px)";
function usePhone(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia(PHONE);
      query.addEventListener("change", changed);
      return () => query.removeEventListener("change", changed);
    },
    () => window.matchMedia(PHONE).matches,
    () => false,
  );
}

function UserName({ user, self }: { user: UserDto; self: boolean }) {
  return (
    <div className="min-w-0">
      <div className="font-medium text-slate-900">
        {user.name} {self ? <span className="text-xs font-normal text-slate-500">(you)</span> : null}
      </div>
      <div className="text-xs text-slate-500 [overflow-wrap:anywhere]">{user.email}</div>
    </div>
  );
}

function RoleSelect({ user, self, pending, onChange }: { user: UserDto; self: boolean; pending: boolean; onChange: (role: ConsoleRole) => void }) {
  return (
    <>
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Console role of {user.email}
      </label>
      <Select
        id={`role-${user.id}`}
        value={user.role}
        disabled={pending || self || user.authProvider === "oidc"}
        title={user.authProvider === "oidc" ? "Set by the identity provider's groups at each sign-in" : undefined}
        onChange={(e) => onChange(e.target.value as ConsoleRole)}
        className="w-40 min-w-40"
      >
        {ROLES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </Select>
    </>
  );
}

function GrantsToggle({ user, count, expanded, onToggle }: { user: UserDto; count: number; expanded: boolean; onToggle: () => void }) {
  const label = count === 1 ? "1 role" : `${count} roles`;
  return (
    <Button size="sm" variant="ghost" aria-expanded={expanded} aria-controls={`grants-of-${user.id}`} onClick={onToggle} aria-label={`${label} granted to ${user.email}: ${expanded ? "hide" : "show"}`}>
      {expanded ? <ChevronDown className="h-4 w-4" aria-hidden /> : <ChevronRight className="h-4 w-4" aria-hidden />}
      {label}
    </Button>
  );
}

function SignInBadges({ user }: { user: UserDto }) {
  return (
    <div className="flex flex-wrap gap-1">
      <Badge tone={user.authProvider === "oidc" ? "violet" : "slate"}>{user.authProvider === "oidc" ? "Single sign-on" : "Password"}</Badge>
      {user.disabled ? <Badge tone="red">Disabled</Badge> : null}
      {user.lockedUntil ? (
        <Badge tone="amber" title={`${user.failedSignIns} failed sign-ins in a row: the next attempt must wait until ${formatTime(user.lockedUntil)}`}>
          <Lock className="mr-1 h-3 w-3" aria-hidden />
          Sign-in delayed until {new Date(user.lockedUntil).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}
        </Badge>
      ) : null}
    </div>
  );
}

function GrantedRoles({ user, granted }: { user: UserDto; granted: UserGrants[string] }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      {granted.length ? (
        <ul className="flex flex-wrap gap-2 text-sm" aria-label={`Roles granted to ${user.email}`}>
          {granted.map((g) => (
            <li key={`${g.accountName}/${g.roleLabel}`} className="rounded-md border border-slate-200 bg-white px-2 py-1">
              <span className="font-medium text-slate-900">{g.roleLabel}</span> <span className="text-slate-600">{g.accountName}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">
          {user.role === "admin" ? "Administrators may use every role without a grant." : "No roles granted to them directly"}
          {user.authProvider === "oidc" ? " (their single sign-on groups may have some)." : user.role === "admin" ? "" : "."}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Link href={`/grants?grant=${encodeURIComponent(user.email)}`} className={buttonClass("secondary", "sm")}>
          Grant roles
        </Link>
        {granted.length ? (
          <Link href={`/grants?user=${encodeURIComponent(user.email)}`} className={buttonClass("ghost", "sm")}>
            Manage their grants
          </Link>
        ) : null}
      </div>
    </div>
  );
}

function UserActions({
  user,
  self,
  pending,
  className,
  onClearLock,
  onReset,
  onRevoke,
  onEnable,
  onDisable,
}: {
  user: UserDto;
  self: boolean;
  pending: boolean;
  className: string;
  onClearLock: () => void;
  onReset: () => void;
  onRevoke: () => void;
  onEnable: () => void;
  onDisable: () => void;
}) {
  return (
    <div className={className}>
      {user.authProvider === "local" && (user.lockedUntil || user.failedSignIns > 0) ? (
        <Button size="sm" variant="secondary" disabled={pending} title={`${user.failedSignIns} failed sign-ins in a row; clearing lets them try again at once`} onClick={onClearLock}>
          Clear sign-in lock
        </Button>
      ) : null}
      {user.authProvider === "local" ? (
        <Button size="sm" variant="secondary" disabled={pending} onClick={onReset}>
          Reset password
        </Button>
      ) : null}
      <Button size="sm" variant="secondary" disabled={pending} title="Deny every action to the AWS sessions they started in the last 12 hours" onClick={onRevoke}>
        Revoke AWS sessions
      </Button>
      {user.disabled ? (
        <Button size="sm" variant="secondary" disabled={pending} onClick={onEnable}>
          Enable
        </Button>
      ) : (
        <Button size="sm" variant="danger" disabled={pending || self} title={self ? "You cannot disable yourself" : undefined} onClick={onDisable}>
          Disable
        </Button>
      )}
    </div>
  );
}

export function UsersClient({ users, currentUserId, grants }: { users: UserDto[]; currentUserId: string; grants: UserGrants | null }) {
  const router = useRouter();
  const phone = usePhone();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string; grantTo?: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserDto | null>(null);
  const [revoking, setRevoking] = useState<UserDto | null>(null);
  const [disabling, setDisabling] = useState<UserDto | null>(null);

  const update = (user: UserDto, patch: Parameters<typeof updateUserAction>[0]["patch"], done: string) => {
    startTransition(async () => {
      const result = await updateUserAction({ id: user.id, patch });
      if (result.ok) {
        setNotice({ tone: "success", text: done });
        router.refresh();
      } else {
        setNotice({ tone: "error", text: result.error.message });
      }
    });
  };

  const clearSignInLock = (user: UserDto) => {
    startTransition(async () => {
      const result = await clearSignInLockAction({ id: user.id });
      if (result.ok) {
        setNotice({ tone: "success", text: `${user.email} can sign in again right away.` });
        router.refresh();
      } else {
        setNotice({ tone: "error", text: result.error.message });
      }
    });
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="min-h-9 min-w-0 flex-1">
          {notice ? (
            <Alert tone={notice.tone}>
              {notice.text}
              {notice.grantTo && grants ? (
                <>
                  {" "}
                  <Link href={`/grants?grant=${encodeURIComponent(notice.grantTo)}`} className="font-medium underline underline-offset-2">
                    Grant roles now
                  </Link>
                </>
              ) : null}
            </Alert>
          ) : null}
        </div>
        <Button onClick={() => setCreating(true)}>
          <UserPlus className="h-4 w-4" aria-hidden />
          Add user
        </Button>
      </div>
      {phone ? (
        // Below 640 px the table would scroll sideways: each person is a card, with every action.
        <ul className="space-y-3" aria-label="Users">
          {users.map((user) => {
            const self = user.id === currentUserId;
            const granted = grants?.[user.email] ?? [];
            const expanded = open === user.id;
            return (
              <li
                key={user.id}
                data-testid={`user-row-${user.email}`}
                className={`space-y-3 rounded-lg border border-slate-200 p-4 shadow-sm ${user.disabled ? "bg-slate-50 text-slate-500" : "bg-white"}`}
              >
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <UserName user={user} self={self} />
                  <SignInBadges user={user} />
                </div>
                <dl className="grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-2 text-sm">
                  <dt className="text-slate-600">Console role</dt>
                  <dd>
                    <RoleSelect user={user} self={self} pending={pending} onChange={(role) => update(user, { role }, `${user.email} is now ${role}.`)} />
                  </dd>
                  <dt className="text-slate-600">Last sign-in</dt>
                  <dd className="text-slate-700">{formatTime(user.lastSignInAt)}</dd>
                  {grants ? (
                    <>
                      <dt className="text-slate-600">AWS roles</dt>
                      <dd>
                        <GrantsToggle user={user} count={granted.length} expanded={expanded} onToggle={() => setOpen(expanded ? null : user.id)} />
                      </dd>
                    </>
                  ) : null}
                </dl>
                {grants && expanded ? (
                  <div id={`grants-of-${user.id}`} className="rounded-md bg-slate-50 p-3">
                    <GrantedRoles user={user} granted={granted} />
                  </div>
                ) : null}
                <UserActions
                  user={user}
                  self={self}
                  pending={pending}
                  className="flex flex-wrap gap-2 border-t border-slate-100 pt-3"
                  onClearLock={() => clearSignInLock(user)}
                  onReset={() => setResetting(user)}
                  onRevoke={() => setRevoking(user)}
                  onEnable={() => update(user, { disabled: false }, `${user.email} can sign in again.`)}
                  onDisable={() => setDisabling(user)}
                />
              </li>
            );
          })}
        </ul>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[48rem] divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Console role</th>
                {grants ? <th className="px-4 py-2">AWS roles</th> : null}
                <th className="px-4 py-2">Sign-in</th>
                <th className="px-4 py-2">Last sign-in</th>
                <th className="px-4 py-2 text-right">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => {
                const self = user.id === currentUserId;
                const granted = grants?.[user.email] ?? [];
                const expanded = open === user.id;
                return (
                  <Fragment key={user.id}>
                    <tr data-testid={`user-row-${user.email}`} className={user.disabled ? "bg-slate-50 text-slate-500" : ""}>
                      <td className="px-4 py-3">
                        <UserName user={user} self={self} />
                      </td>
                      <td className="px-4 py-3">
                        <RoleSelect user={user} self={self} pending={pending} onChange={(role) => update(user, { role }, `${user.email} is now ${role}.`)} />
                      </td>
                      {grants ? (
                        <td className="px-4 py-3">
                          <GrantsToggle user={user} count={granted.length} expanded={expanded} onToggle={() => setOpen(expanded ? null : user.id)} />
                        </td>
                      ) : null}
                      <td className="px-4 py-3">
                        <SignInBadges user={user} />
                      </td>
                      <td className="px-4 py-3 text-slate-600">{formatTime(user.lastSignInAt)}</td>
                      <td className="px-4 py-3">
                        <UserActions
                          user={user}
                          self={self}
                          pending={pending}
                          className="flex justify-end gap-2"
                          onClearLock={() => clearSignInLock(user)}
                          onReset={() => setResetting(user)}
                          onRevoke={() => setRevoking(user)}
                          onEnable={() => update(user, { disabled: false }, `${user.email} can sign in again.`)}
                          onDisable={() => setDisabling(user)}
                        />
                      </td>
                    </tr>
                    {grants && expanded ? (
                      <tr id={`grants-of-${user.id}`} className="bg-slate-50/60">
                        <td colSpan={6} className="px-4 py-3">
                          <GrantedRoles user={user} granted={granted} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(email) => {
          setCreating(false);
          setNotice({ tone: "success", text: `${email} can now sign in.`, grantTo: email });
          router.refresh();
        }}
      />
      {revoking ? <RevokeUserSessionsDialog key={revoking.id} user={revoking} onClose={() => setRevoking(null)} /> : null}
      {disabling ? (
        <DisableUserDialog
          key={disabling.id}
          user={disabling}
          onClose={() => setDisabling(null)}
          onDisabled={(email) => {
            setNotice({ tone: "success", text: `${email} is disabled and signed out.` });
            router.refresh();
          }}
        />
      ) : null}
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(email) => {
          setResetting(null);
          setNotice({ tone: "success", text: `The password of ${email} was reset; their open sessions have ended.` });
          router.refresh();
        }}
      />
    </div>
  );
}

function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (email: string) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const formElement = e.currentTarget;
    startTransition(async () => {
      const result = await createUserAction({
        email: String(form.get("email") ?? ""),
        name: String(form.get("name") ?? ""),
        role: String(form.get("role") ?? "operator") as ConsoleRole,
        password: String(form.get("password") ?? ""),
      });
      if (result.ok) {
        setError(null);
        formElement.reset();
        onCreated(result.data.email);
      } else setError(result.error);
    });
  };
  return (
    <Dialog open={open} onClose={onClose} title="Add a user" description="They sign in with this email and password; they can change nothing but what their role allows.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error && !error.fields ? <Alert>{error.message}</Alert> : null}
        <Field label="Email" htmlFor="new-email" error={error?.fields?.email}>
          <Input id="new-email" name="email" type="email" autoComplete="off" required invalid={Boolean(error?.fields?.email)} />
        </Field>
        <Field label="Name" htmlFor="new-name" error={error?.fields?.name}>
          <Input id="new-name" name="name" required invalid={Boolean(error?.fields?.name)} />
        </Field>
        <Field label="Console role" htmlFor="new-role" hint="Operators switch into granted roles; auditors read the audit log; administrators manage everything.">
          <Select id="new-role" name="role" defaultValue="operator">
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Initial password" htmlFor="new-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with them over a safe channel.`} error={error?.fields?.password}>
          <Input id="new-password" name="password" type="password" autoComplete="new-password" required invalid={Boolean(error?.fields?.password)} />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add user"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: UserDto | null; onClose: () => void; onDone: (email: string) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!user) return;
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    const formElement = e.currentTarget;
    startTransition(async () => {
      const result = await updateUserAction({ id: user.id, patch: { password } });
      if (result.ok) {
        setError(null);
        formElement.reset();
        onDone(user.email);
      } else setError(result.error);
    });
  };
  return (
    <Dialog open={user !== null} onClose={onClose} title={`Reset the password of ${user?.email ?? ""}`} description="Their open sessions end, and a lock from failed sign-ins is lifted.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error && !error.fields ? <Alert>{error.message}</Alert> : null}
        <Field label="New password" htmlFor="reset-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={error?.fields?.["patch.password"]}>
          <Input id="reset-password" name="password" type="password" autoComplete="new-password" required invalid={Boolean(error?.fields?.["patch.password"])} />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Resetting…" : "Reset password"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
