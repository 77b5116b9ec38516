# IAM role arn:aws:iam::444444444444:role/ec2/app-server, exported by Switchboard.
# Apply it with an AWS provider for account 444444444444 (partition aws).

resource "aws_iam_role" "app_server" {
  name                 = "app-server"
  path                 = "/ec2/"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "ec2.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "app_server_amazon_ssm_managed_instance_core" {
  role       = aws_iam_role.app_server.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy_attachment" "app_server_amazon_s3_read_only_access" {
  role       = aws_iam_role.app_server.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_instance_profile" "app_server_instance_profile" {
  name = "app-server"
  path = "/ec2/"
  role = aws_iam_role.app_server.name
}

output "app_server_arn" {
  value = aws_iam_role.app_server.arn
}
