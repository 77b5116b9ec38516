"use client";

import { Download } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { downloadText } from "./download";

/** Read-only text (a policy, an export) with Copy and Download. */
export function CodeBlock({
  text,
  label,
  file,
  testId,
  actions,
  maxHeight = "max-h-96",
}: {
  text: string;
  /** What the buttons copy and download, for screen readers ("trust policy"). */
  label: string;
  file: { name: string; type: string };
  testId?: string;
  actions?: ReactNode;
  maxHeight?: string;
}) {
  return (
    <div className="overflow-hidden rounded-md border border-slate-200" data-testid={testId}>
      <div className="flex flex-wrap items-center justify-end gap-2 border-b border-slate-200 bg-slate-50 px-2 py-1.5">
        {actions ? <div className="mr-auto flex items-center gap-2">{actions}</div> : null}
        <CopyButton text={() => text} label="Copy" variant="secondary" testId={testId ? `${testId}-copy` : undefined} />
        <Button size="sm" variant="secondary" onClick={() => downloadText(file.name, text, file.type)} aria-label={`Download ${label} as ${file.name}`} title={`Download ${file.name}`}>
          <Download className="h-4 w-4" aria-hidden />
          Download
        </Button>
      </div>
      <pre className={`${maxHeight} overflow-auto bg-white p-3 font-mono text-xs leading-5 text-slate-800`} tabIndex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
    </div>
  );
}
