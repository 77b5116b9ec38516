#!/usr/bin/env bash
# Creates the IAM role arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit. Exported by Switchboard.
# Run it with credentials for account 666666666666, e.g. AWS_PROFILE=<profile> bash <this file>.
# It stops at the first failing command; what it created before that stays.
set -euo pipefail

# IAM is global within a partition; the region only selects the aws-us-gov endpoints.
export AWS_REGION="${AWS_REGION:-us-gov-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# AWS CLI v2 would page the output of each command.
export AWS_PAGER=""

expected='666666666666'
account="$(aws sts get-caller-identity --query Account --output text)"
if [ "$account" != "$expected" ]; then
  echo "These credentials are for account $account, not $expected." >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The role.
cat >"$tmp/trust-policy.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws-us-gov:iam::777777777777:root"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "ExampleCorp-7f3c9e21"
        },
        "Bool": {
          "aws:MultiFactorAuthPresent": "true"
        }
      }
    }
  ]
}
JSON
cat >"$tmp/tags.json" <<'JSON'
[
  {
    "Key": "owner",
    "Value": "security@example.com"
  },
  {
    "Key": "cost-center",
    "Value": "1234"
  },
  {
    "Key": "vendor",
    "Value": "Example Corp"
  }
]
JSON
aws iam create-role \
  --role-name 'vendor-audit' \
  --path '/third-party/' \
  --description 'Read-only audit access for Example Corp' \
  --max-session-duration 43200 \
  --permissions-boundary 'arn:aws-us-gov:iam::666666666666:policy/ThirdPartyBoundary' \
  --assume-role-policy-document "file://$tmp/trust-policy.json" \
  --tags "file://$tmp/tags.json"

# Managed policies.
aws iam attach-role-policy --role-name 'vendor-audit' --policy-arn 'arn:aws-us-gov:iam::aws:policy/SecurityAudit'

printf '%s\n' 'Created arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit'

# Source side in account 777777777777, for any principal in 777777777777: the identity policy callers need to assume this role.
# It lives in that account: run these with a profile for it (replace PROFILE_FOR_777777777777).
# Attach it to the users, groups or roles there that should assume the role (attach-user-policy, attach-group-policy or attach-role-policy).
# Switchboard will not attach it (it cannot provision in that account, or was not asked to).
#
# cat >source-policy-777777777777.json <<'JSON'
# {
#   "Version": "2012-10-17",
#   "Statement": [
#     {
#       "Effect": "Allow",
#       "Action": "sts:AssumeRole",
#       "Resource": "arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit"
#     }
#   ]
# }
# JSON
# aws iam create-policy --profile PROFILE_FOR_777777777777 --policy-name 'assume-vendor-audit' --policy-document file://source-policy-777777777777.json
# aws iam attach-role-policy --profile PROFILE_FOR_777777777777 --role-name ROLE_NAME --policy-arn 'arn:aws-us-gov:iam::777777777777:policy/assume-vendor-audit'
