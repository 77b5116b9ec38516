import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { markSteppedUp } from "./console-sessions";
import { STEP_UP_WINDOW_MS, type Actor } from "./actor";
import { signInWithPassword } from "./local-sign-in";

// Step-up (ASVS 7.5.3): creating a role or rewriting a trust policy needs
// a sign-in from the last 15 minutes. A person who signed in earlier proves who they are again —
// their password, checked with the same limits as a sign-in — or, with single sign-on, signs in
// with their provider again (which starts a new session).

export const stepUpInput = z.object({ password: z.string().min(1, "Enter your password").max(1000, "That is longer than any password the console accepts") }).strict();

export async function stepUpWithPassword(actor: Actor, password: string, meta: RequestMeta): Promise<{ verifiedUntil: string }> {
  if (actor.authProvider !== "local") {
    throw new AppError("bad_request", "You sign in with single sign-on, which has no password here: sign in with single sign-on again instead.");
  }
  const result = await signInWithPassword(actor.email, password, meta);
  if (!result.ok && result.code === "rate_limited") {
    const refusal = new AppError("rate_limited", `Too many attempts: wait ${result.retryAfter} seconds and try again.`, { retryAfter: result.retryAfter });
    refusal.audited = true; // the sign-in check recorded it
    throw refusal;
  }
  if (!result.ok || result.user.id !== actor.id) {
    await recordAudit({ action: "auth.step_up", outcome: "failure", actor, reason: "Wrong password", request: meta });
    throw new AppError("bad_request", "That password is not right. Try again.", { fields: { password: "Wrong password" } });
  }
  await markSteppedUp(actor.session.id);
  await recordAudit({ action: "auth.step_up", outcome: "success", actor, request: meta, details: { method: "password" } });
  return { verifiedUntil: new Date(Date.now() + STEP_UP_WINDOW_MS).toISOString() };
}
