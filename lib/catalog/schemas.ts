// Input schemas for the registry: accounts, role entries and grants. Shared by the API routes,
// the server actions and the pages, so that the same input gets the same message everywhere.
// IAM's rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
import { z } from "zod";
import { isRegion } from "@/lib/aws/partitions";
import { ENVIRONMENTS, PARTITIONS } from "@/lib/db/schema";
import { emailField } from "@/lib/users/schemas";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const idField = (what: string) => z.string().regex(ULID, `${what} is not a valid id`);

export const awsAccountIdField = z
  .string({ error: "Account ID must be 12 digits" })
  .trim()
  .regex(/^\d{12}$/, "Account ID must be 12 digits");

export const accountNameField = z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(60, "A name has at most 60 characters");

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html
export const aliasField = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/, "An account alias has 3–63 lower-case letters, digits and single hyphens, and does not start or end with a hyphen");

export const environmentField = z.enum(ENVIRONMENTS, { error: `Environment must be one of ${ENVIRONMENTS.join(", ")}` });
export const partitionField = z.enum(PARTITIONS, { error: `Partition must be one of ${PARTITIONS.join(", ")}` });

export const regionField = z
  .string({ error: "Enter a region, like us-east-1" })
  .trim()
  .refine(isRegion, "Region must look like us-east-1 or eu-central-2");

export const colorField = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, "Colour must be a hex colour like #2563eb")
  .transform((c) => c.toLowerCase());

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
export const roleNameField = z
  .string({ error: "Enter the role's name" })
  .trim()
  .min(1, "Enter the role's name")
  .max(64, "A role name has at most 64 characters")
  .regex(/^[\w+=,.@-]+$/, "A role name uses letters, digits and + = , . @ _ - only");

export const rolePathField = z
  .string()
  .trim()
  .max(512, "A path has at most 512 characters")
  .regex(/^\/$|^\/[\u0021-\u007E]+\/$/, "A path starts and ends with / (for example /teams/platform/)");

export const roleArnField = z
  .string({ error: "Paste a role ARN" })
  .trim()
  .regex(
    /^arn:(aws|aws-us-gov|aws-cn|aws-eusc):iam::\d{12}:role(\/|\/[\u0021-\u007E]{1,510}\/)[\w+=,.@-]{1,64}$/,
    "A role ARN looks like arn:aws:iam::123456789012:role/RoleName (or role/path/RoleName)",
  );

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId)
export const externalIdField = z
  .string()
  .trim()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, "An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)");

export const sessionDurationField = z
  .number({ error: "Session duration is a number of seconds" })
  .int("Session duration is a whole number of seconds")
  .min(900, "Session duration is at least 900 seconds (15 minutes)")
  .max(43200, "Session duration is at most 43200 seconds (12 hours)");

export const displayNameField = z.string().trim().min(1, "Enter a display name").max(80, "A display name has at most 80 characters");
export const notesField = z.string().max(2000, "Notes have at most 2000 characters");
export const descriptionField = z.string().max(1000, "A description has at most 1000 characters");

// ---- Accounts -------------------------------------------------------------------------------

export const createAccountInput = z
  .object({
    accountId: awsAccountIdField,
    name: accountNameField,
    alias: aliasField.nullish(),
    environment: environmentField.optional(),
    color: colorField.optional(),
    partition: partitionField.optional(),
    defaultRegion: regionField.optional(),
    provisioningRoleName: roleNameField.optional(),
    notes: notesField.optional(),
  })
  .strict();
export type CreateAccountInput = z.infer<typeof createAccountInput>;

export const updateAccountInput = createAccountInput
  .omit({ accountId: true })
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");
export type UpdateAccountInput = z.infer<typeof updateAccountInput>;

export const importAccountsInput = z
  .object({
    /** Which of the organization's accounts to add; all new ones when absent. */
    accountIds: z.array(awsAccountIdField).max(5000).optional(),
  })
  .strict();

/** `/api/v1/accounts/{id}` takes the 12-digit AWS id or the registry's own id. */
export const accountRefField = z.string().trim().refine((v) => /^\d{12}$/.test(v) || ULID.test(v), "Name the account by its 12-digit id or its registry id");

// ---- Role entries ---------------------------------------------------------------------------

const roleOptions = {
  displayName: displayNameField.optional(),
  color: colorField.nullish(),
  defaultRegion: regionField.nullish(),
  sessionDuration: sessionDurationField.nullish(),
  externalId: externalIdField.nullish(),
  sourceIdentity: z.boolean({ error: "sourceIdentity must be true or false" }).optional(),
  description: descriptionField.optional(),
};

export const registerRoleInput = z.union([
  z.object({ accountId: awsAccountIdField, roleName: roleNameField, path: rolePathField.optional(), ...roleOptions }).strict(),
  z.object({ roleArn: roleArnField, ...roleOptions }).strict(),
], { error: "Give either { accountId, roleName } or { roleArn }" });
export type RegisterRoleInput = z.infer<typeof registerRoleInput>;

/** At most this many roles are registered from one Discover listing (its own limit). */
export const MAX_DISCOVERED_AT_ONCE = 5000;

/** Discover's register: the chosen roles of one account, each with the ExternalId its trust
 * policy requires, when it requires one. */
export const registerDiscoveredInput = z
  .object({
    accountRef: accountRefField,
    roleArns: z.array(roleArnField).min(1, "Choose at least one role").max(MAX_DISCOVERED_AT_ONCE, `Choose at most ${MAX_DISCOVERED_AT_ONCE} roles at once`),
    externalIds: z
      // Keyed by role ARN; each key must be one of roleArns (below), which says so more clearly
      // than a key schema's "Invalid key in record".
      .record(z.string().max(2048, "A role ARN has at most 2048 characters"), externalIdField)
      .refine((ids) => Object.keys(ids).length <= MAX_DISCOVERED_AT_ONCE, `Give at most ${MAX_DISCOVERED_AT_ONCE} ExternalIds`)
      .optional(),
  })
  .strict()
  .refine((v) => Object.keys(v.externalIds ?? {}).every((arn) => v.roleArns.includes(arn)), {
    message: "An ExternalId is given for a role that is not chosen",
    path: ["externalIds"],
  });
export type RegisterDiscoveredInput = z.infer<typeof registerDiscoveredInput>;

export const updateRoleInput = z
  .object(roleOptions)
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");
export type UpdateRoleInput = z.infer<typeof updateRoleInput>;

// ---- Grants ---------------------------------------------------------------------------------

export const groupField = z.string().trim().min(1, "Enter a group name").max(256, "A group name has at most 256 characters");

/** The longest a grant may be given for, from now: a year (longer is standing access; give no expiry). */
export const MAX_GRANT_EXPIRY_MS = 365 * 24 * 3600 * 1000;

/** When a grant stops giving access: an ISO 8601 time (with its offset), in the future and at most
 * a year away. Normalised to the store's form (UTC, milliseconds). Checked against the clock when
 * it is parsed. */
export const grantExpiryField = z
  .iso.datetime({ offset: true, error: "expiresAt must be an ISO 8601 time like 2026-01-31T12:00:00Z" })
  .transform((v) => new Date(v).toISOString())
  .refine((v) => Date.parse(v) > Date.now(), "The expiry must be in the future")
  .refine((v) => Date.parse(v) <= Date.now() + MAX_GRANT_EXPIRY_MS, "The expiry is at most a year from now; for longer access, give no expiry");

export const createGrantInput = z.union(
  [
    z.object({ roleId: idField("roleId"), userEmail: emailField, expiresAt: grantExpiryField.optional() }).strict(),
    z.object({ roleId: idField("roleId"), group: groupField, expiresAt: grantExpiryField.optional() }).strict(),
  ],
  { error: "Give { roleId, userEmail } or { roleId, group }" },
);
export type CreateGrantInput = z.infer<typeof createGrantInput>;

/** Grants made at once stay reviewable: at most this many (role, person or group) pairs. */
export const MAX_GRANTS_AT_ONCE = 1000;

export const createGrantsInput = z
  .object({
    roleIds: z.array(idField("roleIds")).min(1, "Choose at least one role").max(500, "Choose at most 500 roles at once"),
    userEmails: z.array(emailField).max(500, "Choose at most 500 people at once").default([]),
    groups: z.array(groupField).max(50, "Give at most 50 groups at once").default([]),
    expiresAt: grantExpiryField.optional(),
  })
  .strict()
  .refine((v) => v.userEmails.length + v.groups.length > 0, { message: "Choose at least one person or group", path: ["userEmails"] })
  .refine((v) => v.roleIds.length * (v.userEmails.length + v.groups.length) <= MAX_GRANTS_AT_ONCE, {
    message: `That is more than ${MAX_GRANTS_AT_ONCE} grants at once; grant fewer roles or people in each step`,
    path: ["roleIds"],
  });
export type CreateGrantsInput = z.infer<typeof createGrantsInput>;

/** A grant's expiry changed (a time) or removed (null). */
export const updateGrantInput = z.object({ expiresAt: grantExpiryField.nullable() }, { error: "Give { expiresAt }: an ISO 8601 time, or null for no expiry" }).strict();
export type UpdateGrantInput = z.infer<typeof updateGrantInput>;
/** The same, for the server action (the grant's id in the input). */
export const updateGrantActionInput = z.object({ id: idField("id"), expiresAt: grantExpiryField.nullable() }).strict();

export const deleteGrantsInput = z
  .object({ ids: z.array(idField("ids")).min(1, "Choose at least one grant").max(MAX_GRANTS_AT_ONCE, `Remove at most ${MAX_GRANTS_AT_ONCE} grants at once`) })
  .strict();

export const listGrantsQuery = z
  .object({
    roleId: idField("roleId").optional(),
    userEmail: emailField.optional(),
    group: groupField.optional(),
    accountId: idField("accountId").optional(),
  })
  .strict();
export type ListGrantsFilter = z.infer<typeof listGrantsQuery>;
