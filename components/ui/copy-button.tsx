"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { buttonClass, type ButtonVariant } from "./button";
import { copyText } from "./copy-text";

const CONFIRM_MS = 2500;

const REFUSED = "Your browser refused to copy. Select the text and copy it by hand.";

/**
 * A copy button with a visible, announced confirmation: the button says "Copied" for a few
 * seconds, and a role="status" beside it announces it (screen readers hear it; the focus stays on
 * the button), or says what to do when the browser refuses. Works on plain http too (copyText
 * falls back to execCommand).
 *
 * The button keeps its width whatever it says: both labels sit in one grid cell and the one not
 * shown is only invisible, so the cell is as wide as the wider of them and nothing beside the
 * button moves when it says "Copied" (a row of buttons at 390 px would otherwise jump).
 */
export function CopyButton({
  text,
  label = "Copy",
  variant = "primary",
  iconOnly = false,
  disabled,
  testId,
  className = "",
  refusedHint = REFUSED,
}: {
  /** What to copy. A function is read on click, so a secret is never rendered into an attribute. */
  text: string | (() => string);
  /** The button's text; for `iconOnly`, its accessible name and tooltip ("Copy ARN"). */
  label?: string;
  variant?: ButtonVariant;
  /** A small icon button, for use inline beside the text it copies (an ARN in a list). */
  iconOnly?: boolean;
  disabled?: boolean;
  testId?: string;
  className?: string;
  /** What to do when the browser refuses (say "reveal it first" where the text is masked). */
  refusedHint?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    // Inside a modal <dialog> the rest of the page is inert: the fallback works inside it.
    const ok = await copyText(typeof text === "function" ? text() : text, button.current?.closest("dialog"));
    setState(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), ok ? CONFIRM_MS : CONFIRM_MS * 3);
  };

  const icon = iconOnly ? "h-3.5 w-3.5" : "h-4 w-4";
  const status = state === "copied" ? "Copied" : state === "failed" ? refusedHint : "";
  return (
    <span className={`inline-flex items-center ${iconOnly ? "gap-1" : "gap-2"} ${className}`}>
      <button
        ref={button}
        type="button"
        onClick={() => void onClick()}
        disabled={disabled}
        aria-label={iconOnly ? label : undefined}
        title={iconOnly ? label : undefined}
        className={iconOnly ? "rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800" : buttonClass(variant, "sm")}
        data-testid={testId}
      >
        {state === "copied" ? <Check className={`${icon} ${iconOnly ? "text-emerald-600" : ""}`} aria-hidden /> : <Copy className={icon} aria-hidden />}
        {iconOnly ? null : (
          <span className="grid text-left">
            {/* visibility:hidden also leaves the hidden label out of the button's name. */}
            <span className={`col-start-1 row-start-1 ${state === "copied" ? "invisible" : ""}`}>{label}</span>
            <span className={`col-start-1 row-start-1 ${state === "copied" ? "" : "invisible"}`}>Copied</span>
          </span>
        )}
      </button>
      {/* The button already shows "Copied": the status only announces it. A refusal needs words
          on screen, so it shows beside the button (rare, and worth the room it takes). */}
      <span
        role="status"
        className={
          iconOnly ? (state === "idle" ? "sr-only" : `text-xs ${state === "failed" ? "text-red-700" : "text-slate-500"}`) : state === "failed" ? "text-sm text-red-700" : "sr-only"
        }
      >
        {status}
      </span>
    </span>
  );
}
