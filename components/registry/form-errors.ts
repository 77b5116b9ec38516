import type { ActionError } from "@/lib/http/action";

/** Splits a server action's error into per-field messages (for the fields the form shows) and a
 * summary worth showing above the form: the server's own sentence when it says more than the
 * field messages do (e.g. "Account 1111… is not registered yet. Register it first"), or the
 * messages of fields the form does not have. `prefix` strips a wrapper ("patch."). */
export function formErrors(error: ActionError | null, known: readonly string[], prefix = ""): { field: (name: string) => string | undefined; summary: string | null } {
  if (!error) return { field: () => undefined, summary: null };
  const fields: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [key, text] of Object.entries(error.fields ?? {})) {
    const name = prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key;
    if (known.includes(name)) fields[name] ??= text;
    else unknown.push(text);
  }
  // describeZodError joins the field messages into its message; anything else is the server's
  // own explanation and is shown in full.
  const zodSummary = Object.entries(error.fields ?? {})
    .map(([key, text]) => (key === "_" ? text : `${key}: ${text}`))
    .join("; ");
  const shown = Object.keys(fields).length > 0;
  const summary = !shown ? error.message : unknown.length ? unknown.join(" ") : error.message !== zodSummary ? error.message : null;
  return { field: (name) => fields[name], summary };
}
