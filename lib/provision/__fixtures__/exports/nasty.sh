#!/usr/bin/env bash
# Creates the IAM role arn:aws:iam::888888888888:role/a'b"c$d%e\f{g}/Nasty+Role=1,2.3@x-y. Exported by Switchboard.
# Run it with credentials for account 888888888888, e.g. AWS_PROFILE=<profile> bash <this file>.
# It stops at the first failing command; what it created before that stays.
set -euo pipefail

# IAM is global within a partition; the region only selects the aws endpoints.
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# AWS CLI v2 would page the output of each command.
export AWS_PAGER=""

expected='888888888888'
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
      "Sid": "Me",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::999999999999:root"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "a=b,c.d@e:f/g-h+i_j"
        },
        "StringLike": {
          "aws:PrincipalArn": [
            "arn:aws:iam::999999999999:role/${aws:username}",
            "arn:aws:iam::999999999999:user/*"
          ]
        },
        "NumericLessThan": {
          "aws:MultiFactorAuthAge": 3600
        },
        "Null": {
          "aws:SourceIdentity": false
        }
      }
    }
  ]
}
JSON
cat >"$tmp/tags.json" <<'JSON'
[
  {
    "Key": "for",
    "Value": "x"
  },
  {
    "Key": "cost-center",
    "Value": "a\"b'c$d\\e"
  },
  {
    "Key": "Z\u00fcrich",
    "Value": "line1\nline2\r\n"
  },
  {
    "Key": "${x}",
    "Value": "%{y} $${z}"
  },
  {
    "Key": "JSON",
    "Value": "JSON"
  },
  {
    "Key": "Re\u0301sume\u0301 \ud83d\udc4d\ud83c\udffd",
    "Value": "ok"
  }
]
JSON
aws iam create-role \
  --role-name 'Nasty+Role=1,2.3@x-y' \
  --path '/a'\''b"c$d%e\f{g}/' \
  --description $'He said "hi" & it\'s $HOME \\ ${aws:username} %{if x} `date` $(id)\nsecond line\ttab; Zürich #not-a-comment' \
  --max-session-duration 7200 \
  --assume-role-policy-document "file://$tmp/trust-policy.json" \
  --tags "file://$tmp/tags.json"

# Inline policy: a.b@c
cat >"$tmp/inline-policy-1.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject"
      ],
      "Resource": "arn:aws:s3:::home/${aws:username}/*",
      "Condition": {}
    }
  ]
}
JSON
aws iam put-role-policy \
  --role-name 'Nasty+Role=1,2.3@x-y' \
  --policy-name 'a.b@c' \
  --policy-document "file://$tmp/inline-policy-1.json"

# Inline policy: a_b_c
cat >"$tmp/inline-policy-2.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Quotes",
      "Effect": "Deny",
      "NotAction": [
        "s3:GetObject"
      ],
      "Resource": "arn:aws:s3:::x/%{y}/$HOME/`id`",
      "Condition": {
        "StringEquals": {
          "aws:RequestTag/note": "Quote\"Back\\slash'Apos"
        }
      }
    }
  ]
}
JSON
aws iam put-role-policy \
  --role-name 'Nasty+Role=1,2.3@x-y' \
  --policy-name 'a_b_c' \
  --policy-document "file://$tmp/inline-policy-2.json"

# Managed policies.
aws iam attach-role-policy --role-name 'Nasty+Role=1,2.3@x-y' --policy-arn 'arn:aws:iam::888888888888:policy/team/ReadOnly'
aws iam attach-role-policy --role-name 'Nasty+Role=1,2.3@x-y' --policy-arn 'arn:aws:iam::888888888888:policy/Read.Only'
aws iam attach-role-policy --role-name 'Nasty+Role=1,2.3@x-y' --policy-arn 'arn:aws:iam::aws:policy/ReadOnlyAccess'

# The instance profile EC2 launches the role with.
aws iam create-instance-profile --instance-profile-name 'Nasty+Role=1,2.3@x-y' --path '/a'\''b"c$d%e\f{g}/'
aws iam add-role-to-instance-profile --instance-profile-name 'Nasty+Role=1,2.3@x-y' --role-name 'Nasty+Role=1,2.3@x-y'

printf '%s\n' 'Created arn:aws:iam::888888888888:role/a'\''b"c$d%e\f{g}/Nasty+Role=1,2.3@x-y'

# Source side in account 999999999999, for arn:aws:iam::999999999999:user/ops/first.last@example.com: the identity policy callers need to assume this role.
# It lives in that account: run these with a profile for it (replace PROFILE_FOR_999999999999).
# Switchboard attaches it when it creates the role; run these only if this script creates the role.
#
# cat >source-policy-999999999999.json <<'JSON'
# {
#   "Version": "2012-10-17",
#   "Statement": [
#     {
#       "Effect": "Allow",
#       "Action": "sts:AssumeRole",
#       "Resource": "arn:aws:iam::888888888888:role/a'b\"c$d%e\\f{g}/Nasty+Role=1,2.3@x-y"
#     }
#   ]
# }
# JSON
# aws iam put-user-policy --profile PROFILE_FOR_999999999999 --user-name 'first.last@example.com' --policy-name 'assume-Nasty+Role=1,2.3@x-y' --policy-document file://source-policy-999999999999.json
