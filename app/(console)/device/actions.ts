"use server";

import { approveDeviceRequest, denyDeviceRequest, findDeviceRequest } from "@/lib/device/device";
import { userCodeInput } from "@/lib/device/schemas";
import { protectedAction } from "@/lib/http/action";

// The device sign-in's approval page (RFC 8628 §3.3). Each takes the code the person typed; the
// token a command line gets is theirs, so each needs the right to switch (as making a switch
// token does), and wrong codes count against them (lib/ratelimit/device.ts).

// Which command line waits for this code: shown before anything is decided.
export const findDeviceRequestAction = protectedAction({ permission: "sessions.create", input: userCodeInput }, ({ actor, input, meta }) => findDeviceRequest(actor, input.code, meta));

// The command line's next poll gets a token for this person (scope switch).
export const approveDeviceAction = protectedAction({ permission: "sessions.create", input: userCodeInput }, ({ actor, input, meta }) => approveDeviceRequest(actor, input.code, meta));

// The command line's next poll is told access_denied.
export const denyDeviceAction = protectedAction({ permission: "sessions.create", input: userCodeInput }, ({ actor, input, meta }) => denyDeviceRequest(actor, input.code, meta));
