import { ArrowRight } from "lucide-react";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";

export const metadata = { title: "Home" };

export default async function HomePage() {
  const actor = await requirePage();
  const steps = [
    { show: hasPermission(actor, "accounts.manage"), href: "/accounts", title: "Register your AWS accounts", text: "Add them one by one or import them from AWS Organizations." },
    { show: hasPermission(actor, "roles.manage"), href: "/roles", title: "Register the roles in them", text: "Then grant each role to the people, or identity-provider groups, who need it." },
    { show: hasPermission(actor, "users.manage"), href: "/users", title: "Add your team", text: "Give each person a console role; grant them the AWS roles they need." },
    { show: hasPermission(actor, "sessions.create"), href: "/roles", title: "Switch into a role", text: "Use Switch role in the header to open the AWS console or copy temporary credentials." },
    { show: hasPermission(actor, "audit.read"), href: "/audit", title: "Review the audit log", text: "Every sign-in, switch and change is recorded, with who, what and from where." },
    { show: true, href: "/settings", title: "Check the console's AWS identity", text: "See which identity the console uses and how long the sessions it opens can last." },
  ].filter((s) => s.show);
  return (
    <>
      <PageHeader title={`Welcome, ${actor.name.split(" ")[0]}`} description="Switchboard keeps your team's AWS accounts and roles in one place, and opens the AWS console or hands out temporary credentials for the roles you are granted." />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {steps.map((step) => (
          <Link key={step.title} href={step.href} className="group">
            <Card className="h-full p-5 transition-shadow group-hover:shadow-md">
              <h2 className="flex items-center justify-between font-semibold text-slate-900">
                {step.title}
                <ArrowRight className="h-4 w-4 text-slate-400 transition-transform group-hover:translate-x-0.5" aria-hidden />
              </h2>
              <p className="mt-1 text-sm text-slate-600">{step.text}</p>
            </Card>
          </Link>
        ))}
      </div>
    </>
  );
}
