# IAM role arn:aws:iam::888888888888:role/a'b"c$d%e\f{g}/Nasty+Role=1,2.3@x-y, exported by Switchboard.
# Apply it with an AWS provider for account 888888888888 (partition aws).

resource "aws_iam_role" "nasty_role_1_2_3_x_y" {
  name                 = "Nasty+Role=1,2.3@x-y"
  path                 = "/a'b\"c$d%e\\f{g}/"
  description          = "He said \"hi\" & it's $HOME \\ $${aws:username} %%{if x} `date` $(id)\nsecond line\ttab; Zürich #not-a-comment"
  max_session_duration = 7200

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Me"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::999999999999:root"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "sts:ExternalId" = "a=b,c.d@e:f/g-h+i_j"
          }
          StringLike = {
            "aws:PrincipalArn" = [
              "arn:aws:iam::999999999999:role/$${aws:username}",
              "arn:aws:iam::999999999999:user/*",
            ]
          }
          NumericLessThan = {
            "aws:MultiFactorAuthAge" = 3600
          }
          Null = {
            "aws:SourceIdentity" = false
          }
        }
      },
    ]
  })

  tags = {
    "for"         = "x"
    "cost-center" = "a\"b'c$d\\e"
    "Zürich"      = "line1\nline2\r\n"
    "$${x}"       = "%%{y} $$${z}"
    JSON          = "JSON"
    "Résumé 👍🏽"    = "ok"
  }
}

resource "aws_iam_role_policy" "nasty_role_1_2_3_x_y_a_b_c" {
  name = "a.b@c"
  role = aws_iam_role.nasty_role_1_2_3_x_y.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["s3:GetObject"]
        Resource  = "arn:aws:s3:::home/$${aws:username}/*"
        Condition = {}
      },
    ]
  })
}

resource "aws_iam_role_policy" "nasty_role_1_2_3_x_y_a_b_c_2" {
  name = "a_b_c"
  role = aws_iam_role.nasty_role_1_2_3_x_y.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Quotes"
        Effect    = "Deny"
        NotAction = ["s3:GetObject"]
        Resource  = "arn:aws:s3:::x/%%{y}/$HOME/`id`"
        Condition = {
          StringEquals = {
            "aws:RequestTag/note" = "Quote\"Back\\slash'Apos"
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "nasty_role_1_2_3_x_y_read_only" {
  role       = aws_iam_role.nasty_role_1_2_3_x_y.name
  policy_arn = "arn:aws:iam::888888888888:policy/team/ReadOnly"
}

resource "aws_iam_role_policy_attachment" "nasty_role_1_2_3_x_y_read_only_2" {
  role       = aws_iam_role.nasty_role_1_2_3_x_y.name
  policy_arn = "arn:aws:iam::888888888888:policy/Read.Only"
}

resource "aws_iam_role_policy_attachment" "nasty_role_1_2_3_x_y_read_only_access" {
  role       = aws_iam_role.nasty_role_1_2_3_x_y.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_instance_profile" "nasty_role_1_2_3_x_y_instance_profile" {
  name = "Nasty+Role=1,2.3@x-y"
  path = "/a'b\"c$d%e\\f{g}/"
  role = aws_iam_role.nasty_role_1_2_3_x_y.name
}

output "nasty_role_1_2_3_x_y_arn" {
  value = aws_iam_role.nasty_role_1_2_3_x_y.arn
}

# Source side in account 999999999999, for arn:aws:iam::999999999999:user/ops/first.last@example.com: the identity policy callers need to assume this role.
# It lives in that account: uncomment it where a provider with alias = "account_999999999999" is configured.
# Switchboard attaches it when it creates the role; apply it yourself only if this file creates the role.
#
# resource "aws_iam_user_policy" "source_999999999999_assume_nasty_role_1_2_3_x_y" {
#   provider = aws.account_999999999999
#   name     = "assume-Nasty+Role=1,2.3@x-y"
#   user     = "first.last@example.com"
#   policy = jsonencode({
#     Version = "2012-10-17"
#     Statement = [
#       {
#         Effect   = "Allow"
#         Action   = "sts:AssumeRole"
#         Resource = "arn:aws:iam::888888888888:role/a'b\"c$d%e\\f{g}/Nasty+Role=1,2.3@x-y"
#       },
#     ]
#   })
# }
