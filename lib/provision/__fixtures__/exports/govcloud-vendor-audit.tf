# IAM role arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit, exported by Switchboard.
# Apply it with an AWS provider for account 666666666666 (partition aws-us-gov).

resource "aws_iam_role" "vendor_audit" {
  name                 = "vendor-audit"
  path                 = "/third-party/"
  description          = "Read-only audit access for Example Corp"
  max_session_duration = 43200
  permissions_boundary = "arn:aws-us-gov:iam::666666666666:policy/ThirdPartyBoundary"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws-us-gov:iam::777777777777:root"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "sts:ExternalId" = "ExampleCorp-7f3c9e21"
          }
          Bool = {
            "aws:MultiFactorAuthPresent" = "true"
          }
        }
      },
    ]
  })

  tags = {
    owner         = "security@example.com"
    "cost-center" = "1234"
    vendor        = "Example Corp"
  }
}

resource "aws_iam_role_policy_attachment" "vendor_audit_security_audit" {
  role       = aws_iam_role.vendor_audit.name
  policy_arn = "arn:aws-us-gov:iam::aws:policy/SecurityAudit"
}

output "vendor_audit_arn" {
  value = aws_iam_role.vendor_audit.arn
}

# Source side in account 777777777777, for any principal in 777777777777: the identity policy callers need to assume this role.
# It lives in that account: uncomment it where a provider with alias = "account_777777777777" is configured.
# Then attach it to the users, groups or roles there that should assume the role.
# Switchboard will not attach it (it cannot provision in that account, or was not asked to).
#
# resource "aws_iam_policy" "source_777777777777_assume_vendor_audit" {
#   provider = aws.account_777777777777
#   name     = "assume-vendor-audit"
#   policy = jsonencode({
#     Version = "2012-10-17"
#     Statement = [
#       {
#         Effect   = "Allow"
#         Action   = "sts:AssumeRole"
#         Resource = "arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit"
#       },
#     ]
#   })
# }
