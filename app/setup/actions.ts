"use server";

import { unstable_rethrow } from "next/navigation";
import { AppError } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { requestMeta } from "@/lib/http/request-meta";
import { describeZodError } from "@/lib/http/validation";
import { setupFirstAdmin } from "@/lib/users/bootstrap";
import { setupInput } from "@/lib/users/schemas";

/** Public on purpose (nobody can sign in yet), but only for whoever holds the setup token the
 * server printed at start; and harmless once anyone exists: the store refuses a second first
 * administrator. */
export async function setupAction(raw: unknown): Promise<ActionResult<null>> {
  const parsed = setupInput.safeParse(raw);
  if (!parsed.success) {
    const { message, fields } = describeZodError(parsed.error);
    return { ok: false, error: { code: "bad_request", message, fields } };
  }
  try {
    await setupFirstAdmin(parsed.data, await requestMeta());
    return { ok: true, data: null };
  } catch (err) {
    unstable_rethrow(err);
    if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
    console.error(`[setup] failed: ${err instanceof Error ? err.message : String(err)}`);
    return { ok: false, error: { code: "internal", message: "Something went wrong on our side; try again." } };
  }
}
