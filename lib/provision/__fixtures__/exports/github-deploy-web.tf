# IAM role arn:aws:iam::555555555555:role/ci/github-deploy-web, exported by Switchboard.
# Apply it with an AWS provider for account 555555555555 (partition aws).

# Only one provider per URL can exist in an account: if another configuration manages it, import or drop this one.
# No thumbprint_list: IAM verifies GitHub's certificate itself and computes a thumbprint for other providers;
# the argument is optional since hashicorp/aws 5.81 (terraform-provider-aws#37255).
resource "aws_iam_openid_connect_provider" "github_deploy_web_oidc_provider" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "github_deploy_web" {
  name                 = "github-deploy-web"
  path                 = "/ci/"
  description          = "GitHub Actions: acme/web, environment production"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "GitHubActions"
        Effect = "Allow"
        Principal = {
          Federated = "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com"
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
            "token.actions.githubusercontent.com:sub" = "repo:acme/web:environment:production"
          }
        }
      },
    ]
  })

  tags = {
    repository   = "acme/web"
    "managed-by" = "switchboard"
  }

  depends_on = [aws_iam_openid_connect_provider.github_deploy_web_oidc_provider]
}

resource "aws_iam_role_policy" "github_deploy_web_codedeploy_deploy" {
  name = "codedeploy-deploy"
  role = aws_iam_role.github_deploy_web.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "codedeploy:CreateDeployment",
          "codedeploy:GetApplicationRevision",
          "codedeploy:GetDeployment",
          "codedeploy:GetDeploymentConfig",
          "codedeploy:RegisterApplicationRevision",
        ]
        Resource = [
          "arn:aws:codedeploy:*:555555555555:application:web",
          "arn:aws:codedeploy:*:555555555555:deploymentgroup:web/*",
          "arn:aws:codedeploy:*:555555555555:deploymentconfig:*",
        ]
      },
    ]
  })
}

output "github_deploy_web_arn" {
  value = aws_iam_role.github_deploy_web.arn
}
