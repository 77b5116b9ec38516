import { ArrowRight, KeyRound } from "lucide-react";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { getYourRoles, type YourRoles } from "@/lib/catalog/your-roles";
import { RequestableRoles } from "./requestable-roles";
import { OpenMenuButton, SwitchRoleCard, YourRolesList } from "./your-roles";

export const metadata = { title: "Home" };

const count = (roles: YourRoles) => roles.pinned.length + roles.recent.length + roles.others.length;

// GET / — anyone who switches sees their own roles ("Your roles"): pinned, recent and granted,
// each with Console and Credentials, or, with none yet, who to ask; and the roles they may ask
// for (access on request). Those who run the console
// (administrators, auditors) also see where to start.
export default async function HomePage() {
  const actor = await requirePage();
  const canSwitch = hasPermission(actor, "sessions.create");
  const roles = canSwitch ? await getYourRoles(actor) : null;
  const runsConsole = hasPermission(actor, "roles.manage") || hasPermission(actor, "audit.read");

  const steps = [
    { show: hasPermission(actor, "accounts.manage"), href: "/accounts", title: "Register your AWS accounts", text: "Add them one by one or import them from AWS Organizations." },
    { show: hasPermission(actor, "roles.manage"), href: "/roles", title: "Register the roles in them", text: "Then grant each role to the people, or identity-provider groups, who need it." },
    { show: hasPermission(actor, "users.manage"), href: "/users", title: "Add your team", text: "Give each person a console role; grant them the AWS roles they need." },
    { show: canSwitch, href: null, title: "Switch into a role", text: "Open the Switch role menu to open the AWS console or copy temporary credentials." },
    { show: hasPermission(actor, "audit.read"), href: "/audit", title: "Review the audit log", text: "Every sign-in, switch and change is recorded, with who, what and from where." },
    { show: true, href: "/settings", title: "Check the console's AWS identity", text: "See which identity the console uses and how long the sessions it opens can last." },
  ].filter((s) => s.show);
  const hasRoles = roles !== null && count(roles) > 0;
  const canAsk = roles !== null && roles.requestable.length > 0;
  return (
    <>
      <PageHeader
        title={`Welcome, ${actor.name.split(" ")[0]}`}
        description={
          runsConsole
            ? "Switchboard keeps your team's AWS accounts and roles in one place, and opens the AWS console or hands out temporary credentials for the roles you are granted."
            : "Open the AWS console, or get temporary credentials, for the roles granted to you."
        }
      />
      {/* Operators always see their roles (or who to ask); administrators once they have some. */}
      {roles && (hasRoles || canAsk || !runsConsole) ? (
        <section aria-labelledby="home-your-roles" className="mb-8">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <h2 id="home-your-roles" className="text-lg font-semibold text-slate-900">
              Your roles
            </h2>
            {hasRoles ? <OpenMenuButton /> : null}
          </div>
          {hasRoles ? (
            <YourRolesList roles={roles} headingLevel={3} />
          ) : canAsk ? (
            <EmptyState icon={<KeyRound className="h-5 w-5" aria-hidden />} title="No roles granted to you yet">
              Ask for one of the roles below: once its approvers agree, it appears here and in Switch role in the header until your access ends.
            </EmptyState>
          ) : (
            <EmptyState icon={<KeyRound className="h-5 w-5" aria-hidden />} title="No roles granted to you yet — ask an administrator">
              An administrator grants you the AWS roles you need, to you or to a group you are in. They appear here, and in Switch role in the header, as soon as they are granted.
            </EmptyState>
          )}
          {canAsk ? (
            <div className="mt-6">
              <RequestableRoles roles={roles} headingLevel={3} />
            </div>
          ) : null}
        </section>
      ) : null}
      {runsConsole ? (
        <section aria-labelledby="home-start">
          <h2 id="home-start" className={hasRoles ? "mb-3 text-lg font-semibold text-slate-900" : "sr-only"}>
            Getting started
          </h2>
          <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {steps.map((step) => (
              <li key={step.title}>
                {step.href ? (
                  <Link href={step.href} className="group block h-full rounded-lg">
                    <Card className="h-full p-5 transition-shadow group-hover:shadow-md">
                      <h3 className="flex items-center justify-between font-semibold text-slate-900">
                        {step.title}
                        <ArrowRight className="h-4 w-4 text-slate-400 transition-transform group-hover:translate-x-0.5" aria-hidden />
                      </h3>
                      <p className="mt-1 text-sm text-slate-600">{step.text}</p>
                    </Card>
                  </Link>
                ) : (
                  <SwitchRoleCard title={step.title} text={step.text} />
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
