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

# A role whose name is unknown until apply but starts with "pinpoint-", beside another role with
# its own attachment: that attachment is not this role's.
resource "terraform_data" "suffix" {
  input = "a"
}
resource "aws_iam_policy" "unknown_name" {
  name   = "RetrieveRecommendationsUnknownName"
  policy = data.aws_iam_policy_document.permissions.json
}
resource "aws_iam_role" "unknown_name" {
  name               = "pinpoint-${terraform_data.suffix.id}"
  assume_role_policy = data.aws_iam_policy_document.for_any_value.json
}
resource "aws_iam_role_policy_attachment" "unknown_name" {
  role       = aws_iam_role.unknown_name.name
  policy_arn = aws_iam_policy.unknown_name.arn
}
resource "aws_iam_role" "lambda" {
  name = "app-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy_attachment" "lambda" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# ForAnyValue:StringEquals on aws:SourceAccount, a key with one value: the same requests as StringEquals.
data "aws_iam_policy_document" "for_any_value" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["pinpoint.amazonaws.com"]
    }
    condition {
      test     = "ForAnyValue:StringEquals"
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

# The guide's trust with one more condition on a key IAM puts in every request Pinpoint makes to
# assume a role (aws:SecureTransport; aws:PrincipalIsAWSService and aws:PrincipalServiceName for a
# service principal): the same requests, the same access.
locals {
  narrowing = {
    secure_transport = { Bool = { "aws:SecureTransport" = "true" } }
    is_service       = { Bool = { "aws:PrincipalIsAWSService" = "true" } }
    service_name     = { StringEquals = { "aws:SourceAccount" = "111122223333", "aws:PrincipalServiceName" = "pinpoint.amazonaws.com" } }
  }
}
resource "aws_iam_role" "narrowing" {
  for_each = local.narrowing
  name     = "narrowing-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pinpoint.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = merge({
        StringEquals = { "aws:SourceAccount" = "111122223333" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*" }
      }, each.value)
    }]
  })
  inline_policy {
    name   = "RetrieveRecommendationsPolicy"
    policy = data.aws_iam_policy_document.permissions.json
  }
}

# Resource policies that grant none of these roles: one names another role, one names the account
# (which leaves the decision to the account's identity policies).
resource "aws_s3_bucket_policy" "another_role" {
  bucket = "exact-another-role"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/SomeoneElse" }
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::exact-another-role/*"
    }]
  })
}
resource "aws_sqs_queue" "account" {
  name = "exact-account"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sqs:*"
      Resource  = "*"
    }]
  })
}

# aws:SourceArn narrowed twice in one statement (ArnLike on the account, StringLike on its
# projects): both must hold, so exactly the account's projects, as the guide.
resource "aws_iam_role" "narrowed_twice" {
  name = "NarrowedTwice"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pinpoint.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "111122223333" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:*" }
        StringLike   = { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*" }
      }
    }]
  })
  inline_policy {
    name   = "RetrieveRecommendationsPolicy"
    policy = data.aws_iam_policy_document.permissions.json
  }
}

# A permissions boundary in the plan that allows the guide's access and more: the role's access is
# the guide's.
resource "aws_iam_policy" "boundary" {
  name = "PersonalizeReadBoundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["personalize:Describe*", "personalize:GetRecommendations"], Resource = "*" }]
  })
}
resource "aws_iam_role" "bounded" {
  name                 = "Bounded"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = aws_iam_policy.boundary.arn
  inline_policy {
    name   = "RetrieveRecommendationsPolicy"
    policy = data.aws_iam_policy_document.permissions.json
  }
}

# The same, with projects or recommenders as the second condition's two values (either may hold).
resource "aws_iam_role" "narrowed_twice_two_values" {
  name = "NarrowedTwiceTwoValues"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pinpoint.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "111122223333" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:*" }
        StringLike = { "aws:SourceArn" = [
          "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*",
          "arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*",
        ] }
      }
    }]
  })
  inline_policy {
    name   = "RetrieveRecommendationsPolicy"
    policy = data.aws_iam_policy_document.permissions.json
  }
}
