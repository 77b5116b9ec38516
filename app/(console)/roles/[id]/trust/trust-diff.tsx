import type { DiffLine } from "@/lib/provision/diff";

const DIFF_STYLE = {
  same: { sign: " ", row: "text-slate-600" },
  add: { sign: "+", row: "bg-emerald-50 text-emerald-900" },
  remove: { sign: "-", row: "bg-red-50 text-red-900" },
} as const;

/** A line diff of two trust policies, each line marked for sighted readers (+/-) and for screen
 * readers ("Added:", "Removed:"). Used by Edit trust and by "Add this statement for me". */
export function TrustDiff({ diff, testId, label = "Changes", className = "max-h-[32rem]" }: { diff: readonly DiffLine[]; testId?: string; label?: string; className?: string }) {
  return (
    // A region that scrolls must be reachable from the keyboard (WCAG 2.1.1).
    <pre tabIndex={0} role="region" aria-label={label} data-testid={testId} className={`overflow-auto rounded-md border border-slate-200 bg-white py-2 font-mono text-xs ${className}`}>
      {diff.map((line, i) => (
        <div key={i} data-kind={line.kind} className={`px-3 ${DIFF_STYLE[line.kind].row}`}>
          <span aria-hidden className="mr-2 select-none">
            {DIFF_STYLE[line.kind].sign}
          </span>
          <span className="sr-only">{line.kind === "add" ? "Added: " : line.kind === "remove" ? "Removed: " : ""}</span>
          {line.text}
        </div>
      ))}
    </pre>
  );
}
