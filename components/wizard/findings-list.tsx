import { Info, OctagonX, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import type { Severity } from "@/lib/provision/types";
import { groupFindings, SEVERITY_ORDER, whereLabel } from "./format";
import type { TextFinding, WizardAccount } from "./types";

const STYLE: Record<Severity, { title: (n: number) => string; box: string; icon: typeof Info; iconClass: string }> = {
  error: { title: (n) => (n === 1 ? "1 error" : `${n} errors`), box: "border-red-200 bg-red-50", icon: OctagonX, iconClass: "text-red-600" },
  warning: { title: (n) => (n === 1 ? "1 warning" : `${n} warnings`), box: "border-amber-200 bg-amber-50", icon: TriangleAlert, iconClass: "text-amber-600" },
  info: { title: (n) => (n === 1 ? "1 note" : `${n} notes`), box: "border-sky-200 bg-sky-50", icon: Info, iconClass: "text-sky-600" },
};

/** Lint findings grouped by severity (errors first), each with where it is and what to do. */
export function FindingsList({
  findings,
  accounts = [],
  testId,
  showWhere = true,
  emptyText,
  action,
  headingLevel = 4,
}: {
  findings: readonly TextFinding[];
  /** The level of each group's heading: one below the heading the list sits under. */
  headingLevel?: 3 | 4;
  /** Something to do about one finding (a link to the step that fixes it). */
  action?: (finding: TextFinding) => ReactNode;
  accounts?: readonly WizardAccount[];
  testId?: string;
  showWhere?: boolean;
  emptyText?: string;
}) {
  const groups = groupFindings(findings);
  const Heading = headingLevel === 3 ? "h3" : "h4";
  if (!findings.length) {
    return emptyText ? (
      <p className="text-sm text-slate-600" data-testid={testId}>
        {emptyText}
      </p>
    ) : null;
  }
  return (
    <div className="space-y-3" data-testid={testId}>
      {SEVERITY_ORDER.filter((s) => groups[s].length).map((severity) => {
        const style = STYLE[severity];
        const Icon = style.icon;
        return (
          <section key={severity} className={`rounded-md border ${style.box}`} aria-label={style.title(groups[severity].length)} data-testid={testId ? `${testId}-${severity}` : undefined}>
            <Heading className="flex items-center gap-2 px-3 pt-2 text-sm font-semibold text-slate-900">
              <Icon className={`h-4 w-4 ${style.iconClass}`} aria-hidden />
              {style.title(groups[severity].length)}
            </Heading>
            <ul className="divide-y divide-black/5 px-3 pb-1">
              {groups[severity].map((f, i) => (
                <li key={`${f.rule}-${f.where}-${i}`} className="flex items-start gap-3 py-2 text-sm" data-severity={f.severity} data-rule={f.rule}>
                  <div className="min-w-0 flex-1">
                    <p className="text-slate-900">
                      {showWhere ? <span className="font-medium">{whereLabel(f.where, accounts)}: </span> : null}
                      {f.message}
                      {f.line ? (
                        <span className="text-slate-500">
                          {" "}
                          (line {f.line}
                          {f.column ? `, column ${f.column}` : ""})
                        </span>
                      ) : f.path ? (
                        <span className="font-mono text-xs text-slate-500"> {f.path}</span>
                      ) : null}
                    </p>
                    {f.fix ? <p className="mt-0.5 text-slate-700">{f.fix}</p> : null}
                  </div>
                  {action ? <div className="shrink-0">{action(f)}</div> : null}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
