provider "aws" {
  region = "us-east-1"
}

# AWS's guide: the trust (with the confused-deputy conditions) and the permissions.
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

data "aws_iam_policy_document" "permissions" {
  statement {
    actions = ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"]
    resources = [
      "arn:aws:personalize:us-east-1:111122223333:solution/books-solution",
      "arn:aws:personalize:us-east-1:111122223333:campaign/books",
    ]
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

locals {
  everything = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "personalize:*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "guide" {
  name   = "RetrieveRecommendationsPolicy"
  policy = data.aws_iam_policy_document.permissions.json
}
