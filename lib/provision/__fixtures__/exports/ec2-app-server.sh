#!/usr/bin/env bash
# Creates the IAM role arn:aws:iam::444444444444:role/ec2/app-server. Exported by Switchboard.
# Run it with credentials for account 444444444444, e.g. AWS_PROFILE=<profile> bash <this file>.
# It stops at the first failing command; what it created before that stays.
set -euo pipefail

# IAM is global within a partition; the region only selects the aws endpoints.
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# AWS CLI v2 would page the output of each command.
export AWS_PAGER=""

expected='444444444444'
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
        "Service": "ec2.amazonaws.com"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
JSON
aws iam create-role \
  --role-name 'app-server' \
  --path '/ec2/' \
  --max-session-duration 3600 \
  --assume-role-policy-document "file://$tmp/trust-policy.json"

# Managed policies.
aws iam attach-role-policy --role-name 'app-server' --policy-arn 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'
aws iam attach-role-policy --role-name 'app-server' --policy-arn 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'

# The instance profile EC2 launches the role with.
aws iam create-instance-profile --instance-profile-name 'app-server' --path '/ec2/'
aws iam add-role-to-instance-profile --instance-profile-name 'app-server' --role-name 'app-server'

printf '%s\n' 'Created arn:aws:iam::444444444444:role/ec2/app-server'
