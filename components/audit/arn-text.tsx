import { Fragment } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { splitArns } from "./arn";

/** Text with its ARNs shortened ("role/ReadOnly" and the account), each with the full ARN on
 * hover and a button that copies it. An ARN is never broken across lines. */
export function ArnText({ text }: { text: string }) {
  return (
    <>
      {splitArns(text).map((part, i) =>
        part.kind === "text" ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : (
          <span key={i} className="inline-flex max-w-full items-baseline gap-1 whitespace-nowrap align-baseline">
            <abbr title={part.arn} className="truncate font-mono text-xs no-underline" data-arn={part.arn}>
              {part.short}
            </abbr>
            {part.account ? <span className="font-mono text-xs text-slate-600">{part.account}</span> : null}
            <CopyButton iconOnly text={part.arn} label={`Copy the ARN ${part.arn}`} className="self-center" />
          </span>
        ),
      )}
    </>
  );
}
