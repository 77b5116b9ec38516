#!/usr/bin/env bash
# Creates the IAM role arn:aws:iam::111111111111:role/delegate_read_my_bucket. Exported by Switchboard.
# Run it with credentials for account 111111111111, e.g. AWS_PROFILE=<profile> bash <this file>.
# It stops at the first failing command; what it created before that stays.
set -euo pipefail

# IAM is global within a partition; the region only selects the aws endpoints.
export AWS_REGION="${AWS_REGION:-eu-west-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# AWS CLI v2 would page the output of each command.
export AWS_PAGER=""

expected='111111111111'
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
      "Sid": "SwitchboardBroker",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::123456789012:role/switchboard-broker"
      },
      "Action": [
        "sts:AssumeRole",
        "sts:SetSourceIdentity"
      ]
    },
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::222222222222:root"
      },
      "Action": "sts:AssumeRole"
    },
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::333333333333:role/analytics/etl-runner"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
JSON
cat >"$tmp/tags.json" <<'JSON'
[
  {
    "Key": "owner",
    "Value": "platform"
  }
]
JSON
aws iam create-role \
  --role-name 'delegate_read_my_bucket' \
  --path '/' \
  --description 'Lets the development account read productionapp' \
  --max-session-duration 3600 \
  --assume-role-policy-document "file://$tmp/trust-policy.json" \
  --tags "file://$tmp/tags.json"

# Inline policy: read_my_bucket
cat >"$tmp/inline-policy-1.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::productionapp"
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::productionapp/*"
    }
  ]
}
JSON
aws iam put-role-policy \
  --role-name 'delegate_read_my_bucket' \
  --policy-name 'read_my_bucket' \
  --policy-document "file://$tmp/inline-policy-1.json"

printf '%s\n' 'Created arn:aws:iam::111111111111:role/delegate_read_my_bucket'

# Source side in account 222222222222, for any principal in 222222222222: the identity policy callers need to assume this role.
# It lives in that account: run these with a profile for it (replace PROFILE_FOR_222222222222).
# Attach it to the users, groups or roles there that should assume the role (attach-user-policy, attach-group-policy or attach-role-policy).
# Switchboard attaches it when it creates the role; run these only if this script creates the role.
#
# cat >source-policy-222222222222.json <<'JSON'
# {
#   "Version": "2012-10-17",
#   "Statement": [
#     {
#       "Effect": "Allow",
#       "Action": "sts:AssumeRole",
#       "Resource": "arn:aws:iam::111111111111:role/delegate_read_my_bucket"
#     }
#   ]
# }
# JSON
# aws iam create-policy --profile PROFILE_FOR_222222222222 --policy-name 'assume-delegate_read_my_bucket' --policy-document file://source-policy-222222222222.json
# aws iam attach-role-policy --profile PROFILE_FOR_222222222222 --role-name ROLE_NAME --policy-arn 'arn:aws:iam::222222222222:policy/assume-delegate_read_my_bucket'

# Source side in account 333333333333, for arn:aws:iam::333333333333:role/analytics/etl-runner: the identity policy callers need to assume this role.
# It lives in that account: run these with a profile for it (replace PROFILE_FOR_333333333333).
# Switchboard will not attach it (it cannot provision in that account, or was not asked to).
#
# cat >source-policy-333333333333.json <<'JSON'
# {
#   "Version": "2012-10-17",
#   "Statement": [
#     {
#       "Effect": "Allow",
#       "Action": "sts:AssumeRole",
#       "Resource": "arn:aws:iam::111111111111:role/delegate_read_my_bucket"
#     }
#   ]
# }
# JSON
# aws iam put-role-policy --profile PROFILE_FOR_333333333333 --role-name 'etl-runner' --policy-name 'assume-delegate_read_my_bucket' --policy-document file://source-policy-333333333333.json
