// Request bodies of /api/v1/provisioning beyond the wizard document itself.
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { wizardDocumentInput } from "@/lib/provision/schema";

export const applyInput = z
  .object({
    document: wizardDocumentInput,
    /** The plan's lint warnings were read and accepted (errors always block). */
    acknowledgeWarnings: z.boolean({ error: "acknowledgeWarnings must be true or false" }).default(false),
  })
  .strict();

/** `Idempotency-Key`: what a client sends to make a retried apply safe (a UUID, say). */
export const idempotencyKeyInput = z
  .string()
  .min(1, "Idempotency-Key must not be empty")
  .max(255, "Idempotency-Key has at most 255 characters")
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");

/** The header's value, checked; absent → undefined; malformed → a 400 that says why. */
export function idempotencyKeyHeader(value: string | null): string | undefined {
  if (value === null) return undefined;
  const parsed = idempotencyKeyInput.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Idempotency-Key is not valid", { "header.Idempotency-Key": parsed.error.issues[0]?.message ?? "Not valid" });
  return parsed.data;
}
