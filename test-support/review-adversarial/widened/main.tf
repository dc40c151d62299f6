# An AWS managed policy's ARN written literally, beside a policy of the plan with the same name:
# the ARN's account (aws) says which one IAM attaches.
resource "aws_iam_role" "managed_arn" {
  name               = "ManagedArn"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_policy" "named_like_aws" {
  name   = "AdministratorAccess"
  policy = data.aws_iam_policy_document.permissions.json
}
resource "aws_iam_role_policy_attachment" "managed_arn" {
  role       = aws_iam_role.managed_arn.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
  depends_on = [aws_iam_policy.named_like_aws]
}

# A function of a policy's ARN, not the ARN: the plan's JSON shows only the reference it reads.
resource "aws_iam_role" "function_of_arn" {
  name               = "FunctionOfArn"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy_attachment" "function_of_arn" {
  role       = aws_iam_role.function_of_arn.name
  policy_arn = replace(aws_iam_policy.guide.arn, "/^arn:([^:]+):iam::[0-9]+:policy/.*$/", "arn:$1:iam::aws:policy/AdministratorAccess")
}

# An inline_policy block and an aws_iam_role_policy of the same name: the last one applied wins.
resource "aws_iam_role" "same_inline_name" {
  name               = "SameInlineName"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "RetrieveRecommendationsPolicy"
    policy = data.aws_iam_policy_document.permissions.json
  }
}
resource "aws_iam_role_policy" "same_inline_name" {
  name   = "RetrieveRecommendationsPolicy"
  role   = aws_iam_role.same_inline_name.name
  policy = local.everything
}

# An index computed from count.index: the other instance's role.
resource "aws_iam_role" "crossed" {
  count              = 2
  name_prefix        = "crossed${count.index}-"
  assume_role_policy = count.index == 0 ? data.aws_iam_policy_document.trust.json : data.aws_iam_policy_document.lambda_trust.json
}
resource "aws_iam_role_policy" "crossed" {
  count  = 2
  name   = "crossed${count.index}"
  role   = aws_iam_role.crossed[1 - count.index].name
  policy = count.index == 0 ? data.aws_iam_policy_document.permissions.json : local.everything
}

# A conditional between two roles, and a coalesce through another resource's output.
variable "to_lambda" {
  type    = bool
  default = false
}
resource "aws_iam_role" "decoy" {
  name               = "SomeLambdaRole"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}
resource "aws_iam_role" "conditional" {
  name_prefix        = "conditional-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy" "conditional" {
  name   = "everything"
  role   = var.to_lambda ? aws_iam_role.decoy.name : aws_iam_role.conditional.id
  policy = local.everything
}
resource "terraform_data" "target" {
  input = aws_iam_role.conditional.name
}
resource "aws_iam_role_policy" "coalesced" {
  name   = "everything-coalesced"
  role   = coalesce(terraform_data.target.output, aws_iam_role.decoy.name)
  policy = local.everything
}

# A dynamic block with an unquoted label and a for_each unknown until apply.
resource "terraform_data" "extra" {
  input = { everything = local.everything }
}
resource "aws_iam_role" "dynamic_unquoted" {
  name               = "DynamicUnquoted"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  dynamic "inline_policy" {
    for_each = terraform_data.extra.output
    content {
      name   = inline_policy.key
      policy = inline_policy.value
    }
  }
}

# Pinpoint acting for every account but the ones a fixed list of probes would try.
data "aws_iam_policy_document" "negated_trust" {
  source_policy_documents = [data.aws_iam_policy_document.trust.json]
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["pinpoint.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333", "444455556666", "777788889999", "222233334444"]
    }
    condition {
      test     = "StringNotLike"
      variable = "aws:SourceAccount"
      values   = ["*-*", "*q*"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:mobiletargeting:us-east-1:*:apps/*"]
    }
  }
}
resource "aws_iam_role" "negated" {
  name               = "NegatedAccounts"
  assume_role_policy = data.aws_iam_policy_document.negated_trust.json
}

# A resource policy that grants the role on its own, and a role that trusts it (role chaining).
resource "aws_iam_role" "granted_elsewhere" {
  name               = "GrantedElsewhere"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_s3_bucket" "data" {
  bucket = "review-adversarial-data"
}
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/GrantedElsewhere" }
      Action    = "s3:*"
      Resource  = "*"
    }]
  })
}
resource "aws_iam_role" "chained" {
  name = "OpsAdmin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/GrantedElsewhere" }, Action = "sts:AssumeRole" }]
  })
}

# A campaign of another account than the one the role is in.
resource "aws_iam_role" "other_account" {
  name               = "OtherAccountCampaign"
  assume_role_policy = replace(data.aws_iam_policy_document.trust.json, "111122223333", "444455556666")
  inline_policy {
    name   = "other-account"
    policy = replace(data.aws_iam_policy_document.permissions.json, "111122223333", "444455556666")
  }
}

# A trust of policy Version 2008-10-17, whose Denies compare a key with ${aws:SourceAccount}: in
# such a policy IAM reads that as the literal text, so the Denies never apply.
resource "aws_iam_role" "version_2008" {
  name = "Version2008"
  assume_role_policy = jsonencode({
    Version = "2008-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "pinpoint.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:mobiletargeting:*:*:apps/*" } }
      },
      {
        Effect    = "Deny"
        Principal = { Service = "pinpoint.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = {
          StringEquals    = { "aws:SourceAccount" = "$${aws:SourceAccount}" }
          StringNotEquals = { "aws:SourceAccount" = "111122223333" }
        }
      },
    ]
  })
}

# A bucket policy written with a policy document that names the role's ARN (unknown until apply).
resource "aws_iam_role" "via_document" {
  name_prefix        = "via-document-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_s3_bucket" "via_document" {
  bucket = "review-adversarial-via-document"
}
data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.via_document.arn, "${aws_s3_bucket.via_document.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.via_document.arn]
    }
  }
}
resource "aws_s3_bucket_policy" "via_document" {
  bucket = aws_s3_bucket.via_document.id
  policy = data.aws_iam_policy_document.bucket.json
}

# A queue policy that names the role through a local.
locals {
  queue_reader = aws_iam_role.via_local.arn
}
resource "aws_iam_role" "via_local" {
  name_prefix        = "via-local-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_sqs_queue" "via_local" {
  name = "review-adversarial-via-local"
}
resource "aws_sqs_queue_policy" "via_local" {
  queue_url = aws_sqs_queue.via_local.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = local.queue_reader }, Action = "sqs:*", Resource = aws_sqs_queue.via_local.arn }]
  })
}

# A bucket policy open to "*" and narrowed to the role by aws:PrincipalArn.
resource "aws_iam_role" "star_principal" {
  name               = "StarPrincipal"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_s3_bucket" "star_principal" {
  bucket = "review-adversarial-star-principal"
}
resource "aws_s3_bucket_policy" "star_principal" {
  bucket = aws_s3_bucket.star_principal.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
      Condition = { ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/StarPrincipal" } }
    }]
  })
}

# A splat over a module output that is every Pinpoint role of the module: the other output, the
# helper's name, is not the one read.
module "splat" {
  source = "./splat"
}
resource "aws_iam_policy" "splat_admin" {
  name   = "splat-admin"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "splat_admin" {
  name       = "splat-admin"
  roles      = module.splat.roles[*].name
  policy_arn = aws_iam_policy.splat_admin.arn
}

# A map local, one key of which is a Pinpoint role.
resource "aws_iam_role" "reporting" {
  name_prefix        = "reporting-"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}
resource "aws_iam_role" "map_local" {
  name_prefix        = "map-local-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
locals {
  roles = { pinpoint = aws_iam_role.map_local.name, reporting = aws_iam_role.reporting.name }
}
resource "aws_iam_policy" "read_everything" {
  name   = "read-everything"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "read_everything" {
  name       = "read-everything"
  roles      = [aws_iam_role.reporting.name, local.roles.pinpoint]
  policy_arn = aws_iam_policy.read_everything.arn
}

# A trust that also accepts Pinpoint templates: not a project nor a recommender.
data "aws_iam_policy_document" "templates_trust" {
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
      values = [
        "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*",
        "arn:aws:mobiletargeting:us-east-1:111122223333:templates/*",
      ]
    }
  }
}
resource "aws_iam_role" "templates" {
  name               = "Templates"
  assume_role_policy = data.aws_iam_policy_document.templates_trust.json
}

# A broad managed policy for the faults below.
resource "aws_iam_policy" "admin" {
  name   = "AdversarialAdmin"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}

# An attribute of another role that holds this role's name (a tag): a reference to a role names it
# only through its name, ARN or unique ID.
resource "aws_iam_role" "attribute_path" {
  name_prefix        = "attribute-path-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role" "attribute_path_carrier" {
  name_prefix        = "attribute-path-carrier-"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  tags               = { target = aws_iam_role.attribute_path.name }
}
resource "aws_iam_role_policy_attachment" "attribute_path" {
  role       = aws_iam_role.attribute_path_carrier.tags["target"]
  policy_arn = aws_iam_policy.admin.arn
}

# An attribute of a guide policy that holds another policy's ARN (its description).
resource "aws_iam_role" "policy_attribute_path" {
  name               = "PolicyAttributePath"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_policy" "carrier" {
  name        = "RetrieveRecommendationsPolicyCarrier"
  description = aws_iam_policy.admin.arn
  policy      = data.aws_iam_policy_document.permissions.json
}
resource "aws_iam_role_policy_attachment" "policy_attribute_path" {
  role       = aws_iam_role.policy_attribute_path.name
  policy_arn = aws_iam_policy.carrier.description
}

# The guide's policy here; widened_override.tf (an override file) attaches the broad one instead.
resource "aws_iam_role" "overridden" {
  name_prefix        = "overridden-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy_attachment" "overridden" {
  role       = aws_iam_role.overridden.name
  policy_arn = aws_iam_policy.guide.arn
}

# The broad policy on this role; .decoy.tf, which Terraform ignores, puts it on the Lambda role.
resource "aws_iam_role" "hidden_file" {
  name_prefix        = "hidden-file-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy_attachment" "hidden_file" {
  role       = aws_iam_role.hidden_file.name
  policy_arn = aws_iam_policy.admin.arn
}

# Resource policies that grant a role, each a way a string match missed: in a nested block, by a
# wildcard condition, by the account of whoever asks, by the role's name in other letter case.
resource "aws_iam_role" "resource_policies" {
  name               = "ResourcePolicies"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  managed_policy_arns = [aws_iam_policy.guide.arn]
}
resource "aws_s3control_multi_region_access_point_policy" "nested" {
  account_id = "111122223333"
  details {
    name = "adversarial-mrap"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/ResourcePolicies" }
        Action    = "s3:*"
        Resource  = "arn:aws:s3::111122223333:accesspoint/adversarial-mrap.mrap/object/*"
      }]
    })
  }
}
resource "aws_s3_bucket_policy" "arn_like" {
  bucket = "adversarial-arn-like"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::adversarial-arn-like/*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/ResourcePol*" } }
    }]
  })
}
resource "aws_s3_bucket_policy" "letter_case" {
  bucket = "adversarial-letter-case"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/resourcepolicies" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::adversarial-letter-case/*"
    }]
  })
}
resource "aws_sqs_queue" "whole_account" {
  name = "adversarial-whole-account"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sqs:SendMessage"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
    }]
  })
}
# Narrowed to another role: grants this one nothing.
resource "aws_s3_bucket_policy" "other_role" {
  bucket = "adversarial-other-role"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::adversarial-other-role/*"
      Condition = { ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/SomeoneElse" } }
    }]
  })
}

# More resource policies that grant a role: unknown until apply (naming the role by a literal ARN,
# or through another resource, or in a nested block), open to all but one session of the role, and
# in another policy language than IAM's.
resource "aws_iam_role" "resource_policies_more" {
  name                = "ResourcePoliciesMore"
  assume_role_policy  = data.aws_iam_policy_document.trust.json
  managed_policy_arns = [aws_iam_policy.guide.arn]
}
resource "aws_sqs_queue" "literal_arn" {
  name = "adversarial-literal-arn"
}
resource "aws_sqs_queue_policy" "literal_arn" {
  queue_url = aws_sqs_queue.literal_arn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/ResourcePoliciesMore" }
      Action    = "sqs:*"
      Resource  = aws_sqs_queue.literal_arn.arn
    }]
  })
}
resource "terraform_data" "who" {
  input = aws_iam_role.resource_policies_more.arn
}
resource "aws_s3_bucket_policy" "through_resource" {
  bucket = "adversarial-through-resource"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = terraform_data.who.output }, Action = "s3:*", Resource = "*" }]
  })
}
resource "aws_s3control_multi_region_access_point_policy" "nested_unknown" {
  account_id = "111122223333"
  details {
    name = "adversarial-nested-unknown"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.resource_policies_more.arn }
        Action    = "s3:*"
        Resource  = "arn:aws:s3::111122223333:accesspoint/adversarial-nested-unknown.mrap/object/*"
      }]
    })
  }
}
resource "aws_s3_bucket_policy" "not_principal" {
  bucket = "adversarial-not-principal"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect       = "Allow"
      NotPrincipal = { AWS = "arn:aws:sts::111122223333:assumed-role/ResourcePoliciesMore/some-other-session" }
      Action       = "s3:GetObject"
      Resource     = "arn:aws:s3:::adversarial-not-principal/*"
    }]
  })
}
resource "aws_opensearchserverless_access_policy" "other_language" {
  name = "adversarial-other-language"
  type = "data"
  policy = jsonencode([{
    Rules     = [{ ResourceType = "index", Resource = ["index/adversarial/*"], Permission = ["aoss:*"] }]
    Principal = ["arn:aws:iam::111122223333:role/ResourcePoliciesMore"]
  }])
}

# Trusts that narrow aws:SourceArn twice: a second statement admitting the account's projects in
# eu- Regions, and an ArnLike on the account with a StringLike on "apps/" anywhere in the ARN
# (a template whose path holds "apps/" is no project).
resource "aws_iam_role" "trust_other_regions" {
  name = "TrustOtherRegions"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      jsondecode(data.aws_iam_policy_document.trust.json).Statement[0],
      {
        Effect    = "Allow"
        Principal = { Service = "pinpoint.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = {
          StringEquals = { "aws:SourceAccount" = "111122223333" }
          ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:*:111122223333:apps/*" }
          StringLike   = { "aws:SourceArn" = "*:eu-*" }
        }
      },
    ]
  })
  managed_policy_arns = [aws_iam_policy.guide.arn]
}
resource "aws_iam_role" "trust_apps_anywhere" {
  name = "TrustAppsAnywhere"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pinpoint.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "111122223333" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:*" }
        StringLike   = { "aws:SourceArn" = "*apps/*" }
      }
    }]
  })
  managed_policy_arns = [aws_iam_policy.guide.arn]
}

# A resource policy under another argument name (an ECR repository creation template's), unknown
# until apply.
resource "aws_ecr_repository_creation_template" "other_argument" {
  prefix      = "adversarial"
  applied_for = ["PULL_THROUGH_CACHE"]
  repository_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Role"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.trust_apps_anywhere.arn }
      Action    = "ecr:*"
    }]
  })
}

# A permissions boundary in the plan that leaves only one of the guide's three actions: Pinpoint
# cannot use the role.
resource "aws_iam_policy" "narrow_boundary" {
  name = "NarrowBoundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "personalize:DescribeCampaign", Resource = "*" }]
  })
}
resource "aws_iam_role" "narrowed_by_boundary" {
  name                 = "NarrowedByBoundary"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = aws_iam_policy.narrow_boundary.arn
  managed_policy_arns  = [aws_iam_policy.guide.arn]
}

# aws:SourceArn narrowed by a list of Region shapes: ap-*-1 admits the account's projects in
# ap-northeast-1, ap-south-1...
resource "aws_iam_role" "trust_region_shapes" {
  name = "TrustRegionShapes"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pinpoint.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "111122223333" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:mobiletargeting:*:111122223333:apps/*" }
        StringLike   = { "aws:SourceArn" = ["arn:aws:mobiletargeting:us-east-1:*", "arn:aws:mobiletargeting:ap-*-1:*"] }
      }
    }]
  })
  managed_policy_arns = [aws_iam_policy.guide.arn]
}
