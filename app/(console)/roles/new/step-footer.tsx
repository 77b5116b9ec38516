"use client";

import { ArrowLeft } from "lucide-react";
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** Room left between a focused field and the footer's top edge. */
const GAP_PX = 16;

/** Back on the left, the step's own actions on the right; it stays in view while the step
 * scrolls, so Next is always one Tab (or Enter) away.
 *
 * Being sticky, it covers the bottom of the page: a field tabbed to there would be focused
 * underneath it. While it is shown, the page's scroll-padding-bottom is its height, which the
 * browser leaves clear whenever it scrolls an element into view, focus included
 * (https://developer.mozilla.org/en-US/docs/Web/CSS/scroll-padding). Its height changes when its
 * buttons wrap (a phone, the Review's acknowledgement), so it is measured, not assumed.
 * A text area is the exception: the browser scrolls only its caret into view, so the rest of the
 * box can stay under the footer; a field that fits above the footer is brought wholly into view. */
export function StepFooter({ onBack, backLabel = "Back", children, aside }: { onBack?: () => void; backLabel?: string; children?: ReactNode; aside?: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const footer = ref.current;
    if (!footer) return;
    const root = document.documentElement;
    const apply = () => root.style.setProperty("scroll-padding-bottom", `${Math.ceil(footer.getBoundingClientRect().height) + GAP_PX}px`);
    apply();
    const observer = new ResizeObserver(apply);
    observer.observe(footer);
    let frame = 0;
    const reveal = (e: FocusEvent) => {
      const field = e.target;
      if (!(field instanceof HTMLElement) || footer.contains(field)) return;
      cancelAnimationFrame(frame);
      // After the browser's own scrolling for the focus, so this only finishes what it started.
      frame = requestAnimationFrame(() => {
        const box = field.getBoundingClientRect();
        const limit = footer.getBoundingClientRect().top;
        if (box.bottom > limit && box.height < limit - GAP_PX) field.scrollIntoView({ block: "nearest" });
      });
    };
    document.addEventListener("focusin", reveal);
    return () => {
      observer.disconnect();
      document.removeEventListener("focusin", reveal);
      cancelAnimationFrame(frame);
      root.style.removeProperty("scroll-padding-bottom");
    };
  }, []);

  return (
    <div ref={ref} data-testid="wizard-step-footer" className="sticky bottom-0 z-10 flex flex-wrap items-center justify-between gap-3 rounded-b-lg border-t border-slate-200 bg-white/95 px-5 py-3 backdrop-blur">
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
