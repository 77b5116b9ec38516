// Every expected value below is the behaviour AWS documents:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html

import { describe, expect, it } from "vitest";
import { evaluateCondition } from "./conditions";
import type { ConditionBlock, Policy, RequestContext } from "./types";

type Case = {
  name: string;
  condition: ConditionBlock;
  context: RequestContext;
  expected: boolean;
  version?: Policy["Version"];
};

const one = (operator: string, key: string, ...values: string[]): ConditionBlock => ({ [operator]: { [key]: values } });

const stringCases: Case[] = [
  { name: "StringEquals matches the exact value", condition: one("StringEquals", "aws:PrincipalTag/job", "admin"), context: { "aws:PrincipalTag/job": "admin" }, expected: true },
  { name: "StringEquals is case-sensitive", condition: one("StringEquals", "aws:PrincipalTag/job", "admin"), context: { "aws:PrincipalTag/job": "Admin" }, expected: false },
  { name: "StringEquals treats * literally", condition: one("StringEquals", "s3:prefix", "*"), context: { "s3:prefix": "home/" }, expected: false },
  { name: "StringNotEquals with a different value", condition: one("StringNotEquals", "aws:RequestedRegion", "us-east-1"), context: { "aws:RequestedRegion": "eu-west-1" }, expected: true },
  { name: "StringNotEquals with the same value", condition: one("StringNotEquals", "aws:RequestedRegion", "us-east-1"), context: { "aws:RequestedRegion": "us-east-1" }, expected: false },
  { name: "StringEqualsIgnoreCase ignores case", condition: one("StringEqualsIgnoreCase", "aws:PrincipalTag/job", "admin"), context: { "aws:PrincipalTag/job": "ADMIN" }, expected: true },
  { name: "StringNotEqualsIgnoreCase ignores case", condition: one("StringNotEqualsIgnoreCase", "aws:PrincipalTag/job", "admin"), context: { "aws:PrincipalTag/job": "ADMIN" }, expected: false },
  { name: "StringLike with *", condition: one("StringLike", "s3:prefix", "home/*"), context: { "s3:prefix": "home/alice/file" }, expected: true },
  { name: "StringLike with ? matches one character", condition: one("StringLike", "ec2:InstanceType", "t?.micro"), context: { "ec2:InstanceType": "t2.micro" }, expected: true },
  { name: "StringLike with ? does not match two", condition: one("StringLike", "ec2:InstanceType", "t?.micro"), context: { "ec2:InstanceType": "t2x.micro" }, expected: false },
  { name: "StringLike is case-sensitive", condition: one("StringLike", "s3:prefix", "Home/*"), context: { "s3:prefix": "home/alice" }, expected: false },
  { name: "StringLike * spans newlines", condition: one("StringLike", "aws:UserAgent", "aws-cli*"), context: { "aws:UserAgent": "aws-cli/2\nextra" }, expected: true },
  { name: "StringNotLike with a matching value", condition: one("StringNotLike", "aws:userid", "*:admin-*"), context: { "aws:userid": "AROAEXAMPLE:admin-bob" }, expected: false },
  { name: "context keys match case-insensitively", condition: one("StringEquals", "aws:PrincipalTag/Team", "blue"), context: { "AWS:principaltag/team": "blue" }, expected: true },
];

const numericCases: Case[] = [
  { name: "NumericLessThanEquals at the limit", condition: one("NumericLessThanEquals", "s3:max-keys", "10"), context: { "s3:max-keys": "10" }, expected: true },
  { name: "NumericLessThan at the limit", condition: one("NumericLessThan", "s3:max-keys", "10"), context: { "s3:max-keys": "10" }, expected: false },
  { name: "NumericGreaterThan above", condition: one("NumericGreaterThan", "sts:DurationSeconds", "3600"), context: { "sts:DurationSeconds": "3601" }, expected: true },
  { name: "NumericGreaterThanEquals below", condition: one("NumericGreaterThanEquals", "sts:DurationSeconds", "3600"), context: { "sts:DurationSeconds": "900" }, expected: false },
  { name: "NumericEquals compares numbers, not text", condition: one("NumericEquals", "s3:max-keys", "1.50"), context: { "s3:max-keys": "1.5" }, expected: true },
  { name: "NumericEquals with a non-numeric context value", condition: one("NumericEquals", "s3:max-keys", "10"), context: { "s3:max-keys": "ten" }, expected: false },
  { name: "NumericNotEquals with a different number", condition: one("NumericNotEquals", "s3:max-keys", "10"), context: { "s3:max-keys": "11" }, expected: true },
];

const dateCases: Case[] = [
  { name: "DateGreaterThan with ISO 8601", condition: one("DateGreaterThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z"), context: { "aws:TokenIssueTime": "2020-06-01T00:00:00Z" }, expected: true },
  { name: "DateLessThan with epoch seconds in the context", condition: one("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), context: { "aws:CurrentTime": "1577836799" }, expected: true },
  { name: "DateEquals with epoch seconds in the policy", condition: one("DateEquals", "aws:CurrentTime", "1577836800"), context: { "aws:CurrentTime": "2020-01-01T00:00:00Z" }, expected: true },
  { name: "DateLessThan honours a time-zone offset", condition: one("DateLessThan", "aws:CurrentTime", "2020-01-01T01:00:00+01:00"), context: { "aws:CurrentTime": "2020-01-01T00:30:00Z" }, expected: false },
  { name: "DateLessThanEquals on a date without time", condition: one("DateLessThanEquals", "aws:CurrentTime", "2030-12-31"), context: { "aws:CurrentTime": "2030-12-31T00:00:00Z" }, expected: true },
  { name: "DateNotEquals on the same instant", condition: one("DateNotEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"), context: { "aws:CurrentTime": "2020-01-01T00:00:00.000Z" }, expected: false },
];

const boolAndBinaryCases: Case[] = [
  { name: "Bool true", condition: one("Bool", "aws:MultiFactorAuthPresent", "true"), context: { "aws:MultiFactorAuthPresent": "true" }, expected: true },
  { name: "Bool compares case-insensitively", condition: one("Bool", "aws:SecureTransport", "true"), context: { "aws:SecureTransport": "TRUE" }, expected: true },
  { name: "Bool false does not match true", condition: one("Bool", "aws:SecureTransport", "false"), context: { "aws:SecureTransport": "true" }, expected: false },
  // parliament's BAD_PATTERN_FOR_MFA: long-term credentials carry no MFA key at all.
  { name: "Bool false does not match a missing key", condition: one("Bool", "aws:MultiFactorAuthPresent", "false"), context: {}, expected: false },
  { name: "BoolIfExists false matches a missing key", condition: one("BoolIfExists", "aws:MultiFactorAuthPresent", "false"), context: {}, expected: true },
  { name: "BinaryEquals with the same bytes", condition: one("BinaryEquals", "x:blob", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), context: { "x:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" }, expected: true },
  { name: "BinaryEquals with different bytes", condition: one("BinaryEquals", "x:blob", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), context: { "x:blob": "T3RoZXJWYWx1ZQ==" }, expected: false },
];

const ipCases: Case[] = [
  { name: "IpAddress inside an IPv4 range", condition: one("IpAddress", "aws:SourceIp", "203.0.113.0/24"), context: { "aws:SourceIp": "203.0.113.7" }, expected: true },
  { name: "IpAddress outside an IPv4 range", condition: one("IpAddress", "aws:SourceIp", "203.0.113.0/24"), context: { "aws:SourceIp": "203.0.114.7" }, expected: false },
  { name: "IpAddress without a prefix means /32", condition: one("IpAddress", "aws:SourceIp", "203.0.113.7"), context: { "aws:SourceIp": "203.0.113.8" }, expected: false },
  { name: "IpAddress inside an IPv6 range", condition: one("IpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64"), context: { "aws:SourceIp": "2001:db8:1234:5678:abcd::1" }, expected: true },
  { name: "IpAddress outside an IPv6 range", condition: one("IpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64"), context: { "aws:SourceIp": "2001:db8:1234:5679::1" }, expected: false },
  { name: "IpAddress with a mixed IPv4/IPv6 list", condition: one("IpAddress", "aws:SourceIp", "203.0.113.0/24", "2001:DB8:1234:5678::/64"), context: { "aws:SourceIp": "2001:db8:1234:5678::9" }, expected: true },
  { name: "IpAddress never matches across versions", condition: one("IpAddress", "aws:SourceIp", "0.0.0.0/0"), context: { "aws:SourceIp": "2001:db8::1" }, expected: false },
  { name: "NotIpAddress outside the range", condition: one("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), context: { "aws:SourceIp": "198.51.100.1" }, expected: true },
  { name: "NotIpAddress inside the range", condition: one("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), context: { "aws:SourceIp": "203.0.113.9" }, expected: false },
];

const arnCases: Case[] = [
  { name: "ArnLike with wildcards", condition: one("ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:topic-*"), context: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic-a" }, expected: true },
  { name: "ArnEquals behaves like ArnLike", condition: one("ArnEquals", "aws:SourceArn", "arn:aws:sns:*:123456789012:topic-*"), context: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic-a" }, expected: true },
  { name: "ArnLike checks each segment separately", condition: one("ArnLike", "aws:SourceArn", "arn:aws:someservice:*:111122223333:finance/*"), context: { "aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt" }, expected: false },
  { name: "StringLike on the same values does match", condition: one("StringLike", "aws:SourceArn", "arn:aws:someservice:*:111122223333:finance/*"), context: { "aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt" }, expected: true },
  { name: "ArnNotLike with a matching ARN", condition: one("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:role/Admin"), context: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/Admin" }, expected: false },
];

const nullCases: Case[] = [
  { name: "Null true with the key missing", condition: one("Null", "aws:TokenIssueTime", "true"), context: {}, expected: true },
  { name: "Null true with the key present", condition: one("Null", "aws:TokenIssueTime", "true"), context: { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" }, expected: false },
  { name: "Null false with the key present", condition: one("Null", "aws:TokenIssueTime", "false"), context: { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" }, expected: true },
  { name: "Null false with the key missing", condition: one("Null", "aws:TokenIssueTime", "false"), context: {}, expected: false },
  { name: "Null true with an empty list", condition: one("Null", "aws:TagKeys", "true"), context: { "aws:TagKeys": [] }, expected: true },
];

// "If the policy condition requires that the key is not matched … and the right key is not
// present, the condition is true."
const missingKeyCases: Case[] = [
  ...["StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase", "ArnNotEquals", "ArnNotLike"].map((operator) => ({
    name: `${operator} with the key missing is true`,
    condition: one(operator, "aws:PrincipalArn", "arn:aws:iam::123456789012:role/Admin"),
    context: {},
    expected: true,
  })),
  { name: "NumericNotEquals with the key missing is true", condition: one("NumericNotEquals", "s3:max-keys", "10"), context: {}, expected: true },
  { name: "DateNotEquals with the key missing is true", condition: one("DateNotEquals", "aws:CurrentTime", "2020-01-01"), context: {}, expected: true },
  { name: "NotIpAddress with the key missing is true", condition: one("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), context: {}, expected: true },
  { name: "StringEquals with the key missing is false", condition: one("StringEquals", "sts:ExternalId", "abc-123"), context: {}, expected: false },
  { name: "IpAddress with the key missing is false", condition: one("IpAddress", "aws:SourceIp", "203.0.113.0/24"), context: {}, expected: false },
  { name: "ArnLike with the key missing is false", condition: one("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"), context: {}, expected: false },
];

const ifExistsCases: Case[] = [
  { name: "StringLikeIfExists with the key missing", condition: one("StringLikeIfExists", "ec2:InstanceType", "t2.*"), context: {}, expected: true },
  { name: "StringLikeIfExists with a non-matching value", condition: one("StringLikeIfExists", "ec2:InstanceType", "t2.*"), context: { "ec2:InstanceType": "m5.large" }, expected: false },
  { name: "StringLikeIfExists with a matching value", condition: one("StringLikeIfExists", "ec2:InstanceType", "t2.*"), context: { "ec2:InstanceType": "t2.micro" }, expected: true },
  { name: "StringNotEqualsIfExists with an equal value", condition: one("StringNotEqualsIfExists", "aws:RequestedRegion", "us-east-1"), context: { "aws:RequestedRegion": "us-east-1" }, expected: false },
  { name: "NumericLessThanIfExists with the key missing", condition: one("NumericLessThanIfExists", "s3:max-keys", "10"), context: {}, expected: true },
];

// The DynamoDB attribute examples from the AWS documentation, and the tag-key examples for
// negated operators under set qualifiers.
const allowedAttributes = ["PostDateTime", "Message", "Tags"];
const setCases: Case[] = [
  { name: "ForAllValues: every requested value is listed", condition: one("ForAllValues:StringLike", "dynamodb:Attributes", ...allowedAttributes), context: { "dynamodb:Attributes": ["PostDateTime", "Message"] }, expected: true },
  { name: "ForAllValues: one requested value is not listed", condition: one("ForAllValues:StringLike", "dynamodb:Attributes", ...allowedAttributes), context: { "dynamodb:Attributes": ["PostDateTime", "UserName"] }, expected: false },
  { name: "ForAllValues with the key missing", condition: one("ForAllValues:StringLike", "dynamodb:Attributes", ...allowedAttributes), context: {}, expected: true },
  { name: "ForAllValues with an empty list", condition: one("ForAllValues:StringLike", "dynamodb:Attributes", ...allowedAttributes), context: { "dynamodb:Attributes": [] }, expected: true },
  { name: "ForAnyValue: one requested value is listed", condition: one("ForAnyValue:StringLike", "dynamodb:Attributes", "ID", "PostDateTime"), context: { "dynamodb:Attributes": ["UserName", "Message", "PostDateTime"] }, expected: true },
  { name: "ForAnyValue: no requested value is listed", condition: one("ForAnyValue:StringLike", "dynamodb:Attributes", "ID", "PostDateTime"), context: { "dynamodb:Attributes": ["UserName"] }, expected: false },
  { name: "ForAnyValue with the key missing", condition: one("ForAnyValue:StringLike", "dynamodb:Attributes", "ID"), context: {}, expected: false },
  { name: "ForAnyValue with an empty list", condition: one("ForAnyValue:StringLike", "dynamodb:Attributes", "ID"), context: { "dynamodb:Attributes": [] }, expected: false },
  { name: "ForAllValues:StringNotEquals when no value is listed", condition: one("ForAllValues:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: { "aws:TagKeys": ["Dept", "SIC"] }, expected: true },
  { name: "ForAllValues:StringNotEquals when one value is listed", condition: one("ForAllValues:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: { "aws:TagKeys": ["Dept", "DataClass"] }, expected: false },
  { name: "ForAllValues:StringNotEquals with the key missing", condition: one("ForAllValues:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: {}, expected: true },
  { name: "ForAnyValue:StringNotEquals when one value is not listed", condition: one("ForAnyValue:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: { "aws:TagKeys": ["Dept", "DataClass"] }, expected: true },
  { name: "ForAnyValue:StringNotEquals when every value is listed", condition: one("ForAnyValue:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: { "aws:TagKeys": ["DataClass", "Owner"] }, expected: false },
  { name: "ForAnyValue:StringNotEquals with the key missing", condition: one("ForAnyValue:StringNotEquals", "aws:TagKeys", "DataClass", "Owner"), context: {}, expected: false },
  { name: "no qualifier, multivalued context, positive: any value may match", condition: one("StringEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c/"), context: { "aws:PrincipalOrgPaths": ["o-a/r-b/ou-x/", "o-a/r-b/ou-c/"] }, expected: true },
  { name: "no qualifier, multivalued context, negated: no value may match", condition: one("StringNotEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c/"), context: { "aws:PrincipalOrgPaths": ["o-a/r-b/ou-x/", "o-a/r-b/ou-c/"] }, expected: false },
];

const logicCases: Case[] = [
  { name: "several keys under one operator: all match (AND)", condition: { StringEquals: { "aws:PrincipalTag/team": ["blue"], "aws:RequestedRegion": ["eu-west-1"] } }, context: { "aws:PrincipalTag/team": "blue", "aws:RequestedRegion": "eu-west-1" }, expected: true },
  { name: "several keys under one operator: one fails (AND)", condition: { StringEquals: { "aws:PrincipalTag/team": ["blue"], "aws:RequestedRegion": ["eu-west-1"] } }, context: { "aws:PrincipalTag/team": "blue", "aws:RequestedRegion": "us-east-1" }, expected: false },
  { name: "several operators: all hold (AND)", condition: { StringEquals: { "sts:ExternalId": ["abc-123"] }, Bool: { "aws:MultiFactorAuthPresent": ["true"] } }, context: { "sts:ExternalId": "abc-123", "aws:MultiFactorAuthPresent": "true" }, expected: true },
  { name: "several operators: one fails (AND)", condition: { StringEquals: { "sts:ExternalId": ["abc-123"] }, Bool: { "aws:MultiFactorAuthPresent": ["true"] } }, context: { "sts:ExternalId": "abc-123", "aws:MultiFactorAuthPresent": "false" }, expected: false },
  { name: "several values for one key (OR)", condition: one("StringEquals", "aws:PrincipalTag/role", "audit", "security"), context: { "aws:PrincipalTag/role": "security" }, expected: true },
  { name: "several values under a negated operator (NOR): one equal", condition: one("StringNotEquals", "aws:PrincipalTag/role", "audit", "security"), context: { "aws:PrincipalTag/role": "audit" }, expected: false },
  { name: "several values under a negated operator (NOR): none equal", condition: one("StringNotEquals", "aws:PrincipalTag/role", "audit", "security"), context: { "aws:PrincipalTag/role": "dev" }, expected: true },
];

const v2012 = "2012-10-17" as const;
const variableCases: Case[] = [
  { name: "${aws:username} is substituted", version: v2012, condition: one("StringLike", "s3:prefix", "home/${aws:username}/*"), context: { "aws:username": "alice", "s3:prefix": "home/alice/docs" }, expected: true },
  { name: "${aws:username} is another user's", version: v2012, condition: one("StringLike", "s3:prefix", "home/${aws:username}/*"), context: { "aws:username": "alice", "s3:prefix": "home/bob/docs" }, expected: false },
  { name: "any context key can be a variable", version: v2012, condition: one("StringEquals", "sts:RoleSessionName", "${aws:PrincipalTag/login}"), context: { "aws:PrincipalTag/login": "alice", "sts:RoleSessionName": "alice" }, expected: true },
  { name: "a default value fills a missing key", version: v2012, condition: one("StringEquals", "s3:prefix", "${aws:PrincipalTag/team, 'company-wide'}"), context: { "s3:prefix": "company-wide" }, expected: true },
  { name: "${*} is a literal asterisk", version: v2012, condition: one("StringLike", "s3:prefix", "a${*}"), context: { "s3:prefix": "ab" }, expected: false },
  { name: "an unresolved variable does not match", version: v2012, condition: one("StringEquals", "s3:prefix", "${aws:PrincipalTag/none}"), context: { "s3:prefix": "" }, expected: false },
  { name: "an unresolved variable does not satisfy a negated operator either", version: v2012, condition: one("StringNotEquals", "s3:prefix", "${aws:PrincipalTag/none}"), context: { "s3:prefix": "x" }, expected: false },
  { name: "ARN operators take variables", version: v2012, condition: one("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:${aws:username}-*"), context: { "aws:username": "alice", "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:alice-topic" }, expected: true },
  { name: "no variables without Version 2012-10-17", condition: one("StringEquals", "s3:prefix", "${aws:username}"), context: { "aws:username": "alice", "s3:prefix": "${aws:username}" }, expected: true },
  { name: "Numeric operators take no variables", version: v2012, condition: one("NumericEquals", "s3:max-keys", "${aws:PrincipalTag/limit}"), context: { "aws:PrincipalTag/limit": "10", "s3:max-keys": "10" }, expected: false },
];

describe("evaluateCondition", () => {
  const groups: Array<[string, Case[]]> = [
    ["String operators", stringCases],
    ["Numeric operators", numericCases],
    ["Date operators", dateCases],
    ["Bool and BinaryEquals", boolAndBinaryCases],
    ["IpAddress and NotIpAddress", ipCases],
    ["ARN operators", arnCases],
    ["Null", nullCases],
    ["missing keys", missingKeyCases],
    ["…IfExists", ifExistsCases],
    ["ForAnyValue and ForAllValues", setCases],
    ["AND / OR logic", logicCases],
    ["policy variables", variableCases],
  ];

  describe.each(groups)("%s", (_group, cases) => {
    it.each(cases)("$name → $expected", ({ condition, context, expected, version }) => {
      expect(evaluateCondition(condition, context, { version })).toBe(expected);
    });
  });

  it("never applies a block with an operator IAM does not know", () => {
    expect(evaluateCondition(one("StringEqualz", "aws:username", "alice"), { "aws:username": "alice" })).toBe(false);
  });
});
