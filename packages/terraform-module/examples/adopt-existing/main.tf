provider "aws" {
  region = "us-east-1"
}

module "pinpoint_recommendations" {
  source = "../../"

  campaign_id = "my-campaign"
  solution_id = "my-solution"
}

# The role, the policy and the attachment that AWS's guide makes with the AWS CLI, under its
# names: the first apply imports them instead of failing with EntityAlreadyExists, then updates
# them to this configuration (the trust gains the confused-deputy conditions). Import blocks
# belong in the root module; once applied, they can be removed.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  partition   = data.aws_partition.current.partition
  account_id  = data.aws_caller_identity.current.account_id
  role_name   = "PinpointRoleforPersonalize"
  policy_name = "RetrieveRecommendationsPolicy"
  policy_arn  = "arn:${local.partition}:iam::${local.account_id}:policy/${local.policy_name}"
}

import {
  to = module.pinpoint_recommendations.aws_iam_role.this
  id = local.role_name
}

import {
  to = module.pinpoint_recommendations.aws_iam_policy.this
  id = local.policy_arn
}

import {
  to = module.pinpoint_recommendations.aws_iam_role_policy_attachment.this
  id = "${local.role_name}/${local.policy_arn}"
}
