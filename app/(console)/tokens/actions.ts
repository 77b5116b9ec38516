"use server";

import { z } from "zod";
import { protectedAction } from "@/lib/http/action";
import { createTokenInput, tokenIdField } from "@/lib/tokens/schemas";
import { createToken, revokeToken } from "@/lib/tokens/tokens";

// The token is in this answer once (the page shows it with a copy button) and never again.
export const createTokenAction = protectedAction({ permission: "sessions.create", input: createTokenInput }, ({ actor, input, meta }) =>
  createToken(actor, input, meta),
);

// A person revokes their own tokens; an administrator (users.manage) anyone's.
export const revokeTokenAction = protectedAction({ permission: null, input: z.object({ id: tokenIdField }).strict() }, ({ actor, input, meta }) =>
  revokeToken(actor, input.id, meta),
);
