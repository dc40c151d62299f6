data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["pinpoint.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:mobiletargeting:us-east-1:111122223333:apps/*"]
    }
  }
}
data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "permissions" {
  statement {
    actions = ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"]
    resources = [
      "arn:aws:personalize:us-east-1:111122223333:solution/books-solution",
      "arn:aws:personalize:us-east-1:111122223333:campaign/books",
    ]
  }
}
resource "aws_iam_role" "pinpoint" {
  count              = 1
  name_prefix        = "pinpoint-${count.index}-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "RetrieveRecommendations"
    policy = data.aws_iam_policy_document.permissions.json
  }
}
resource "aws_iam_role" "helper" {
  name_prefix        = "helper-"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}
# Every Pinpoint role, by key.
output "roles" {
  value = aws_iam_role.pinpoint
}
# The helper Lambda's role name.
output "name" {
  value = aws_iam_role.helper.name
}
