# The permissions and trust documents as the real provider renders them, decoded, for the inputs
# that change them; names, paths, tags and the boundary; the ARN outputs; another partition.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAMODULETEST000000"
  secret_key                  = "module-test-not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# A Region of another partition: the ARNs follow it (the partition and the Region are computed
# by the provider from its Region, with no call to AWS).
provider "aws" {
  alias                       = "china"
  region                      = "cn-north-1"
  access_key                  = "AKIAMODULETEST000000"
  secret_key                  = "module-test-not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# The European Sovereign Cloud: a partition and a Region code of its own (eusc-de-east-1).
provider "aws" {
  alias                       = "sovereign"
  region                      = "eusc-de-east-1"
  access_key                  = "AKIAMODULETEST000000"
  secret_key                  = "module-test-not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# A Region that is no Region, which skip_region_validation lets the provider take.
provider "aws" {
  alias                       = "any_region"
  region                      = "*"
  access_key                  = "AKIAMODULETEST000000"
  secret_key                  = "module-test-not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# The only data source that would call AWS (STS GetCallerIdentity).
override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "111122223333"
  }
}

variables {
  campaign_id = "my-campaign"
  solution_id = "my-solution"
}

run "defaults" {
  command = plan

  assert {
    condition = (
      jsondecode(aws_iam_policy.this.policy).Version == "2012-10-17" &&
      length(jsondecode(aws_iam_policy.this.policy).Statement) == 1
    )
    error_message = "The policy must have one statement."
  }
  assert {
    condition = {
      for k, v in jsondecode(aws_iam_policy.this.policy).Statement[0] :
      k => (can(tolist(v)) ? toset(v) : v)
      } == {
      Sid    = "RetrieveRecommendationsOneCampaign"
      Effect = "Allow"
      Action = toset([
        "personalize:DescribeSolution",
        "personalize:DescribeCampaign",
        "personalize:GetRecommendations",
      ])
      Resource = toset([
        "arn:aws:personalize:us-east-1:111122223333:solution/my-solution",
        "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign",
      ])
    }
    error_message = <<-EOT
      The policy must allow AWS's three actions on exactly the campaign and its solution:
      ${aws_iam_policy.this.policy}
    EOT
  }
  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "pinpoint.amazonaws.com" }
        Condition = {
          StringEquals = { "aws:SourceAccount" = "111122223333" }
          ArnLike = {
            "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*"
          }
        }
      }]
    }
    error_message = <<-EOT
      The trust must let only Pinpoint, for this account's projects, assume the role:
      ${aws_iam_role.this.assume_role_policy}
    EOT
  }
  assert {
    condition = (
      aws_iam_role.this.name == "PinpointRoleforPersonalize" &&
      aws_iam_policy.this.name == "RetrieveRecommendationsPolicy"
    )
    error_message = "The default names must be those of AWS's guide."
  }
  assert {
    condition = (
      aws_iam_role.this.path == "/" && aws_iam_policy.this.path == "/" &&
      aws_iam_role.this.max_session_duration == 3600
    )
    error_message = "The default path must be / and the session one hour."
  }
  assert {
    condition = (
      aws_iam_role.this.permissions_boundary == null && aws_iam_role.this.description == null &&
      aws_iam_policy.this.description == null
    )
    error_message = "No boundary and no descriptions by default."
  }
  assert {
    condition = (
      output.campaign_arn == "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign"
    )
    error_message = "campaign_arn must be the campaign's ARN: ${output.campaign_arn}"
  }
  assert {
    condition = (
      output.solution_arn == "arn:aws:personalize:us-east-1:111122223333:solution/my-solution"
    )
    error_message = "solution_arn must be the solution's ARN: ${output.solution_arn}"
  }
}

run "pinpoint_application_ids" {
  command = plan

  variables {
    pinpoint_application_ids = ["0123456789abcdef0123456789abcdef", "fedcba9876543210"]
  }

  assert {
    condition = {
      for k, v in jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.ArnLike :
      k => toset(v)
      } == {
      "aws:SourceArn" = toset([
        "arn:aws:mobiletargeting:us-east-1:111122223333:apps/0123456789abcdef0123456789abcdef",
        "arn:aws:mobiletargeting:us-east-1:111122223333:apps/fedcba9876543210",
      ])
    }
    error_message = <<-EOT
      The trust must accept exactly these projects: ${aws_iam_role.this.assume_role_policy}
    EOT
  }
  assert {
    condition = (
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals ==
      { "aws:SourceAccount" = "111122223333" }
    )
    error_message = "The trust must keep the source account."
  }
}

run "trusted_source_arns" {
  command = plan

  variables {
    trusted_source_arns = ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"]
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.ArnLike ==
      { "aws:SourceArn" = "arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*" }
    )
    error_message = <<-EOT
      The trust must accept exactly the given source ARNs: ${aws_iam_role.this.assume_role_policy}
    EOT
  }
}

run "name_prefixes_paths_descriptions_tags_and_boundary" {
  command = plan

  variables {
    name                   = "Pinpoint-"
    use_name_prefix        = true
    policy_name            = "Recommendations-"
    policy_use_name_prefix = true
    path                   = "/pinpoint/"
    policy_path            = "/pinpoint/"
    description            = "Lets Pinpoint read recommendations."
    policy_description     = "Reads one campaign."
    max_session_duration   = 7200
    permissions_boundary   = "arn:aws:iam::111122223333:policy/Boundary"
    tags                   = { Team = "recommendations" }
  }

  assert {
    condition = (
      aws_iam_role.this.name_prefix == "Pinpoint-" &&
      aws_iam_policy.this.name_prefix == "Recommendations-"
    )
    error_message = "With use_name_prefix, the names must be prefixes."
  }
  assert {
    condition = (
      aws_iam_role.this.path == "/pinpoint/" && aws_iam_policy.this.path == "/pinpoint/"
    )
    error_message = "The paths must be the given ones."
  }
  assert {
    condition = (
      aws_iam_role.this.description == "Lets Pinpoint read recommendations." &&
      aws_iam_policy.this.description == "Reads one campaign."
    )
    error_message = "The descriptions must be the given ones."
  }
  assert {
    condition = (
      aws_iam_role.this.max_session_duration == 7200 &&
      aws_iam_role.this.permissions_boundary == "arn:aws:iam::111122223333:policy/Boundary"
    )
    error_message = "The session duration and the boundary must be the given ones."
  }
  assert {
    condition = (
      aws_iam_role.this.tags == tomap({ Team = "recommendations" }) &&
      aws_iam_policy.this.tags == tomap({ Team = "recommendations" })
    )
    error_message = "The role and the policy must carry the tags."
  }
}

run "another_partition" {
  command = plan

  providers = {
    aws = aws.china
  }

  assert {
    condition = toset(jsondecode(aws_iam_policy.this.policy).Statement[0].Resource) == toset([
      "arn:aws-cn:personalize:cn-north-1:111122223333:solution/my-solution",
      "arn:aws-cn:personalize:cn-north-1:111122223333:campaign/my-campaign",
    ])
    error_message = <<-EOT
      The ARNs must be in the provider's partition and Region: ${aws_iam_policy.this.policy}
    EOT
  }
  assert {
    condition = (
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.ArnLike ==
      { "aws:SourceArn" = "arn:aws-cn:mobiletargeting:cn-north-1:111122223333:apps/*" }
    )
    error_message = <<-EOT
      The source ARN must be in the provider's partition and Region:
      ${aws_iam_role.this.assume_role_policy}
    EOT
  }
}

# A Region code whose first part has more than two letters is a Region code too.
run "a_region_of_another_shape" {
  command = plan

  providers = {
    aws = aws.sovereign
  }

  assert {
    condition = toset(jsondecode(aws_iam_policy.this.policy).Statement[0].Resource) == toset([
      "arn:aws-eusc:personalize:eusc-de-east-1:111122223333:solution/my-solution",
      "arn:aws-eusc:personalize:eusc-de-east-1:111122223333:campaign/my-campaign",
    ])
    error_message = <<-EOT
      The ARNs must be in the provider's partition and Region: ${aws_iam_policy.this.policy}
    EOT
  }
}

# Apply with the three resources overridden (nothing is created): the outputs that read them,
# which wait for the attachment.
run "outputs" {
  override_resource {
    target = aws_iam_role.this
    values = {
      arn       = "arn:aws:iam::111122223333:role/PinpointRoleforPersonalize"
      unique_id = "AROAMODULETEST000000"
    }
  }
  override_resource {
    target = aws_iam_policy.this
    values = {
      arn = "arn:aws:iam::111122223333:policy/RetrieveRecommendationsPolicy"
    }
  }
  override_resource {
    target = aws_iam_role_policy_attachment.this
  }

  assert {
    condition = (
      output.role_arn == "arn:aws:iam::111122223333:role/PinpointRoleforPersonalize" &&
      output.role_name == "PinpointRoleforPersonalize" &&
      output.role_unique_id == "AROAMODULETEST000000"
    )
    error_message = "The role outputs must be the role's."
  }
  assert {
    condition = (
      output.policy_arn == "arn:aws:iam::111122223333:policy/RetrieveRecommendationsPolicy" &&
      output.policy_name == "RetrieveRecommendationsPolicy"
    )
    error_message = "The policy outputs must be the policy's."
  }
  assert {
    condition = (
      aws_iam_role_policy_attachment.this.role == "PinpointRoleforPersonalize" &&
      aws_iam_role_policy_attachment.this.policy_arn == output.policy_arn
    )
    error_message = "The attachment must attach the policy to the role."
  }
}

# The provider's Region goes into every ARN: "*" would be every Region's campaign and projects.
# Without a call to STS, the partition follows the Region, and is "" for this one.
run "a_provider_region_of_any_region_is_refused" {
  command = plan

  providers = {
    aws = aws.any_region
  }

  expect_failures = [data.aws_partition.current, data.aws_service.personalize]
}
