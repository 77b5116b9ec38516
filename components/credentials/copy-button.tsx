"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { copyText } from "./copy";

const CONFIRM_MS = 2500;

/** A copy button with a visible, announced confirmation ("Copied" in a role="status" next to
 * it, for a few seconds), or a way out when the browser refuses. `text` is read on click, so
 * the secret is never rendered into an attribute. */
export function CopyButton({ text, label = "Copy", variant = "primary", disabled, testId }: { text: () => string; label?: string; variant?: ButtonVariant; disabled?: boolean; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    const ok = await copyText(text(), button.current?.closest("dialog"));
    setState(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), ok ? CONFIRM_MS : CONFIRM_MS * 3);
  };

  return (
    <span className="inline-flex items-center gap-2">
      <button ref={button} type="button" onClick={onClick} disabled={disabled} className={buttonClass(variant, "sm")} data-testid={testId}>
        {state === "copied" ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
        {label}
      </button>
      <span role="status" className={`text-sm ${state === "failed" ? "text-red-700" : "font-medium text-emerald-700"}`}>
        {state === "copied" ? "Copied" : state === "failed" ? "Your browser refused to copy. Reveal the text, select it and copy it by hand." : ""}
      </span>
    </span>
  );
}
