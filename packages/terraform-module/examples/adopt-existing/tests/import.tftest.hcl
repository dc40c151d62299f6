# The import blocks: each of the three resources that AWS's guide makes by hand is imported at the
# ID that IAM knows it by. The provider is mocked; a mocked provider cannot import, so the three
# resources are overridden with what IAM would return for them.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_service" {
    defaults = {
      region = "us-east-1"
    }
  }
}

override_resource {
  target = module.pinpoint_recommendations.aws_iam_role.this
  values = {
    arn = "arn:aws:iam::111122223333:role/PinpointRoleforPersonalize"
  }
}

override_resource {
  target = module.pinpoint_recommendations.aws_iam_policy.this
  values = {
    arn = "arn:aws:iam::111122223333:policy/RetrieveRecommendationsPolicy"
  }
}

override_resource {
  target = module.pinpoint_recommendations.aws_iam_role_policy_attachment.this
}

run "imports_at_iam_ids" {
  command = plan

  assert {
    condition     = local.role_name == "PinpointRoleforPersonalize"
    error_message = "The role is imported by its name."
  }
  assert {
    condition = (
      local.policy_arn == "arn:aws:iam::111122223333:policy/RetrieveRecommendationsPolicy"
    )
    error_message = "The policy is imported by its ARN: ${local.policy_arn}"
  }
}
