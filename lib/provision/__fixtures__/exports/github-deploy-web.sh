#!/usr/bin/env bash
# Creates the IAM role arn:aws:iam::555555555555:role/ci/github-deploy-web. Exported by Switchboard.
# Run it with credentials for account 555555555555, e.g. AWS_PROFILE=<profile> bash <this file>.
# It stops at the first failing command; what it created before that stays.
set -euo pipefail

# IAM is global within a partition; the region only selects the aws endpoints.
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# AWS CLI v2 would page the output of each command.
export AWS_PAGER=""

expected='555555555555'
account="$(aws sts get-caller-identity --query Account --output text)"
if [ "$account" != "$expected" ]; then
  echo "These credentials are for account $account, not $expected." >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The OIDC provider, unless the account already has it (one per URL per account). No thumbprint:
# IAM no longer needs one (CLI releases before late 2024 still ask for --thumbprint-list).
if ! aws iam get-open-id-connect-provider --open-id-connect-provider-arn 'arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com' >/dev/null 2>&1; then
  aws iam create-open-id-connect-provider \
    --url 'https://token.actions.githubusercontent.com' \
    --client-id-list '["sts.amazonaws.com"]'
fi

# The role.
cat >"$tmp/trust-policy.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "GitHubActions",
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:acme/web:environment:production"
        }
      }
    }
  ]
}
JSON
cat >"$tmp/tags.json" <<'JSON'
[
  {
    "Key": "repository",
    "Value": "acme/web"
  },
  {
    "Key": "managed-by",
    "Value": "switchboard"
  }
]
JSON
aws iam create-role \
  --role-name 'github-deploy-web' \
  --path '/ci/' \
  --description 'GitHub Actions: acme/web, environment production' \
  --max-session-duration 3600 \
  --assume-role-policy-document "file://$tmp/trust-policy.json" \
  --tags "file://$tmp/tags.json"

# Inline policy: codedeploy-deploy
cat >"$tmp/inline-policy-1.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "codedeploy:CreateDeployment",
        "codedeploy:GetApplicationRevision",
        "codedeploy:GetDeployment",
        "codedeploy:GetDeploymentConfig",
        "codedeploy:RegisterApplicationRevision"
      ],
      "Resource": [
        "arn:aws:codedeploy:*:555555555555:application:web",
        "arn:aws:codedeploy:*:555555555555:deploymentgroup:web/*",
        "arn:aws:codedeploy:*:555555555555:deploymentconfig:*"
      ]
    }
  ]
}
JSON
aws iam put-role-policy \
  --role-name 'github-deploy-web' \
  --policy-name 'codedeploy-deploy' \
  --policy-document "file://$tmp/inline-policy-1.json"

printf '%s\n' 'Created arn:aws:iam::555555555555:role/ci/github-deploy-web'
