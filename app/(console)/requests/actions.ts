"use server";

import { z } from "zod";
import { approveAccessRequest, cancelAccessRequest, createAccessRequest, denyAccessRequest, endAccessRequest, extendAccessRequest, reviewBreakGlass } from "@/lib/access/requests";
import { approveInput, createAccessRequestInput, denyInput, endInput, extendInput, reviewInput } from "@/lib/access/schemas";
import { idField } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";

const id = idField("Request id");

// Each step of a request: the operation checks who may take it (the requester, an approver of
// the entry's policy, an administrator), audits refusals, and answers the request as it now stands.
export const createAccessRequestAction = protectedAction({ permission: "sessions.create", input: createAccessRequestInput }, ({ actor, input, meta }) => createAccessRequest(actor, input, meta));

export const approveAccessRequestAction = protectedAction({ permission: "sessions.create", input: approveInput.extend({ id }) }, ({ actor, input: { id, ...body }, meta }) =>
  approveAccessRequest(actor, id, body, meta),
);

export const denyAccessRequestAction = protectedAction({ permission: "sessions.create", input: denyInput.extend({ id }) }, ({ actor, input, meta }) => denyAccessRequest(actor, input.id, input.comment, meta));

export const cancelAccessRequestAction = protectedAction({ permission: "sessions.create", input: z.object({ id }).strict() }, ({ actor, input, meta }) => cancelAccessRequest(actor, input.id, meta));

export const extendAccessRequestAction = protectedAction({ permission: "sessions.create", input: extendInput.extend({ id }) }, ({ actor, input: { id, ...body }, meta }) =>
  extendAccessRequest(actor, id, body, meta),
);

export const endAccessRequestAction = protectedAction({ permission: "sessions.create", input: endInput.extend({ id }) }, ({ actor, input, meta }) => endAccessRequest(actor, input.id, input.comment, meta));

export const reviewBreakGlassAction = protectedAction({ permission: "sessions.create", input: reviewInput.extend({ id }) }, ({ actor, input: { id, ...body }, meta }) =>
  reviewBreakGlass(actor, id, body, meta),
);
