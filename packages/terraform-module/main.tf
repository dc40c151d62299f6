# Where the role lives: the provider's partition, Region and account. The Region comes from
# data.aws_service, whose region attribute hashicorp/aws 5.x and 6.x both keep (6.x deprecates
# data.aws_region's name). Every ARN below carries them, so each must be what it says: a provider
# with skip_region_validation takes any Region, "*" too, and its partition follows the Region.
data "aws_partition" "current" {
  lifecycle {
    postcondition {
      condition     = can(regex("^aws(-[a-z]+)*$", self.partition))
      error_message = <<-EOT
        The provider's partition must be an AWS partition such as aws, aws-cn or aws-us-gov;
        received ${jsonencode(self.partition)}.
      EOT
    }
  }
}

data "aws_service" "personalize" {
  service_id = "personalize"

  lifecycle {
    postcondition {
      condition     = can(regex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$", self.region))
      error_message = <<-EOT
        The provider's Region must be an AWS Region code such as us-east-1;
        received ${jsonencode(self.region)}.
      EOT
    }
  }
}

data "aws_caller_identity" "current" {
  lifecycle {
    postcondition {
      condition     = can(regex("^[0-9]{12}$", self.account_id))
      error_message = <<-EOT
        The provider's account ID must be a 12-digit AWS account ID;
        received ${jsonencode(self.account_id)}.
      EOT
    }
  }
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_service.personalize.region
  account_id = data.aws_caller_identity.current.account_id

  personalize_arn_prefix = "arn:${local.partition}:personalize:${local.region}:${local.account_id}"
  solution_arn           = "${local.personalize_arn_prefix}:solution/${var.solution_id}"
  campaign_arn           = "${local.personalize_arn_prefix}:campaign/${var.campaign_id}"

  # Amazon Pinpoint's ARNs in this partition, Region and account: the trust's aws:SourceArn.
  source_arn_prefix = "arn:${local.partition}:mobiletargeting:${local.region}:${local.account_id}:"
  project_arns = [
    for id in var.pinpoint_application_ids : "${local.source_arn_prefix}apps/${id}"
  ]

  # The first that is not empty: the given source ARNs, the projects' ARNs, every project.
  trusted_source_arns = coalescelist(
    var.trusted_source_arns,
    local.project_arns,
    ["${local.source_arn_prefix}apps/*"],
  )
}

# AWS's statement for Pinpoint recommendations: three actions on exactly one campaign and the
# solution it deploys.
data "aws_iam_policy_document" "permissions" {
  statement {
    sid    = "RetrieveRecommendationsOneCampaign"
    effect = "Allow"
    actions = [
      "personalize:DescribeSolution",
      "personalize:DescribeCampaign",
      "personalize:GetRecommendations",
    ]
    resources = [local.solution_arn, local.campaign_arn]
  }
}

# Only Amazon Pinpoint may assume the role, and only for this account's projects (AWS's
# confused-deputy conditions).
data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["pinpoint.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = local.trusted_source_arns
    }
  }

  lifecycle {
    # The one rule a variable cannot check alone: the account and Region are known only here. A
    # source ARN elsewhere matches no request, since aws:SourceAccount is the role's account.
    precondition {
      condition = alltrue([
        for arn in var.trusted_source_arns : startswith(arn, local.source_arn_prefix)
      ])
      error_message = <<-EOT
        Each of trusted_source_arns must be in the role's partition, Region and account,
        ${local.source_arn_prefix}...; received ${jsonencode(var.trusted_source_arns)}.
      EOT
    }
  }
}

resource "aws_iam_policy" "this" {
  name        = var.policy_use_name_prefix ? null : var.policy_name
  name_prefix = var.policy_use_name_prefix ? var.policy_name : null
  path        = var.policy_path
  description = var.policy_description
  policy      = data.aws_iam_policy_document.permissions.json
  tags        = var.tags

  # Made only once the trust's precondition has passed, as the role is: a source ARN known only at
  # apply and outside the provider's place leaves nothing behind.
  depends_on = [data.aws_iam_policy_document.trust]
}

resource "aws_iam_role" "this" {
  name                 = var.use_name_prefix ? null : var.name
  name_prefix          = var.use_name_prefix ? var.name : null
  path                 = var.path
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this.arn
}
