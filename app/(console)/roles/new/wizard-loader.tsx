"use client";

import dynamic from "next/dynamic";
import type { WizardContext } from "@/components/wizard/types";
import type { NextStepsAccess } from "./next-steps";
import type { InitialDocument } from "./role-wizard";

// The wizard restores its draft from localStorage as it starts, which only the browser has:
// rendering it on the server would show an empty step 1 and then jump to the saved step.
const RoleWizard = dynamic(() => import("./role-wizard").then((m) => m.RoleWizard), {
  ssr: false,
  loading: () => (
    <div className="rounded-lg border border-slate-200 bg-white px-6 py-16 text-center text-sm text-slate-500" aria-busy="true">
      Loading the wizard…
    </div>
  ),
});

export function WizardLoader({ userId, context, initial, access }: { userId: string; context: WizardContext; initial?: InitialDocument; access: NextStepsAccess }) {
  return <RoleWizard userId={userId} context={context} initial={initial} access={access} />;
}
