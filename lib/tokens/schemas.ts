import { z } from "zod";

export const TOKEN_SCOPES = ["switch", "read"] as const;

/** What each scope lets a token do, in words (the tokens page, the API's refusals). */
export const TOKEN_SCOPE_LABELS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  switch: "List your roles and switch into them",
  read: "List your roles only",
};

/** New tokens live this long unless the person picks otherwise (capped by SWITCHBOARD_TOKEN_MAX_DAYS). */
export const DEFAULT_TOKEN_DAYS = 30;

export const tokenIdField = z.string().trim().min(1, "Choose a token").max(64, "A token id is at most 64 characters");

export const createTokenInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Give the token a name, such as the machine it is for")
      .max(64, "A token's name is at most 64 characters")
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, "A token's name cannot hold control characters"),
    scope: z.enum(TOKEN_SCOPES, { error: `Choose what the token may do: ${TOKEN_SCOPES.join(" or ")}` }),
    days: z.coerce.number({ error: "Give the token's lifetime in days" }).int("Give a whole number of days").min(1, "A token lives at least 1 day"),
  })
  .strict();

export type CreateTokenInput = z.infer<typeof createTokenInput>;
