import { z } from "zod";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { idField, regionField } from "@/lib/catalog/schemas";
import { AppError } from "@/lib/errors";
import { getSwitchFailure } from "@/lib/sessions/switch-failure";
import type { SwitchFailureView } from "@/lib/sessions/switch-failure-report";
import { BackButton, SwitchFailed } from "./switch-failed";

export const metadata = { title: "The switch did not work" };

const params = z.object({ roleId: idField("role") });
const query = z.object({ request: z.uuid("request is not a request id"), region: regionField.optional() });

/** "2026-12-03 04:20:02 UTC": the same on the server and in the browser. */
const formatTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

// GET /switch/[roleId]/failed?request=<id> — where a console switch that AWS refused lands (the
// POST to /switch/<id> redirects here), in the console's own frame: for the person who switched,
// what is wrong and the details to send to an administrator; for administrators, the explanation,
// the statement that fixes it, and "Add this statement for me". Read from the switch's own audit
// record, so a reload or a bookmark is harmless and shows only the viewer's own failures.
export default async function SwitchFailedPage(props: { params: Promise<{ roleId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("sessions.create");
  const p = params.safeParse(await props.params);
  const q = query.safeParse(await props.searchParams);
  let view: SwitchFailureView | null = null;
  let problem: string | null = p.success && q.success ? null : "This address is not one the console made. Open the role again from Switch role.";
  if (p.success && q.success) {
    try {
      view = await getSwitchFailure(actor, p.data.roleId, q.data.request);
      if (!view) problem = "The console has no record of this failed switch for you in the last day. Open the role again from Switch role; if it fails, this page shows why.";
    } catch (err) {
      // Not granted any more, or no such role: messages meant for people; anything else is a bug.
      if (!(err instanceof AppError)) throw err;
      problem = err.message;
    }
  }
  if (!view) {
    return (
      <>
        <PageHeader title="The switch did not work" />
        <div className="max-w-2xl space-y-4">
          <Alert title="Nothing to show">{problem}</Alert>
          <BackButton />
        </div>
      </>
    );
  }
  const region = q.success ? (q.data.region ?? view.region) : view.region;
  return (
    <SwitchFailed
      view={view}
      time={formatTime(view.at)}
      retryUrl={`/switch/${encodeURIComponent(view.role.id)}${region ? `?${new URLSearchParams({ region })}` : ""}`}
      admin={hasPermission(actor, "roles.manage")}
      canFix={hasPermission(actor, "provisioning.manage")}
    />
  );
}
