provider "aws" {
  region = "us-east-1"
}

# AWS's guide, with a condition on a key that IAM puts in every request the role's session makes
# (aws:PrincipalAccount): the same access.
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
    sid       = "RetrieveRecommendationsOneCampaign"
    actions   = ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"]
    resources = ["arn:aws:personalize:us-east-1:111122223333:solution/books-solution", "arn:aws:personalize:us-east-1:111122223333:campaign/books"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = ["111122223333"]
    }
  }
}

resource "aws_iam_policy" "this" {
  name   = "RetrieveRecommendationsPolicy"
  policy = data.aws_iam_policy_document.permissions.json
}

resource "aws_iam_role" "this" {
  name               = "PinpointRoleforPersonalize"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this.arn
}
