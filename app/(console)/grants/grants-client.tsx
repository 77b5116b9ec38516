"use client";

import { KeyRound, Search } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useMemo, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { revokeRoleSessionsAction } from "../roles/actions";
import { createGrantsAction, deleteGrantsAction } from "./actions";
import { Checklist } from "./checklist";
import { ExpiryBadge, ExpiryEditor, ExpiryPicker, useExpiryChoice, useNow } from "./expiry";
import type { AccountChoice, GrantRow, GrantsView, PersonChoice, RoleChoice } from "./types";
import { Grantee } from "./grantee";

type Notice = { tone: "success" | "error" | "info" | "warning"; text: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const subjectOf = (g: Pick<GrantRow, "user" | "group">) => g.user?.email ?? `group ${g.group}`;
const matches = (text: string, query: string) => text.toLowerCase().includes(query.trim().toLowerCase());

/** The Grants page: a form to grant many roles to many people and groups, and every grant,
 * filtered by person, group, account or role, with removal in bulk. Filters live in the address,
 * so a link (from the Users page, say) opens the page on one person's grants. */
export function GrantsClient({
  asOf,
  grants,
  roles,
  accounts,
  people,
  groups,
  view,
  canRevoke,
}: {
  grants: GrantRow[];
  roles: RoleChoice[];
  accounts: AccountChoice[];
  people: PersonChoice[];
  groups: string[];
  view: GrantsView;
  canRevoke: boolean;
  /** When the page was read (epoch ms): "Expires in 3 h" counts from here until the browser's clock takes over. */
  asOf: number;
}) {
  const router = useRouter();
  const now = useNow(asOf);
  const [editing, setEditing] = useState<GrantRow | null>(null);
  const pathname = usePathname();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [formOpen, setFormOpen] = useState(view.grantTo !== null || grants.length === 0);

  // Person filter: "user:<email>" or "group:<name>".
  const person = view.user ? `user:${view.user}` : view.group ? `group:${view.group}` : "";
  const [roleQuery, setRoleQuery] = useState(view.role);
  const setFilter = (next: { person?: string; account?: string; role?: string }) => {
    const p = next.person ?? person;
    const params = new URLSearchParams();
    if (p.startsWith("user:")) params.set("user", p.slice(5));
    if (p.startsWith("group:")) params.set("group", p.slice(6));
    const account = next.account ?? view.account;
    if (account) params.set("account", account);
    const role = next.role ?? roleQuery;
    if (role.trim()) params.set("role", role.trim());
    setSelected(new Set());
    router.replace(params.size ? `${pathname}?${params}` : pathname, { scroll: false });
  };

  const shown = useMemo(
    () =>
      grants.filter(
        (g) =>
          (!view.user || g.user?.email === view.user) &&
          (!view.group || g.group === view.group) &&
          (!view.account || g.accountRef === view.account) &&
          (!view.role || matches(`${g.roleLabel} ${g.roleArn} ${g.accountName}`, view.role)),
      ),
    [grants, view],
  );
  const filtered = shown.length !== grants.length;
  const allShownSelected = shown.length > 0 && shown.every((g) => selected.has(g.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allShownSelected ? new Set() : new Set(shown.map((g) => g.id)));
  const chosen = grants.filter((g) => selected.has(g.id));

  return (
    <div className="space-y-6">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
          <div>
            <h2 className="text-base font-semibold text-slate-900">Grant roles</h2>
            <p className="mt-0.5 text-sm text-slate-500">Choose the roles, then the people and groups who may switch into them.</p>
          </div>
          <Button variant={formOpen ? "secondary" : "primary"} onClick={() => setFormOpen((o) => !o)} aria-expanded={formOpen} aria-controls="grant-form">
            {formOpen ? "Hide" : "Grant roles"}
          </Button>
        </div>
        {formOpen ? (
          <GrantForm
            roles={roles}
            people={people}
            groups={groups}
            initialPerson={view.grantTo}
            onDone={(n) => {
              setNotice(n);
              router.refresh();
            }}
          />
        ) : null}
      </Card>

      <section aria-labelledby="grants-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="grants-heading" className="text-base font-semibold text-slate-900">
            {filtered ? `${plural(shown.length, "grant")} of ${grants.length}` : plural(grants.length, "grant")}
          </h2>
          <Button variant="danger" size="sm" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
            Remove {chosen.length ? plural(chosen.length, "grant") : "selected"}
          </Button>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Person or group" htmlFor="filter-person">
            <Select id="filter-person" value={person} onChange={(e) => setFilter({ person: e.target.value })}>
              <option value="">Everyone</option>
              {people.length ? (
                <optgroup label="People">
                  {people.map((p) => (
                    <option key={p.email} value={`user:${p.email}`}>
                      {p.name} — {p.email}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {groups.length ? (
                <optgroup label="Groups">
                  {groups.map((g) => (
                    <option key={g} value={`group:${g}`}>
                      {g}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {/* A link can name someone not in the lists (a disabled person): keep it choosable. */}
              {view.user && !people.some((p) => p.email === view.user) ? <option value={`user:${view.user}`}>{view.user}</option> : null}
            </Select>
          </Field>
          <Field label="Account" htmlFor="filter-account">
            <Select id="filter-account" value={view.account} onChange={(e) => setFilter({ account: e.target.value })}>
              <option value="">Every account</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.awsAccountId})
                </option>
              ))}
            </Select>
          </Field>
          <form
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setFilter({ role: roleQuery });
            }}
          >
            <Field label="Role" htmlFor="filter-role">
              <div className="flex gap-2">
                <Input id="filter-role" type="search" value={roleQuery} onChange={(e) => setRoleQuery(e.target.value)} onBlur={() => roleQuery !== view.role && setFilter({ role: roleQuery })} placeholder="Name or ARN" autoComplete="off" />
                <Button type="submit" variant="secondary" aria-label="Filter by role">
                  <Search className="h-4 w-4" aria-hidden />
                </Button>
              </div>
            </Field>
          </form>
        </div>

        {grants.length === 0 ? (
          <EmptyState icon={<KeyRound className="h-5 w-5" aria-hidden />} title="No grants yet">
            Nobody but administrators can switch into a role until it is granted. Use Grant roles above to give people and groups the roles they need.
          </EmptyState>
        ) : shown.length === 0 ? (
          <EmptyState icon={<Search className="h-5 w-5" aria-hidden />} title="No grants match these filters" actions={<Button variant="secondary" onClick={() => { setRoleQuery(""); setFilter({ person: "", account: "", role: "" }); }}>Clear the filters</Button>}>
            Nothing is granted to this person or group in these roles.
          </EmptyState>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="w-10 px-3 py-2">
                    <input type="checkbox" checked={allShownSelected} onChange={toggleAll} aria-label={allShownSelected ? "Select none" : `Select all ${shown.length} shown`} className="h-4 w-4 accent-indigo-600" />
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Person or group
                  </th>
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    Role
                  </th>
                  <th scope="col" className="hidden px-3 py-2 md:table-cell">
                    Granted
                  </th>
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    Expires
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {shown.map((g) => (
                  <tr key={g.id} className={selected.has(g.id) ? "bg-indigo-50/60" : undefined} data-testid={`grant-row-${g.id}`}>
                    <td className="px-3 py-2 align-top">
                      <input type="checkbox" checked={selected.has(g.id)} onChange={() => toggle(g.id)} aria-label={`Select the grant of ${g.roleLabel} in ${g.accountName} to ${subjectOf(g)}`} className="mt-0.5 h-4 w-4 accent-indigo-600" />
                    </td>
                    <td className="px-3 py-2 align-top sm:max-w-[16rem]">
                      <Grantee user={g.user} group={g.group} />
                      {/* On a phone the role goes under the person: two narrow columns would break every word. */}
                      <span className="mt-1 block pl-6 text-slate-900 sm:hidden">
                        {g.roleLabel} <span className="text-slate-600">· {g.accountName}</span>
                      </span>
                      {/* And its expiry, for the same reason. */}
                      <span className="mt-1 flex items-center gap-2 pl-6 text-slate-600 sm:hidden">
                        <GrantExpiry grant={g} now={now} onChange={() => setEditing(g)} />
                      </span>
                    </td>
                    <td className="hidden px-3 py-2 align-top sm:table-cell">
                      <span className="block font-medium text-slate-900">{g.roleLabel}</span>
                      <span className="block text-slate-600">{g.accountName}</span>
                    </td>
                    <td className="hidden px-3 py-2 align-top text-slate-600 md:table-cell">
                      <time dateTime={g.createdAt} title={g.createdAt}>
                        {new Date(g.createdAt).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })}
                      </time>
                      {g.createdBy ? <span className="block break-all text-xs text-slate-500">by {g.createdBy}</span> : null}
                    </td>
                    <td className="hidden px-3 py-2 align-top text-slate-600 sm:table-cell">
                      <span className="flex flex-col items-start gap-1">
                        <GrantExpiry grant={g} now={now} onChange={() => setEditing(g)} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {editing ? (
        <Dialog open onClose={() => setEditing(null)} title="Change when this grant expires" description={`${subjectOf(editing)} in ${editing.roleLabel} (${editing.accountName}). Choose Never to make it standing.`}>
          <ExpiryEditor
            grantId={editing.id}
            subject={subjectOf(editing)}
            idPrefix="edit-grant"
            onCancel={() => setEditing(null)}
            onDone={(outcome) => {
              setEditing(null);
              setNotice({ tone: outcome.ok ? "success" : "error", text: outcome.text });
              router.refresh();
            }}
          />
        </Dialog>
      ) : null}

      {confirming ? (
        <RemoveDialog
          grants={chosen}
          canRevoke={canRevoke}
          onClose={() => setConfirming(false)}
          onDone={(n) => {
            setConfirming(false);
            setSelected(new Set());
            setNotice(n);
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}

/** Roles × (people + groups), granted in one step. */
/** A grant's expiry ("Expires in 3 h", "Expired 2 d ago" or Never) and its Change button. */
function GrantExpiry({ grant: g, now, onChange }: { grant: GrantRow; now: number; onChange: () => void }) {
  return (
    <>
      {g.expiresAt ? <ExpiryBadge expiresAt={g.expiresAt} now={now} /> : <span className="text-xs">Never</span>}
      <Button size="sm" variant="ghost" className="-ml-2" onClick={onChange} aria-label={`Change when the grant of ${g.roleLabel} in ${g.accountName} to ${subjectOf(g)} expires`}>
        Change
      </Button>
    </>
  );
}

function GrantForm({ roles, people, groups, initialPerson, onDone }: { roles: RoleChoice[]; people: PersonChoice[]; groups: string[]; initialPerson: string | null; onDone: (notice: Notice) => void }) {
  const [roleIds, setRoleIds] = useState<Set<string>>(new Set());
  const [emails, setEmails] = useState<Set<string>>(new Set(initialPerson && people.some((p) => p.email === initialPerson) ? [initialPerson] : []));
  const [groupText, setGroupText] = useState("");
  const [roleFilter, setRoleFilter] = useState("");
  const [personFilter, setPersonFilter] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const expiry = useExpiryChoice();

  const shownRoles = roles.filter((r) => matches(`${r.label} ${r.roleName} ${r.accountName} ${r.awsAccountId}`, roleFilter));
  const byAccount = new Map<string, RoleChoice[]>();
  for (const r of shownRoles) byAccount.set(r.accountRef, [...(byAccount.get(r.accountRef) ?? []), r]);
  const shownPeople = people.filter((p) => matches(`${p.name} ${p.email}`, personFilter));
  const groupList = [...new Set(groupText.split(/[\s,]+/).map((g) => g.trim()).filter(Boolean))];
  const subjects = emails.size + groupList.length;
  const pairs = roleIds.size * subjects;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (roleIds.size === 0) missing.roleIds = "Choose at least one role";
    if (subjects === 0) missing.userEmails = "Choose at least one person or group";
    const resolved = expiry.resolve();
    if ("error" in resolved) missing.expiresAt = resolved.error;
    setErrors(missing);
    if (Object.keys(missing).length || "error" in resolved) return;
    startTransition(async () => {
      const result = await createGrantsAction({ roleIds: [...roleIds], userEmails: [...emails], groups: groupList, ...(resolved.expiresAt ? { expiresAt: resolved.expiresAt } : {}) });
      if (!result.ok) {
        setErrors(result.error.fields ?? {});
        return onDone({ tone: "error", text: result.error.message });
      }
      const { created, existing } = result.data;
      setRoleIds(new Set());
      setEmails(new Set());
      setGroupText("");
      expiry.reset();
      onDone({
        tone: "success",
        text: `${created ? `Made ${plural(created, "new grant")}.` : "Nothing new to grant."}${existing ? ` ${plural(existing, "pair was", "pairs were")} granted already and left as they were.` : ""}`,
      });
    });
  };

  return (
    <form id="grant-form" onSubmit={submit} className="space-y-4 border-t border-slate-100 px-5 py-4" noValidate aria-label="Grant roles">
      <div className="grid gap-4 lg:grid-cols-2">
        <Checklist
          legend="Roles"
          chosen={roleIds}
          onChange={setRoleIds}
          filter={roleFilter}
          onFilter={setRoleFilter}
          filterLabel="Find roles"
          filterPlaceholder="Find a role or an account"
          sections={[...byAccount.values()].map((list) => ({
            key: list[0]!.accountRef,
            heading: {
              ariaLabel: `Every shown role in ${list[0]!.accountName}`,
              content: (
                <>
                  {list[0]!.accountName} <span className="font-normal text-slate-600">{list[0]!.awsAccountId}</span>
                </>
              ),
            },
            items: list.map((r) => ({
              id: r.id,
              ariaLabel: `${r.label} in ${r.accountName} (${r.awsAccountId})`,
              content: (
                <>
                  {r.label}
                  {r.label !== r.roleName ? <span className="ml-1 text-slate-600">({r.roleName})</span> : null}
                </>
              ),
            })),
          }))}
          empty={roles.length ? "No role matches." : "No roles are registered yet: register them on the Roles page first."}
          maxHeight="max-h-72"
          error={errors.roleIds}
          errorId="grant-roles-error"
        />
        <div className="min-w-0 space-y-4">
          <Checklist
            legend="People"
            chosen={emails}
            onChange={setEmails}
            filter={personFilter}
            onFilter={setPersonFilter}
            filterLabel="Find people"
            filterPlaceholder="Find a person"
            sections={[
              {
                key: "people",
                items: shownPeople.map((p) => ({
                  id: p.email,
                  ariaLabel: `${p.name} (${p.email})`,
                  content: (
                    <>
                      {p.name} <span className="break-all text-slate-600">{p.email}</span>
                    </>
                  ),
                })),
              },
            ]}
            empty={people.length ? "No one matches." : "No people to choose: add them on the Users page, or grant a group."}
            maxHeight="max-h-48"
            error={errors.userEmails}
            errorId="grant-people-error"
          />
          <Field label="Identity-provider groups" htmlFor="grant-groups" hint={`Separated by commas or spaces, as single sign-on sends them in the groups claim${groups.length ? ` (granted today: ${groups.slice(0, 5).join(", ")}${groups.length > 5 ? ", …" : ""})` : ""}.`} error={errors.groups}>
            <Input id="grant-groups" value={groupText} onChange={(e) => setGroupText(e.target.value)} placeholder="platform-engineers, sre" className="font-mono" autoComplete="off" invalid={Boolean(errors.groups)} />
          </Field>
        </div>
      </div>
      <ExpiryPicker idPrefix="grant" choice={expiry.value.choice} at={expiry.value.at} onChange={expiry.setValue} error={errors.expiresAt} disabled={pending} />
      <div className="flex flex-wrap items-center justify-end gap-3">
        <p className="text-sm text-slate-600" aria-live="polite">
          {pairs ? `${plural(roleIds.size, "role")} × ${plural(subjects, "person or group", "people or groups")} = ${plural(pairs, "grant")}` : "Choose roles and people or groups."}
        </p>
        <Button type="submit" disabled={pending}>
          {pending ? "Granting…" : pairs ? `Grant ${plural(pairs, "grant")}` : "Grant"}
        </Button>
      </div>
    </form>
  );
}

/** Confirms a bulk removal and, for people (not groups), offers to end their live AWS sessions in
 * those roles, one role at a time with progress: removing a grant stops new switches only. */
function RemoveDialog({ grants, canRevoke, onClose, onDone }: { grants: GrantRow[]; canRevoke: boolean; onClose: () => void; onDone: (notice: Notice) => void }) {
  const people = grants.filter((g) => g.user);
  const [endSessions, setEndSessions] = useState(canRevoke && people.length > 0);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const remove = () =>
    startTransition(async () => {
      setError(null);
      setProgress(`Removing ${plural(grants.length, "grant")}…`);
      const result = await deleteGrantsAction({ ids: grants.map((g) => g.id) });
      if (!result.ok) {
        setProgress(null);
        return setError(result.error.message);
      }
      const removed = `Removed ${plural(result.data.removed.length, "grant")}.`;
      const toRevoke = endSessions ? result.data.removed.filter((r) => r.userEmail) : [];
      const failures: string[] = [];
      for (const [i, r] of toRevoke.entries()) {
        setProgress(`${removed} Ending live sessions: ${i + 1} of ${toRevoke.length} (${r.userEmail} in ${r.roleLabel})…`);
        const revoked = await revokeRoleSessionsAction({ roleId: r.roleId, userEmail: r.userEmail! });
        if (!revoked.ok) failures.push(`${r.userEmail} in ${r.roleLabel}: ${revoked.error.message}`);
      }
      if (failures.length) return onDone({ tone: "warning", text: `${removed} Some live sessions could not be ended — ${failures.join("; ")}` });
      onDone({ tone: "success", text: toRevoke.length ? `${removed} Their live sessions in those roles that started before now are denied every action.` : removed });
    });

  return (
    <Dialog open onClose={pending ? () => undefined : onClose} title={`Remove ${plural(grants.length, "grant")}?`} description="The people and groups below can no longer switch into these roles.">
      <div className="space-y-4">
        {error ? <Alert>{error}</Alert> : null}
        <ul className="max-h-60 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 text-sm" aria-label="Grants to remove">
          {grants.map((g) => (
            <li key={g.id} className="px-3 py-2">
              <span className="break-all font-medium text-slate-900">{subjectOf(g)}</span> <span className="text-slate-600">in</span> {g.roleLabel} <span className="text-slate-600">({g.accountName})</span>
            </li>
          ))}
        </ul>
        {canRevoke && people.length ? (
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={endSessions} onChange={(e) => setEndSessions(e.target.checked)} className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600" disabled={pending} />
            <span>
              Also end their live sessions in these roles
              <span className="block text-xs text-slate-600">Their AWS sessions that started before now are denied every action (people only: a group&apos;s members are not known here).</span>
            </span>
          </label>
        ) : null}
        {progress ? (
          <p role="status" className="text-sm text-slate-700">
            {progress}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button variant="danger" onClick={remove} disabled={pending}>
            {pending ? "Removing…" : `Remove ${plural(grants.length, "grant")}`}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
