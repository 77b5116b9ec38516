"use client";

import { X } from "lucide-react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/** What takes the focus when a dialog opens: the element its author marked (data-initial-focus),
 * else its first field, else its first control. */
const MARKED = "[data-initial-focus]";
const FIRST_FIELD = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';
const FIRST_CONTROL = 'button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** A modal on the native <dialog>: focus is trapped and Escape closes it, for free. Its body
 * mounts once the dialog is open, so a field marked autoFocus takes the focus; without one, the
 * element marked data-initial-focus, the first field or the first control of the body does,
 * rather than Close, which comes first in the DOM: a person opens a dialog to fill it in
 * (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/). */
export function Dialog({ open, onClose, title, description, children }: { open: boolean; onClose: () => void; title: string; description?: ReactNode; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  // One id per dialog: a page keeps several closed dialogs in the DOM, and a shared id would
  // name every dialog after the first one's title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
    setShown(open);
  }, [open]);
  useEffect(() => {
    if (!shown || body.current?.contains(document.activeElement)) return;
    const first = [MARKED, FIRST_FIELD, FIRST_CONTROL].map((selector) => body.current?.querySelector<HTMLElement>(selector)).find(Boolean);
    first?.focus();
  }, [shown]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      className="m-auto w-[calc(100%-1.5rem)] max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
        </div>
        <button type="button" onClick={onClose} className="shrink-0 rounded p-1 text-slate-600 hover:bg-slate-100" aria-label="Close">
          <X className="h-4 w-4" aria-hidden />
        </button>
      </div>
      <div ref={body} className="px-5 py-4">
        {shown ? children : null}
      </div>
    </dialog>
  );
}
