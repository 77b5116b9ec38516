import { describe, expect, it } from "vitest";
import { decodePolicyDocument, describeTrustError } from "./trust-update";

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("decodePolicyDocument", () => {
  it("URL-decodes IAM's AssumeRolePolicyDocument and formats it", () => {
    const encoded = encodeURIComponent('{"Version":"2012-10-17","Statement":[]}');
    expect(decodePolicyDocument(encoded)).toBe('{\n  "Version": "2012-10-17",\n  "Statement": []\n}');
  });
  it("accepts plain JSON (an endpoint that does not encode) and leaves non-JSON as it is", () => {
    expect(decodePolicyDocument('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(decodePolicyDocument("%E0%A4%A")).toBe("%E0%A4%A");
  });
});

describe("describeTrustError", () => {
  it.each<[string, Error, RegExp]>([
    ["access denied on save", awsError("AccessDeniedException", "not authorized"), /not allowed to change R's trust policy \(iam:UpdateAssumeRolePolicy\)/],
    ["an invalid principal", awsError("MalformedPolicyDocumentException", "Invalid principal in policy: \"AWS\":\"arn:aws:iam::222222222222:role/Nope\""), /does not accept a principal/],
    ["another malformed document", awsError("MalformedPolicyDocument", "Syntax errors in policy."), /refused the policy as malformed: Syntax errors/],
    ["a role that is gone", awsError("NoSuchEntityException", "The role cannot be found"), /R no longer exists in Production/],
    ["a service-linked role", awsError("UnmodifiableEntityException", "protected"), /protected/],
    ["anything else", awsError("ServiceFailure", "boom"), /ServiceFailure: boom/],
  ])("%s", (_name, err, expected) => {
    expect(describeTrustError(err, "R", "Production (111111111111)")).toMatch(expected);
  });
  it("names GetRole when reading", () => {
    expect(describeTrustError(awsError("AccessDenied", "no"), "R", "Production", "read")).toMatch(/read R's trust policy \(iam:GetRole\)/);
  });
});
