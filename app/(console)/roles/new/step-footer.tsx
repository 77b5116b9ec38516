import { ArrowLeft } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** Back on the left, the step's own actions on the right; it stays in view while the step
 * scrolls, so Next is always one Tab (or Enter) away. */
export function StepFooter({ onBack, backLabel = "Back", children, aside }: { onBack?: () => void; backLabel?: string; children?: ReactNode; aside?: ReactNode }) {
  return (
    <div className="sticky bottom-0 z-10 flex flex-wrap items-center justify-between gap-3 rounded-b-lg border-t border-slate-200 bg-white/95 px-5 py-3 backdrop-blur">
      <div>
        {onBack ? (
          <Button variant="secondary" onClick={onBack}>
            <ArrowLeft className="h-4 w-4" aria-hidden />
            {backLabel}
          </Button>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {aside}
        {children}
      </div>
    </div>
  );
}
