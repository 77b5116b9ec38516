// What the device sign-in's entry points accept (RFC 8628, with JSON bodies: the console's API
// takes JSON only, so the command line sends the RFC's parameters as a JSON object instead of a
// form). Shared: the approval page uses userCodeInput's messages too.
import { z } from "zod";
import { DEVICE_CLIENT_ID, DEVICE_GRANT_TYPE, normalizeUserCode, USER_CODE_EXAMPLE } from "./codes";

/** What the command line says it is, shown to the person who approves, and the token's name. */
export const deviceDescription = z
  .string({ error: "Say what is asking, e.g. “switchboard CLI on host laptop (linux)”" })
  .trim()
  .min(1, "Say what is asking, e.g. “switchboard CLI on host laptop (linux)”")
  .max(64, "The description is at most 64 characters")
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "The description cannot hold control characters");

// POST /api/v1/device/authorizations (RFC 8628 §3.1)
export const startDeviceInput = z
  .object({
    client_id: z.literal(DEVICE_CLIENT_ID, { error: `client_id must be "${DEVICE_CLIENT_ID}": this console knows only its own command line` }),
    scope: z.literal("switch", { error: 'scope must be "switch": a device sign-in gives a token that lists your roles and switches into them' }).optional(),
    description: deviceDescription,
  })
  .strict();

export type StartDeviceInput = z.infer<typeof startDeviceInput>;

// POST /api/v1/device/token (RFC 8628 §3.4)
export const pollDeviceInput = z
  .object({
    grant_type: z.literal(DEVICE_GRANT_TYPE, { error: `grant_type must be "${DEVICE_GRANT_TYPE}"` }),
    device_code: z.string({ error: "Send the device_code the console gave when the sign-in started" }).min(1, "Send the device_code the console gave when the sign-in started").max(128, "A device_code is at most 128 characters"),
    client_id: z.literal(DEVICE_CLIENT_ID, { error: `client_id must be "${DEVICE_CLIENT_ID}"` }),
  })
  .strict();

export type PollDeviceInput = z.infer<typeof pollDeviceInput>;

/** The code a person types on the approval page: normalised to its 8 letters. */
export const userCodeField = z
  .string({ error: `Type the code the command line shows, like ${USER_CODE_EXAMPLE}` })
  .max(32, `A code is 8 letters, like ${USER_CODE_EXAMPLE}`)
  .transform((typed, ctx) => {
    const code = normalizeUserCode(typed);
    if (code) return code;
    ctx.addIssue({
      code: "custom",
      message: typed.trim()
        ? `That is not a sign-in code: codes are 8 letters (no vowels, no digits), like ${USER_CODE_EXAMPLE}. Check what the command line shows.`
        : `Type the code the command line shows, like ${USER_CODE_EXAMPLE}`,
    });
    return z.NEVER;
  });

export const userCodeInput = z.object({ code: userCodeField }).strict();
