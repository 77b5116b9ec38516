import type { z } from "zod";

/** Turns a zod error into one sentence for people and a field → message map for forms:
 * "accountId: Account ID must be 12 digits; name: Enter a name". */
export function describeZodError(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const root = error.issues.find((i) => i.path.length === 0 && i.code === "invalid_type");
  if (root) return { message: "The request body must be a JSON object.", fields: {} };
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    fields[key] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([field, text]) => (field === "_" ? text : `${field}: ${text}`))
    .join("; ");
  return { message, fields };
}
