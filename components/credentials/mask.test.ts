import { describe, expect, it } from "vitest";
import { CREDENTIAL_FORMATS, renderCredentials } from "@/lib/aws/credential-formats";
import { MASK, maskSecrets } from "./mask";

const credentials = {
  accessKeyId: "ASIAEXAMPLE123456789",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJGMEQCIBExampleSessionToken+/=",
  expiration: "2026-05-01T13:00:00.000Z",
};
const ctx = {
  credentials,
  region: "eu-west-1",
  profileName: "production-adminrole",
  roleArn: "arn:aws:iam::111111111111:role/AdminRole",
  sessionName: "ada",
  sourceProfile: "default",
  durationSeconds: 3600,
};

describe("maskSecrets", () => {
  it.each(CREDENTIAL_FORMATS.map((f) => [f.id]))("hides the secret key and session token in the %s format", (id) => {
    const text = renderCredentials(id, ctx);
    const masked = maskSecrets(text, [credentials.secretAccessKey, credentials.sessionToken]);
    expect(masked).not.toContain(credentials.secretAccessKey);
    expect(masked).not.toContain(credentials.sessionToken);
    // Nothing else changes: the access key id, region and ARN stay readable.
    expect(masked.split(MASK).join("")).toBe(text.split(credentials.secretAccessKey).join("").split(credentials.sessionToken).join(""));
  });

  it("shows the access key id", () => {
    const masked = maskSecrets(renderCredentials("bash", ctx), [credentials.secretAccessKey, credentials.sessionToken]);
    expect(masked).toContain(credentials.accessKeyId);
    expect(masked).toContain(`export AWS_SECRET_ACCESS_KEY='${MASK}'`);
  });

  it("masks a JSON-escaped occurrence too", () => {
    expect(maskSecrets('{"a":"x\\"secretsecret"}', ['x"secretsecret'])).toBe(`{"a":"${MASK}"}`);
  });

  it("ignores empty and implausibly short secrets", () => {
    expect(maskSecrets("set A=1", ["", null, undefined, "1"])).toBe("set A=1");
  });
});
