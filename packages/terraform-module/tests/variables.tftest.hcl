# Every validation rule of every variable refuses a value that breaks it alone, before anything is
# planned; values at the limits of the rules are accepted. A variable with two rules breaks its
# first in one run and its second in another. The rules need no provider: a mocked one keeps the
# runs fast, its data sources giving valid values (an empty policy document, an account, a
# partition and a Region).

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

variables {
  campaign_id = "my-campaign"
  solution_id = "my-solution"
}

run "first_rules" {
  command = plan

  variables {
    # Not an ARN (an ARN also breaks the name rule: it has colons).
    campaign_id = "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign"
    solution_id = "arn:aws:personalize:us-east-1:111122223333:solution/my-solution"
    # A role name: 1-64 characters.
    name = join("", [for i in range(65) : "r"])
    # A policy name: no slash.
    policy_name = "a/b"
    # A role path begins and ends with a slash.
    path = "/pinpoint"
    # A policy path has no empty segment.
    policy_path = "//"
    # A role description is printable Latin-1, tab or newline.
    description = "a bell: \u0007"
    # A policy description: at most 1000 characters.
    policy_description = join("", [for i in range(1001) : "d"])
    # From 1 to 12 hours.
    max_session_duration = 3599
    # A managed policy's ARN, not a role's.
    permissions_boundary = "arn:aws:iam::111122223333:role/admin"
    # A Pinpoint ARN in one account: no wildcard in the account.
    trusted_source_arns = ["arn:aws:mobiletargeting:us-east-1:*:apps/*"]
    # At most 50 tags.
    tags = { for i in range(51) : "k${i}" => "v" }
  }

  expect_failures = [
    var.campaign_id,
    var.solution_id,
    var.name,
    var.policy_name,
    var.path,
    var.policy_path,
    var.description,
    var.policy_description,
    var.max_session_duration,
    var.permissions_boundary,
    var.trusted_source_arns,
    var.tags,
  ]
}

# On its own: trusted_source_arns's rules read pinpoint_application_ids, and Terraform checks no
# rule that reads an invalid variable.
run "pinpoint_application_ids_rule" {
  command = plan

  variables {
    # Pinpoint project IDs are letters and digits.
    pinpoint_application_ids = ["abc", "*"]
  }

  expect_failures = [var.pinpoint_application_ids]
}

run "second_rules" {
  command = plan

  variables {
    # A campaign or solution name: letters, digits, - and _ only.
    campaign_id = "my-campaign*"
    solution_id = "solución"
    # A role name prefix: 1-38 characters (the provider appends 26).
    name            = join("", [for i in range(39) : "p"])
    use_name_prefix = true
    # A policy name prefix: 1-102 characters.
    policy_name            = join("", [for i in range(103) : "p"])
    policy_use_name_prefix = true
    # Project IDs and source ARNs conflict (each valid on its own).
    pinpoint_application_ids = ["abc"]
    trusted_source_arns      = ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"]
    # Tag keys and values: letters, digits, spaces and _.:/=+@- only.
    tags = { team = "$${x}" }
  }

  expect_failures = [
    var.campaign_id,
    var.solution_id,
    var.name,
    var.policy_name,
    var.trusted_source_arns,
    var.tags,
  ]
}

run "third_rules" {
  command = plan

  variables {
    # IAM compares a role's tag keys ignoring letter case: these two are one key.
    tags = { Team = "growth", team = "search" }
  }

  expect_failures = [var.tags]
}

run "reserved_tag_prefix" {
  command = plan

  variables {
    # Tag keys starting with aws: (in any letter case) are AWS's.
    tags = { "AWS:team" = "growth" }
  }

  expect_failures = [var.tags]
}

run "values_at_the_limits" {
  command = plan

  variables {
    campaign_id            = join("", [for i in range(63) : "c"])
    solution_id            = "0"
    name                   = join("", [for i in range(38) : "p"])
    use_name_prefix        = true
    policy_name            = join("", [for i in range(102) : "p"])
    policy_use_name_prefix = true
    path                   = "/a/b/"
    policy_path            = "/a/b/"
    description            = join("", [for i in range(1000) : "d"])
    policy_description     = join("", [for i in range(1000) : "d"])
    max_session_duration   = 43200
    permissions_boundary   = "arn:aws:iam::aws:policy/PowerUserAccess"
    trusted_source_arns    = ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"]
    tags                   = { for i in range(50) : "k ${i}" => "v:/=+@-._" }
  }

  assert {
    condition = (
      length(aws_iam_role.this.tags) == 50 && aws_iam_role.this.max_session_duration == 43200
    )
    error_message = "The values at the limits of the rules must be planned."
  }
}
