import { Circle, CircleCheck, CircleMinus, CircleX, LoaderCircle, Undo2 } from "lucide-react";
import type { ApplyStep } from "@/lib/provision/types";

const STATUS: Record<ApplyStep["status"], { icon: typeof Circle; className: string; text: string }> = {
  pending: { icon: Circle, className: "text-slate-400", text: "Waiting" },
  running: { icon: LoaderCircle, className: "animate-spin text-indigo-600", text: "In progress" },
  done: { icon: CircleCheck, className: "text-emerald-600", text: "Done" },
  failed: { icon: CircleX, className: "text-red-600", text: "Failed" },
  "rolled-back": { icon: Undo2, className: "text-amber-600", text: "Undone" },
  skipped: { icon: CircleMinus, className: "text-slate-400", text: "Skipped" },
};

/** The apply's steps as they change: what is being created, in order, and how each one went. */
export function ApplyStepList({ steps }: { steps: readonly ApplyStep[] }) {
  return (
    <ol className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white" data-testid="apply-steps" aria-live="polite">
      {steps.map((step) => {
        const s = STATUS[step.status];
        const Icon = s.icon;
        return (
          <li key={step.id} className="flex items-start gap-3 px-3 py-2" data-testid={`apply-step-${step.id}`} data-status={step.status}>
            <Icon className={`mt-0.5 h-4 w-4 shrink-0 ${s.className}`} aria-hidden />
            <div className="min-w-0 flex-1 text-sm">
              <p className={step.status === "skipped" || step.status === "pending" ? "text-slate-500" : "text-slate-900"}>{step.label}</p>
              {step.error ? <p className={`mt-0.5 ${step.status === "failed" ? "text-red-700" : step.status === "rolled-back" ? "text-amber-800" : "text-slate-500"}`}>{step.error}</p> : null}
            </div>
            <span className={`shrink-0 text-xs font-medium ${step.status === "failed" ? "text-red-700" : step.status === "rolled-back" ? "text-amber-700" : "text-slate-500"}`}>{s.text}</span>
          </li>
        );
      })}
    </ol>
  );
}
