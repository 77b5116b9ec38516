"use server";

import { z } from "zod";
import { applyConfigImportInput, previewConfigImportInput } from "@/lib/catalog/config-import";
import { applyConfigImport, previewConfigImport } from "@/lib/catalog/config-import-plan";
import { createGrant, deleteGrant } from "@/lib/catalog/grants";
import { discoverRoles, registerDiscovered } from "@/lib/catalog/discover";
import { deleteRole, registerRole, updateRole } from "@/lib/catalog/roles";
import { accountRefField, createGrantInput, idField, registerDiscoveredInput, registerRoleInput, updateRoleInput } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";
import { revokeRoleSessions, revokeRoleSessionsInput } from "@/lib/revocation/revoke";
import { testRole } from "@/lib/sessions/test-role";
import type { DiscoveredView, TestOutcome } from "./types";

const roleLabel = (r: { displayName: string; roleArn: string }) => ({ displayName: r.displayName, roleArn: r.roleArn });

export const registerRoleAction = protectedAction({ permission: "roles.manage", input: registerRoleInput }, async ({ actor, input, meta }) =>
  roleLabel(await registerRole(actor, input, meta)),
);

export const updateRoleAction = protectedAction(
  { permission: "roles.manage", input: z.object({ id: idField("id"), patch: updateRoleInput }).strict() },
  async ({ actor, input, meta }) => roleLabel(await updateRole(actor, input.id, input.patch, meta)),
);

export const deleteRoleAction = protectedAction({ permission: "roles.manage", input: z.object({ id: idField("id") }).strict() }, async ({ actor, input, meta }) => {
  await deleteRole(actor, input.id, meta);
  return { ok: true as const };
});

/** The fix a denial explanation suggests, as text the page can show in a <pre>. Read defensively:
 * the explanation is structured help from lib/aws, and only these parts are shown. */
function fixOf(explanation: unknown): { where: string; statement: string } | null {
  const fix = (explanation as { fix?: { where?: unknown; statement?: unknown } } | undefined)?.fix;
  if (!fix || typeof fix.where !== "string" || fix.statement === undefined) return null;
  return { where: fix.where, statement: typeof fix.statement === "string" ? fix.statement : JSON.stringify(fix.statement, null, 2) };
}

export const testRoleAction = protectedAction({ permission: "roles.manage", input: z.object({ id: idField("id") }).strict() }, async ({ actor, input, meta }): Promise<TestOutcome> => {
  const result = await testRole(actor, input.id, meta);
  if (result.ok) return { ok: true, message: result.message, assumedRoleArn: result.assumedRoleArn };
  const summary = (result.explanation as { summary?: unknown } | undefined)?.summary;
  return { ok: false, message: result.message, code: result.code, summary: typeof summary === "string" ? summary : null, fix: fixOf(result.explanation) };
});

export const discoverRolesAction = protectedAction({ permission: "roles.manage", input: z.object({ accountRef: accountRefField }).strict() }, async ({ actor, input }) => {
  const { roles } = await discoverRoles(actor, input.accountRef);
  return roles.map(
    (r): DiscoveredView => ({
      roleName: r.roleName,
      path: r.path,
      roleArn: r.roleArn,
      description: r.description,
      trust: r.trust,
      brokerAccess: r.brokerAccess,
      trustedPrincipals: r.trustedPrincipals,
      reason: r.reason,
      fullAdmin: r.fullAdmin,
      policiesChecked: r.policiesChecked,
      maxSessionDuration: r.maxSessionDuration,
      serviceLinked: r.serviceLinked,
      registered: r.registeredId !== null,
    }),
  );
});

export const registerDiscoveredAction = protectedAction(
  { permission: "roles.manage", input: registerDiscoveredInput },
  async ({ actor, input, meta }) => {
    const { added, skipped } = await registerDiscovered(actor, input.accountRef, input.roleArns, meta, input.externalIds);
    return { added: added.map(roleLabel), skipped };
  },
);

/** The config file import (Import from a config file): what the file would register, then the
 * chosen accounts and roles registered in one transaction. Registering accounts and roles are
 * both administrators' (accounts.manage, roles.manage): the operation checks both. */
export const previewConfigImportAction = protectedAction({ permission: "roles.manage", input: previewConfigImportInput }, async ({ actor, input }) => previewConfigImport(actor, input));

export const applyConfigImportAction = protectedAction({ permission: "roles.manage", input: applyConfigImportInput }, async ({ actor, input, meta }) => applyConfigImport(actor, input, meta));

export const createGrantAction = protectedAction({ permission: "grants.manage", input: createGrantInput }, async ({ actor, input, meta }) => {
  const grant = await createGrant(actor, input, meta);
  return { subject: grant.user?.email ?? `group ${grant.group}`, roleLabel: grant.roleLabel };
});

export const deleteGrantAction = protectedAction({ permission: "grants.manage", input: z.object({ id: idField("id") }).strict() }, async ({ actor, input, meta }) => {
  await deleteGrant(actor, input.id, meta);
  return { ok: true as const };
});

export const revokeRoleSessionsAction = protectedAction(
  { permission: "sessions.revoke", input: z.object({ roleId: idField("roleId"), ...revokeRoleSessionsInput.shape }).strict() },
  // An AWS failure comes back as the action's error (aws_denied, upstream_error), in words.
  async ({ actor, input, meta }) => ({ message: (await revokeRoleSessions(actor, input.roleId, { userEmail: input.userEmail }, meta)).message }),
);
