import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import type { WizardContext } from "@/components/wizard/types";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { z } from "zod";
import { cloneDocument } from "@/lib/provision/clone";
import { getWizardContext } from "@/lib/provision/service";
import { listUsers } from "@/lib/users/list-users";
import type { NextStepsAccess } from "./next-steps";
import type { InitialDocument } from "./role-wizard";
import { WizardLoader } from "./wizard-loader";

export const metadata = { title: "Create role" };

const query = z.object({ clone: z.string().min(1).max(64).optional() });

// GET /roles/new?clone=<roleId> — the role wizard (admins: provisioning.manage), optionally
// starting from a copy of a catalog role read live from IAM.
export default async function NewRolePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("provisioning.manage");
  // For the Next steps after a role is created: who it can be granted to (operators: an
  // administrator may use every role already), and whether this person may grant and test.
  const canGrant = hasPermission(actor, "grants.manage");
  const access: NextStepsAccess = {
    canGrant,
    canTest: hasPermission(actor, "roles.manage"),
    people:
      canGrant && hasPermission(actor, "users.manage")
        ? (await listUsers(actor)).filter((u) => !u.disabled && u.role === "operator").map((u) => ({ email: u.email, name: u.name }))
        : [],
  };
  const parsed = query.safeParse(await searchParams);
  let context: WizardContext | null = null;
  let initial: InitialDocument | undefined;
  let problem: string | null = null;
  let cloneProblem: string | null = parsed.success ? null : "The role to clone is not a role id, so the wizard starts as usual.";
  try {
    context = await getWizardContext(actor);
    if (parsed.success && parsed.data.clone) {
      try {
        const clone = await cloneDocument(actor, parsed.data.clone);
        initial = { document: clone.document, notices: clone.notices, source: `${clone.source.displayName} (${clone.source.roleArn})` };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        cloneProblem = `The role could not be cloned: ${err.message}`;
      }
    }
  } catch (err) {
    // A message meant for people (the broker's identity cannot be found, …); anything else is a
    // bug and goes to the error page with its request id.
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  return (
    <>
      <PageHeader
        title="Create a role"
        description="A cross-account IAM role with both halves of the trust: who may assume it, what it may do, and the permission its callers need in their own accounts. Nothing is created until the last step."
        actions={
          <Link href="/roles" className={buttonClass("secondary")}>
            Back to Roles
          </Link>
        }
      />
      {cloneProblem ? <Alert tone="warning">{cloneProblem}</Alert> : null}
      {context ? (
        <WizardLoader userId={actor.id} context={context} initial={initial} access={access} />
      ) : (
        <Alert title="The wizard cannot start">{problem}</Alert>
      )}
    </>
  );
}
