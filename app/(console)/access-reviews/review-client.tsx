"use client";

import { ClipboardCheck } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { timeAgo } from "@/components/switch-menu/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Field, Select } from "@/components/ui/field";
import { DEFAULT_UNUSED_DAYS, UNUSED_DAY_CHOICES, type AccessReviewList, type ReviewDecision, type ReviewGrantDto } from "@/lib/access/review-schemas";
import { reviewGrantsAction } from "./actions";
import { Grantee } from "../grants/grantee";

type Notice = { tone: "success" | "error"; text: string };
type View = { unusedOnly: boolean; account: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const subjectOf = (g: Pick<ReviewGrantDto, "user" | "group">) => g.user?.email ?? `group ${g.group}`;
const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
const exact = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

const DECISION_VERB: Record<ReviewDecision, string> = { keep: "Keep", convert: "Convert to eligible", remove: "Remove" };

/** The Access review page: every standing grant with its last use, filtered in the address
 * (unused only, one account, the threshold), and a bulk bar that keeps, converts or removes the
 * chosen grants in one step. */
export function ReviewClient({ review, view }: { review: AccessReviewList; view: View }) {
  const router = useRouter();
  const pathname = usePathname();
  const now = Date.parse(review.asOf);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  const accounts = useMemo(() => [...new Map(review.grants.map((g) => [g.accountRef, g.accountName])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [review.grants]);
  const shown = review.grants.filter((g) => (!view.unusedOnly || g.unused) && (!view.account || g.accountRef === view.account));
  const unusedCount = review.grants.filter((g) => g.unused).length;
  const chosen = shown.filter((g) => selected.has(g.id));
  const allShownSelected = shown.length > 0 && shown.every((g) => selected.has(g.id));

  const setFilter = (next: Partial<View & { days: number }>) => {
    const params = new URLSearchParams();
    const days = next.days ?? review.unusedDays;
    if (days !== DEFAULT_UNUSED_DAYS) params.set("days", String(days));
    if (next.unusedOnly ?? view.unusedOnly) params.set("unused", "1");
    const account = next.account ?? view.account;
    if (account) params.set("account", account);
    setSelected(new Set());
    router.replace(params.size ? `${pathname}?${params}` : pathname, { scroll: false });
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allShownSelected ? new Set() : new Set(shown.map((g) => g.id)));

  const decide = (decision: ReviewDecision) =>
    startTransition(async () => {
      setNotice(null);
      const result = await reviewGrantsAction({ decisions: chosen.map((g) => ({ grantId: g.id, decision })), unusedDays: review.unusedDays });
      setConfirming(false);
      if (!result.ok) return setNotice({ tone: "error", text: result.error.message });
      const r = result.data;
      const parts = [
        r.kept ? `kept ${plural(r.kept, "grant")}` : null,
        r.converted ? `converted ${plural(r.converted, "grant")} to eligibility${r.eligibilityExisting ? ` (${r.eligibilityExisting} already eligible)` : ""}` : null,
        r.removed ? `removed ${plural(r.removed, "grant")}` : null,
      ].filter(Boolean);
      const text = `Review recorded: ${parts.join(", ")}.${r.converted ? " Converted people and groups now ask for access when they need it." : ""}`;
      setNotice({ tone: "success", text });
      setSelected(new Set());
      router.refresh();
    });

  return (
    <div className="space-y-6">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}

      <p className="text-sm text-slate-600" data-testid="last-review">
        {review.lastReview ? (
          <>
            Last review{" "}
            <time dateTime={review.lastReview.at} title={exact(review.lastReview.at)}>
              {timeAgo(review.lastReview.at, now)}
            </time>
            {review.lastReview.by ? ` by ${review.lastReview.by}` : ""}: kept {review.lastReview.kept}, converted {review.lastReview.converted}, removed {review.lastReview.removed}.
          </>
        ) : (
          "No review recorded yet."
        )}
      </p>

      <section aria-labelledby="review-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="review-heading" className="text-base font-semibold text-slate-900">
            {plural(review.grants.length, "standing grant")}
            {review.grants.length ? <span className="font-normal text-slate-600"> · {unusedCount} unused in {review.unusedDays} days</span> : null}
          </h2>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Unused means not used for" htmlFor="filter-days">
            <Select id="filter-days" value={String(review.unusedDays)} onChange={(e) => setFilter({ days: Number(e.target.value) })}>
              {UNUSED_DAY_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Account" htmlFor="filter-account">
            <Select id="filter-account" value={view.account} onChange={(e) => setFilter({ account: e.target.value })}>
              <option value="">Every account</option>
              {accounts.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input type="checkbox" checked={view.unusedOnly} onChange={(e) => setFilter({ unusedOnly: e.target.checked })} className="h-4 w-4 accent-indigo-600" />
            Unused only
          </label>
        </div>

        {review.grants.length === 0 ? (
          <EmptyState icon={<ClipboardCheck className="h-5 w-5" aria-hidden />} title="No standing grants">
            No standing grants — everyone&apos;s access is on request or none is granted.
          </EmptyState>
        ) : shown.length === 0 ? (
          <EmptyState icon={<ClipboardCheck className="h-5 w-5" aria-hidden />} title="No grants match these filters" actions={<Button variant="secondary" onClick={() => setFilter({ unusedOnly: false, account: "" })}>Clear the filters</Button>}>
            {view.unusedOnly ? `Every standing grant here was used in the last ${review.unusedDays} days.` : "No standing grants in this account."}
          </EmptyState>
        ) : (
          <>
            <div role="toolbar" aria-label="Decide the selected grants" className="sticky top-0 z-10 flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm">
              <span className="w-full text-sm text-slate-700 sm:mr-auto sm:w-auto" aria-live="polite">
                {chosen.length ? `${plural(chosen.length, "grant")} selected` : "Select grants to decide"}
              </span>
              <Button size="sm" variant="secondary" disabled={!chosen.length || pending} onClick={() => decide("keep")}>
                {DECISION_VERB.keep}
              </Button>
              <Button size="sm" variant="secondary" disabled={!chosen.length || pending} onClick={() => decide("convert")}>
                {DECISION_VERB.convert}
              </Button>
              <Button size="sm" variant="danger" disabled={!chosen.length || pending} onClick={() => setConfirming(true)}>
                {DECISION_VERB.remove}
              </Button>
            </div>
            <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
              <table className="w-full table-fixed text-left text-sm">
                <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="w-10 px-3 py-2">
                      <input type="checkbox" checked={allShownSelected} onChange={toggleAll} aria-label={allShownSelected ? "Select none" : `Select all ${shown.length} shown`} className="h-4 w-4 accent-indigo-600" />
                    </th>
                    <th scope="col" className="px-3 py-2">
                      <span className="sm:hidden">Grant</span>
                      <span className="hidden sm:inline">Person or group</span>
                    </th>
                    <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                      Role
                    </th>
                    <th scope="col" className="hidden w-44 px-3 py-2 lg:table-cell">
                      Granted
                    </th>
                    <th scope="col" className="hidden w-28 px-3 py-2 lg:table-cell">
                      Expires
                    </th>
                    <th scope="col" className="hidden px-3 py-2 sm:table-cell lg:w-56">
                      Last used
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {shown.map((g) => (
                    <tr key={g.id} className={selected.has(g.id) ? "bg-indigo-50/60" : g.unused ? "bg-amber-50/50" : undefined} data-testid={`review-row-${g.id}`} data-unused={g.unused ? "true" : "false"}>
                      <td className="px-3 py-3 align-top">
                        <input type="checkbox" checked={selected.has(g.id)} onChange={() => toggle(g.id)} aria-label={`Select the grant of ${g.roleLabel} in ${g.accountName} to ${subjectOf(g)}`} className="mt-0.5 h-4 w-4 accent-indigo-600" />
                      </td>
                      <td className="px-3 py-3 align-top">
                        <Subject grant={g} />
                        {/* On a phone the row is a card: the other columns stack under the person. */}
                        <div className="mt-2 space-y-1 pl-6 sm:hidden">
                          <RoleCell grant={g} />
                          <p className="text-slate-600">
                            Granted {day(g.grantedAt)}
                            {g.grantedBy ? <span className="[overflow-wrap:anywhere]"> by {g.grantedBy}</span> : null}
                            {g.expiresAt ? <> · expires {day(g.expiresAt)}</> : null}
                          </p>
                          <LastUsed grant={g} now={now} days={review.unusedDays} />
                        </div>
                      </td>
                      <td className="hidden px-3 py-3 align-top sm:table-cell">
                        <RoleCell grant={g} />
                      </td>
                      <td className="hidden px-3 py-3 align-top text-slate-600 lg:table-cell">
                        <time dateTime={g.grantedAt} title={exact(g.grantedAt)}>
                          {day(g.grantedAt)}
                        </time>
                        {g.grantedBy ? <span className="block text-xs text-slate-600 [overflow-wrap:anywhere]">by {g.grantedBy}</span> : null}
                      </td>
                      <td className="hidden px-3 py-3 align-top text-slate-600 lg:table-cell">
                        {g.expiresAt ? (
                          <time dateTime={g.expiresAt} title={exact(g.expiresAt)}>
                            {day(g.expiresAt)}
                          </time>
                        ) : (
                          "Never"
                        )}
                      </td>
                      <td className="hidden px-3 py-3 align-top sm:table-cell">
                        <LastUsed grant={g} now={now} days={review.unusedDays} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      {confirming ? (
        <Dialog open onClose={pending ? () => undefined : () => setConfirming(false)} title={`Remove ${plural(chosen.length, "grant")}?`} description="These people and groups can no longer switch into these roles, and cannot ask for them either. To let them ask instead, choose Convert to eligible.">
          <div className="space-y-4">
            <ul className="max-h-60 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 text-sm" aria-label="Grants to remove">
              {chosen.map((g) => (
                <li key={g.id} className="px-3 py-2">
                  <span className="font-medium text-slate-900 [overflow-wrap:anywhere]">{subjectOf(g)}</span> <span className="text-slate-600">in</span> {g.roleLabel} <span className="text-slate-600">({g.accountName})</span>
                </li>
              ))}
            </ul>
            <div className="flex flex-wrap justify-end gap-2">
              <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
                Cancel
              </Button>
              <Button variant="danger" onClick={() => decide("remove")} disabled={pending}>
                {pending ? "Removing…" : `Remove ${plural(chosen.length, "grant")}`}
              </Button>
            </div>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

function Subject({ grant: g }: { grant: ReviewGrantDto }) {
  return (
    <Grantee user={g.user} group={g.group} />
  );
}

function RoleCell({ grant: g }: { grant: ReviewGrantDto }) {
  return (
    <span className="block min-w-0">
      <span className="block font-medium text-slate-900 [overflow-wrap:anywhere]">{g.roleLabel}</span>
      <span className="block text-slate-600 [overflow-wrap:anywhere]">
        {g.accountName} · {g.roleName}
      </span>
    </span>
  );
}

function LastUsed({ grant: g, now, days }: { grant: ReviewGrantDto; now: number; days: number }) {
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-slate-700">
      {g.lastUsedAt ? (
        <time dateTime={g.lastUsedAt} title={`${exact(g.lastUsedAt)}${g.lastUsedBy ? ` by ${g.lastUsedBy}` : ""}`}>
          Used {timeAgo(g.lastUsedAt, now)}
        </time>
      ) : (
        <span>Never used</span>
      )}
      {g.unused ? (
        <Badge tone="amber" title={`Not used in the last ${days} days`}>
          Unused
        </Badge>
      ) : !g.lastUsedAt ? (
        // Younger than the window (lib/access/reviews.ts): not flagged before it has had the chance to be used.
        <Badge title={`Granted ${timeAgo(g.grantedAt, now)}: flagged unused only once it is ${days} days old and still not used`}>New</Badge>
      ) : null}
      {g.lastKept ? (
        <span className="basis-full text-xs text-slate-600">
          Kept{" "}
          <time dateTime={g.lastKept.at} title={exact(g.lastKept.at)}>
            {timeAgo(g.lastKept.at, now)}
          </time>
          {g.lastKept.by ? <span className="[overflow-wrap:anywhere]"> by {g.lastKept.by}</span> : null}
        </span>
      ) : null}
    </span>
  );
}
