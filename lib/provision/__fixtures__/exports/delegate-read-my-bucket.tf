# IAM role arn:aws:iam::111111111111:role/delegate_read_my_bucket, exported by Switchboard.
# Apply it with an AWS provider for account 111111111111 (partition aws).

resource "aws_iam_role" "delegate_read_my_bucket" {
  name                 = "delegate_read_my_bucket"
  path                 = "/"
  description          = "Lets the development account read productionapp"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "SwitchboardBroker"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::123456789012:role/switchboard-broker"
        }
        Action = [
          "sts:AssumeRole",
          "sts:SetSourceIdentity",
        ]
      },
      {
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::222222222222:root"
        }
        Action = "sts:AssumeRole"
      },
      {
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::333333333333:role/analytics/etl-runner"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })

  tags = {
    owner = "platform"
  }
}

resource "aws_iam_role_policy" "delegate_read_my_bucket_read_my_bucket" {
  name = "read_my_bucket"
  role = aws_iam_role.delegate_read_my_bucket.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = "arn:aws:s3:::productionapp"
      },
      {
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "arn:aws:s3:::productionapp/*"
      },
    ]
  })
}

output "delegate_read_my_bucket_arn" {
  value = aws_iam_role.delegate_read_my_bucket.arn
}

# Source side in account 222222222222, for any principal in 222222222222: the identity policy callers need to assume this role.
# It lives in that account: uncomment it where a provider with alias = "account_222222222222" is configured.
# Then attach it to the users, groups or roles there that should assume the role.
# Switchboard attaches it when it creates the role; apply it yourself only if this file creates the role.
#
# resource "aws_iam_policy" "source_222222222222_assume_delegate_read_my_bucket" {
#   provider = aws.account_222222222222
#   name     = "assume-delegate_read_my_bucket"
#   policy = jsonencode({
#     Version = "2012-10-17"
#     Statement = [
#       {
#         Effect   = "Allow"
#         Action   = "sts:AssumeRole"
#         Resource = "arn:aws:iam::111111111111:role/delegate_read_my_bucket"
#       },
#     ]
#   })
# }

# Source side in account 333333333333, for arn:aws:iam::333333333333:role/analytics/etl-runner: the identity policy callers need to assume this role.
# It lives in that account: uncomment it where a provider with alias = "account_333333333333" is configured.
# Switchboard will not attach it (it cannot provision in that account, or was not asked to).
#
# resource "aws_iam_role_policy" "source_333333333333_assume_delegate_read_my_bucket" {
#   provider = aws.account_333333333333
#   name     = "assume-delegate_read_my_bucket"
#   role     = "etl-runner"
#   policy = jsonencode({
#     Version = "2012-10-17"
#     Statement = [
#       {
#         Effect   = "Allow"
#         Action   = "sts:AssumeRole"
#         Resource = "arn:aws:iam::111111111111:role/delegate_read_my_bucket"
#       },
#     ]
#   })
# }
