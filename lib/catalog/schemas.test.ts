// The registry's input schemas: what each field accepts, and the exact sentence a person sees
// when it does not (through describeZodError, as the API routes and server actions report it).
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { describeZodError } from "@/lib/http/validation";
import {
  accountNameField,
  accountRefField,
  aliasField,
  awsAccountIdField,
  colorField,
  createAccountInput,
  createGrantInput,
  environmentField,
  externalIdField,
  importAccountsInput,
  partitionField,
  regionField,
  registerRoleInput,
  roleArnField,
  roleNameField,
  rolePathField,
  sessionDurationField,
  updateAccountInput,
  updateRoleInput,
} from "./schemas";

const ULID = "01JABCDEFGHJKMNPQRSTVWXYZ0";

/** The messages of every issue, in order; [] when the value is accepted. */
function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

/** What the API answers for a refused body: one sentence and the field map. */
function described(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return describeZodError(result.error);
}

const ACCOUNT_ID = "Account ID must be 12 digits";

describe("awsAccountIdField", () => {
  it.each([
    ["123456789012", "123456789012"],
    ["000000000000", "000000000000"],
    ["  123456789012 ", "123456789012"],
  ])("accepts %j as %j", (input, output) => {
    expect(awsAccountIdField.parse(input)).toBe(output);
  });

  it.each([
    ["11 digits", "12345678901"],
    ["13 digits", "1234567890123"],
    ["a letter", "12345678901a"],
    ["dashes", "1234-5678-9012"],
    ["empty", ""],
    ["an ARN", "arn:aws:iam::123456789012:root"],
    ["non-ASCII digits", "١٢٣٤٥٦٧٨٩٠١٢"],
  ])("refuses %s", (_, input) => {
    expect(messages(awsAccountIdField, input)).toEqual([ACCOUNT_ID]);
  });

  it.each([
    ["a number", 123456789012],
    ["null", null],
    ["undefined", undefined],
  ])("refuses %s with the same sentence", (_, input) => {
    expect(messages(awsAccountIdField, input)).toEqual([ACCOUNT_ID]);
  });
});

describe("roleNameField", () => {
  it.each(["Admin", "ReadOnly", "delegate_read_my_bucket", "a+b=c,d.e@f_g-h", "R".repeat(64)])("accepts %j", (name) => {
    expect(roleNameField.parse(name)).toBe(name);
  });

  it.each([
    ["", "Enter the role's name"],
    ["   ", "Enter the role's name"],
    ["R".repeat(65), "A role name has at most 64 characters"],
    ["Read Only", "A role name uses letters, digits and + = , . @ _ - only"],
    ["teams/Admin", "A role name uses letters, digits and + = , . @ _ - only"],
    ["Admin*", "A role name uses letters, digits and + = , . @ _ - only"],
    ["Rôle", "A role name uses letters, digits and + = , . @ _ - only"],
  ])("refuses %j", (name, expected) => {
    // The first problem is the one a form shows.
    expect(described(roleNameField, name).message).toBe(expected);
  });

  it("asks for a name when none is given", () => {
    expect(messages(roleNameField, undefined)).toEqual(["Enter the role's name"]);
  });
});

describe("rolePathField", () => {
  it.each(["/", "/teams/", "/teams/platform/", "/a.b-c_d/"])("accepts %j", (path) => {
    expect(rolePathField.parse(path)).toBe(path);
  });

  const SHAPE = "A path starts and ends with / (for example /teams/platform/)";
  it.each([
    ["no leading slash", "teams/"],
    ["no trailing slash", "/teams"],
    ["empty", ""],
    ["a space inside", "/my team/"],
    ["non-ASCII", "/équipe/"],
  ])("refuses %s", (_, path) => {
    expect(messages(rolePathField, path)).toEqual([SHAPE]);
  });

  it("refuses a path over 512 characters", () => {
    expect(messages(rolePathField, `/${"a".repeat(511)}/`)).toEqual(["A path has at most 512 characters"]);
    expect(messages(rolePathField, `/${"a".repeat(510)}/`)).toEqual([]);
  });
});

describe("roleArnField", () => {
  it.each([
    "arn:aws:iam::123456789012:role/Admin",
    "arn:aws:iam::123456789012:role/teams/platform/Admin",
    "arn:aws-us-gov:iam::123456789012:role/Admin",
    "arn:aws-cn:iam::123456789012:role/teams/Admin",
    "arn:aws-eusc:iam::123456789012:role/Admin",
    `arn:aws:iam::123456789012:role/${"R".repeat(64)}`,
  ])("accepts %s", (arn) => {
    expect(roleArnField.parse(arn)).toBe(arn);
  });

  it("trims what was pasted", () => {
    expect(roleArnField.parse("  arn:aws:iam::123456789012:role/Admin\n")).toBe("arn:aws:iam::123456789012:role/Admin");
  });

  const SHAPE = "A role ARN looks like arn:aws:iam::123456789012:role/RoleName (or role/path/RoleName)";
  it.each([
    ["an unknown partition", "arn:aws-gov:iam::123456789012:role/Admin"],
    ["an upper-case partition", "arn:AWS:iam::123456789012:role/Admin"],
    ["an 11-digit account", "arn:aws:iam::12345678901:role/Admin"],
    ["a region (IAM is global)", "arn:aws:iam:us-east-1:123456789012:role/Admin"],
    ["another service", "arn:aws:sts::123456789012:role/Admin"],
    ["a user", "arn:aws:iam::123456789012:user/Admin"],
    ["an assumed-role session", "arn:aws:sts::123456789012:assumed-role/Admin/alice"],
    ["no role name", "arn:aws:iam::123456789012:role/"],
    ["a path without a name", "arn:aws:iam::123456789012:role/teams/"],
    ["an empty path segment (role//Name)", "arn:aws:iam::123456789012:role//Admin"],
    ["a name over 64 characters", `arn:aws:iam::123456789012:role/${"R".repeat(65)}`],
    ["a space in the name", "arn:aws:iam::123456789012:role/Read Only"],
    ["a wildcard", "arn:aws:iam::123456789012:role/*"],
    ["just a role name", "Admin"],
    ["empty", ""],
  ])("refuses %s", (_, arn) => {
    expect(messages(roleArnField, arn)).toEqual([SHAPE]);
  });

  it("holds the ARN's path to the rules of the path field (at most 512 characters)", () => {
    const arnWithPath = (path: string) => `arn:aws:iam::123456789012:role${path}Admin`;
    for (const path of ["/", "/teams/", `/${"a".repeat(510)}/`, `/${"a".repeat(511)}/`, "//"]) {
      expect({ path, arn: messages(roleArnField, arnWithPath(path)).length === 0 }).toEqual({ path, arn: messages(rolePathField, path).length === 0 });
    }
  });

  it("asks for an ARN when none is given", () => {
    expect(messages(roleArnField, undefined)).toEqual(["Paste a role ARN"]);
  });
});

describe("externalIdField", () => {
  const SHAPE = "An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)";
  it.each([
    ["2 characters", "ab"],
    ["1224 characters", "x".repeat(1224)],
    ["every allowed symbol", "a+b=c,d.e@f:g/h_i-j"],
    ["the seeded demo id", "switchboard-demo-7f3a9c2e"],
  ])("accepts %s", (_, id) => {
    expect(externalIdField.parse(id)).toBe(id);
  });

  it.each([
    ["1 character", "a"],
    ["1225 characters", "x".repeat(1225)],
    ["a space", "my external id"],
    ["a quote", 'abc"def'],
    ["empty", ""],
  ])("refuses %s", (_, id) => {
    expect(messages(externalIdField, id)).toEqual([SHAPE]);
  });
});

describe("sessionDurationField", () => {
  it.each([900, 3600, 43200])("accepts %i seconds", (s) => {
    expect(sessionDurationField.parse(s)).toBe(s);
  });

  it.each([
    [899, "Session duration is at least 900 seconds (15 minutes)"],
    [0, "Session duration is at least 900 seconds (15 minutes)"],
    [-3600, "Session duration is at least 900 seconds (15 minutes)"],
    [43201, "Session duration is at most 43200 seconds (12 hours)"],
    [3600.5, "Session duration is a whole number of seconds"],
  ])("refuses %d", (s, message) => {
    expect(messages(sessionDurationField, s)).toEqual([message]);
  });

  it.each([
    ["a string", "3600"],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("refuses %s as not a number of seconds", (_, value) => {
    expect(messages(sessionDurationField, value)).toEqual(["Session duration is a number of seconds"]);
  });
});

describe("colorField", () => {
  it.each([
    ["#2563eb", "#2563eb"],
    ["#2563EB", "#2563eb"],
    [" #DC2626 ", "#dc2626"],
  ])("accepts %j and stores it as %j", (input, output) => {
    expect(colorField.parse(input)).toBe(output);
  });

  it.each(["2563eb", "#fff", "#2563ebff", "#2563eg", "red", "rgb(0,0,0)", ""])("refuses %j", (input) => {
    expect(messages(colorField, input)).toEqual(["Colour must be a hex colour like #2563eb"]);
  });
});

describe("regionField", () => {
  it.each(["us-east-1", "eu-central-2", "ap-southeast-7", "us-gov-west-1", "cn-north-1", "eusc-de-east-1", "il-central-1"])("accepts %s", (region) => {
    expect(regionField.parse(region)).toBe(region);
  });

  // Region codes become host names: nothing else may get through.
  it.each(["US-EAST-1", "us-east", "useast1", "us_east_1", "us-east-1.evil.example", "evil.example/x?us-east-1", "us-east-123", ""])("refuses %j", (region) => {
    expect(messages(regionField, region)).toEqual(["Region must look like us-east-1 or eu-central-2"]);
  });

  it("asks for a region when none is given", () => {
    expect(messages(regionField, 1)).toEqual(["Enter a region, like us-east-1"]);
  });
});

describe("account fields", () => {
  it.each([
    ["", ["Enter a name"]],
    ["   ", ["Enter a name"]],
    ["N".repeat(61), ["A name has at most 60 characters"]],
    ["N".repeat(60), []],
    [" Production ", []],
  ])("name %j", (name, expected) => {
    expect(messages(accountNameField, name)).toEqual(expected);
  });

  const ALIAS = "An account alias has 3–63 lower-case letters, digits and single hyphens, and does not start or end with a hyphen";
  it.each([
    ["acme-production", true],
    ["abc", true],
    ["a".repeat(63), true],
    ["ab", false],
    ["a".repeat(64), false],
    ["-acme", false],
    ["acme-", false],
    ["acme--prod", false],
    ["Acme", false],
    ["acme_prod", false],
  ])("alias %j accepted: %s", (alias, ok) => {
    expect(messages(aliasField, alias)).toEqual(ok ? [] : [ALIAS]);
  });

  it("names the allowed environments and partitions", () => {
    expect(messages(environmentField, "prod")).toEqual(["Environment must be one of production, staging, development, test, operations, sandbox, other"]);
    expect(messages(partitionField, "aws-gov")).toEqual(["Partition must be one of aws, aws-us-gov, aws-cn, aws-eusc"]);
    expect(environmentField.parse("production")).toBe("production");
    expect(partitionField.parse("aws-cn")).toBe("aws-cn");
  });

  it.each([
    ["123456789012", true],
    [ULID, true],
    ["12345678901", false],
    ["01jabcdefghjkmnpqrstvwxyz0", false],
    ["../../accounts", false],
  ])("account reference %j accepted: %s", (ref, ok) => {
    expect(messages(accountRefField, ref)).toEqual(ok ? [] : ["Name the account by its 12-digit id or its registry id"]);
  });
});

describe("createAccountInput", () => {
  it("accepts the minimum and normalises what it can", () => {
    expect(createAccountInput.parse({ accountId: " 123456789012 ", name: " Production ", color: "#DC2626" })).toEqual({
      accountId: "123456789012",
      name: "Production",
      color: "#dc2626",
    });
  });

  it("reports every wrong field by name", () => {
    expect(described(createAccountInput, { accountId: "12345", name: "", defaultRegion: "mars-1", provisioningRoleName: "Org Admin" })).toEqual({
      message:
        "accountId: Account ID must be 12 digits; name: Enter a name; defaultRegion: Region must look like us-east-1 or eu-central-2; provisioningRoleName: A role name uses letters, digits and + = , . @ _ - only",
      fields: {
        accountId: ACCOUNT_ID,
        name: "Enter a name",
        defaultRegion: "Region must look like us-east-1 or eu-central-2",
        provisioningRoleName: "A role name uses letters, digits and + = , . @ _ - only",
      },
    });
  });

  it("refuses keys it does not know", () => {
    const result = createAccountInput.safeParse({ accountId: "123456789012", name: "Production", owner: "someone" });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([{ code: "unrecognized_keys", keys: ["owner"] }]);
  });

  it("says when the body is not an object", () => {
    expect(described(createAccountInput, "123456789012").message).toBe("The request body must be a JSON object.");
  });
});

describe("updateAccountInput", () => {
  it("accepts a partial change, and null to clear the alias", () => {
    expect(updateAccountInput.parse({ name: "Prod" })).toEqual({ name: "Prod" });
    expect(updateAccountInput.parse({ alias: null })).toEqual({ alias: null });
  });

  it.each([
    ["an empty object", {}],
    ["only undefined values", { name: undefined, notes: undefined }],
  ])("refuses %s: nothing to change", (_, body) => {
    expect(messages(updateAccountInput, body)).toEqual(["Nothing to change"]);
  });

  it("refuses a change of the AWS account id and unknown keys", () => {
    expect(updateAccountInput.safeParse({ accountId: "210987654321" }).error?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "unrecognized_keys", keys: ["accountId"] })]),
    );
    expect(updateAccountInput.safeParse({ name: "X", id: ULID }).error?.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys", keys: ["id"] })]);
  });

  it("validates the fields it does know", () => {
    expect(described(updateAccountInput, { color: "blue" }).fields).toEqual({ color: "Colour must be a hex colour like #2563eb" });
  });
});

describe("importAccountsInput", () => {
  it("accepts no list (all new accounts) or a list of ids", () => {
    expect(importAccountsInput.parse({})).toEqual({});
    expect(importAccountsInput.parse({ accountIds: ["111111111111", "222222222222"] })).toEqual({ accountIds: ["111111111111", "222222222222"] });
  });

  it("names the bad id in the list", () => {
    expect(described(importAccountsInput, { accountIds: ["111111111111", "2222"] }).fields).toEqual({ "accountIds.1": ACCOUNT_ID });
    expect(importAccountsInput.safeParse({ accountIds: [], all: true }).error?.issues).toMatchObject([{ code: "unrecognized_keys", keys: ["all"] }]);
  });
});

describe("registerRoleInput", () => {
  it("accepts an account id and role name, with a path", () => {
    expect(registerRoleInput.parse({ accountId: "111111111111", roleName: "ReadOnly", path: "/teams/" })).toEqual({ accountId: "111111111111", roleName: "ReadOnly", path: "/teams/" });
  });

  it("accepts a pasted ARN with options", () => {
    expect(registerRoleInput.parse({ roleArn: "arn:aws-us-gov:iam::111111111111:role/Audit", externalId: "ext-1234", sessionDuration: 7200 })).toEqual({
      roleArn: "arn:aws-us-gov:iam::111111111111:role/Audit",
      externalId: "ext-1234",
      sessionDuration: 7200,
    });
  });

  it("says which shapes it takes when given neither", () => {
    expect(described(registerRoleInput, {}).message).toBe("Give either { accountId, roleName } or { roleArn }");
    expect(described(registerRoleInput, { displayName: "Read only" }).message).toBe("Give either { accountId, roleName } or { roleArn }");
  });

  it("reports the bad field of the shape that was meant", () => {
    expect(described(registerRoleInput, { roleArn: "arn:aws:iam::111111111111:user/alice" }).fields).toEqual({
      roleArn: "A role ARN looks like arn:aws:iam::123456789012:role/RoleName (or role/path/RoleName)",
    });
    expect(described(registerRoleInput, { accountId: "1111", roleName: "ReadOnly" }).fields).toEqual({ accountId: ACCOUNT_ID });
    expect(described(registerRoleInput, { roleArn: "arn:aws:iam::111111111111:role/ReadOnly", sessionDuration: 60 }).fields).toEqual({
      sessionDuration: "Session duration is at least 900 seconds (15 minutes)",
    });
    expect(described(registerRoleInput, { roleArn: "arn:aws:iam::111111111111:role/ReadOnly", externalId: "x" }).fields).toEqual({
      externalId: "An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)",
    });
  });

  it("refuses both shapes at once (an ARN and an account id could disagree)", () => {
    expect(registerRoleInput.safeParse({ roleArn: "arn:aws:iam::111111111111:role/ReadOnly", accountId: "222222222222", roleName: "ReadOnly" }).success).toBe(false);
  });
});

describe("updateRoleInput", () => {
  it("accepts a change, and null to clear the ExternalId", () => {
    expect(updateRoleInput.parse({ displayName: "Prod read-only" })).toEqual({ displayName: "Prod read-only" });
    expect(updateRoleInput.parse({ externalId: null })).toEqual({ externalId: null });
    expect(updateRoleInput.parse({ sourceIdentity: false })).toEqual({ sourceIdentity: false });
  });

  it("refuses an empty change", () => {
    expect(messages(updateRoleInput, {})).toEqual(["Nothing to change"]);
  });

  it("refuses moving the entry to another role or account", () => {
    for (const [key, value] of [
      ["roleName", "Admin"],
      ["accountId", "222222222222"],
      ["roleArn", "arn:aws:iam::222222222222:role/Admin"],
    ]) {
      expect(updateRoleInput.safeParse({ [key!]: value }).error?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: "unrecognized_keys", keys: [key] })]));
      expect(updateRoleInput.safeParse({ displayName: "X", [key!]: value }).error?.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys", keys: [key] })]);
    }
  });

  it("checks the types it takes", () => {
    expect(described(updateRoleInput, { sourceIdentity: "yes" }).fields).toEqual({ sourceIdentity: "sourceIdentity must be true or false" });
    expect(described(updateRoleInput, { sessionDuration: 50000 }).fields).toEqual({ sessionDuration: "Session duration is at most 43200 seconds (12 hours)" });
  });
});

describe("createGrantInput", () => {
  it("takes a user by email (stored lower-case) or a group", () => {
    expect(createGrantInput.parse({ roleId: ULID, userEmail: " Alice@Example.COM " })).toEqual({ roleId: ULID, userEmail: "alice@example.com" });
    expect(createGrantInput.parse({ roleId: ULID, group: " platform-sre " })).toEqual({ roleId: ULID, group: "platform-sre" });
  });

  it("requires one of userEmail or group", () => {
    expect(described(createGrantInput, { roleId: ULID }).message).toBe("Give { roleId, userEmail } or { roleId, group }");
  });

  it("refuses both userEmail and group", () => {
    const result = createGrantInput.safeParse({ roleId: ULID, userEmail: "alice@example.com", group: "platform-sre" });
    expect(result.success).toBe(false);
  });

  it("explains a bad role id, email or group", () => {
    expect(described(createGrantInput, { roleId: "42", userEmail: "alice@example.com" }).fields).toEqual({ roleId: "roleId is not a valid id" });
    expect(described(createGrantInput, { roleId: ULID, userEmail: "alice" }).fields).toEqual({ userEmail: "Enter a valid email address, like alice@example.com" });
    expect(described(createGrantInput, { roleId: ULID, group: "   " }).fields).toEqual({ group: "Enter a group name" });
    expect(described(createGrantInput, { roleId: ULID, group: "g".repeat(257) }).fields).toEqual({ group: "A group name has at most 256 characters" });
  });
});
