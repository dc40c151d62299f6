# Each variable's rules are AWS's own (the API named in its description), checked here so that a
# bad value fails the plan before anything is read or created. A message names the variable and
# the rule; Terraform prints the value it refused above it.
#
# Lengths count Unicode code points, as AWS does, not length()'s grapheme clusters ("\r\n", or e
# followed by U+0301, is one cluster and two code points). Where a rule's pattern admits only
# ASCII with no line break, the two counts agree and length() is used; elsewhere
# length(regexall("(?s).", x)) counts code points. (A bounded quantifier such as {1,64} would count
# them too, but RE2 compiles one copy of its class per count, and Terraform compiles per call.)

variable "campaign_id" {
  description = <<-EOT
    Name of the Amazon Personalize campaign to read recommendations from: the part after
    "campaign/" in its ARN, not the ARN. 1-63 letters, digits, - and _, starting with a letter or
    digit (Personalize CreateCampaign's name).
  EOT
  type        = string
  nullable    = false

  validation {
    condition     = !startswith(var.campaign_id, "arn:")
    error_message = "campaign_id must be the campaign's name (after \"campaign/\"), not its ARN."
  }
  validation {
    condition = (
      length(var.campaign_id) <= 63 && can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$", var.campaign_id))
    )
    error_message = <<-EOT
      campaign_id must be an Amazon Personalize campaign name: 1-63 letters, digits, - and _,
      starting with a letter or digit.
    EOT
  }
}

variable "solution_id" {
  description = <<-EOT
    Name of the Amazon Personalize solution that the campaign deploys: the part after "solution/"
    in its ARN. 1-63 letters, digits, - and _, starting with a letter or digit (Personalize
    CreateSolution's name).
  EOT
  type        = string
  nullable    = false

  validation {
    condition     = !startswith(var.solution_id, "arn:")
    error_message = "solution_id must be the solution's name (after \"solution/\"), not its ARN."
  }
  validation {
    condition = (
      length(var.solution_id) <= 63 && can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$", var.solution_id))
    )
    error_message = <<-EOT
      solution_id must be an Amazon Personalize solution name: 1-63 letters, digits, - and _,
      starting with a letter or digit.
    EOT
  }
}

variable "pinpoint_application_ids" {
  description = <<-EOT
    IDs of the Amazon Pinpoint projects that may use the role, each 1-64 letters and digits: the
    trust accepts aws:SourceArn arn:<partition>:mobiletargeting:<region>:<account>:apps/<id> for
    each. Empty (the default) accepts every project of the account (apps/*). Conflicts with
    trusted_source_arns.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition = alltrue([
      for id in var.pinpoint_application_ids : try(
        length(id) <= 64 && can(regex("^[A-Za-z0-9]+$", id)),
        false
      )
    ])
    error_message = <<-EOT
      Each of pinpoint_application_ids must be an Amazon Pinpoint project ID, 1-64 letters and
      digits; received ${jsonencode(var.pinpoint_application_ids)}.
    EOT
  }
}

variable "trusted_source_arns" {
  description = <<-EOT
    The aws:SourceArn values the trust accepts, instead of the projects' ARNs: Amazon Pinpoint
    ARNs arn:<partition>:mobiletargeting:<region>:<account>:<resource>, at most 2048 characters,
    the resource of letters, digits and /_.- with * as the only wildcard, in the provider's
    partition, Region and account (checked when the plan reads them), e.g.
    arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*. Empty (the default) keeps the
    projects' ARNs. Conflicts with pinpoint_application_ids.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    # try: a null element fails the rule rather than the expression. The pattern is ASCII, so
    # length() counts its matches' code points exactly.
    condition = alltrue([
      for arn in var.trusted_source_arns : try(length(arn) <= 2048 && can(regex(
        "^arn:aws(-[a-z]+)*:mobiletargeting:[a-z]{2,}(-[a-z]+)+-[0-9]+:[0-9]{12}:[\\w/.*-]+$", arn
      )), false)
    ])
    error_message = <<-EOT
      Each of trusted_source_arns must be an Amazon Pinpoint ARN of one Region and account,
      arn:<partition>:mobiletargeting:<region>:<account ID>:<resource>, at most 2048 characters,
      the resource of letters, digits and /_.-*; received ${jsonencode(var.trusted_source_arns)}.
    EOT
  }
  validation {
    condition = (
      length(var.trusted_source_arns) == 0 || length(var.pinpoint_application_ids) == 0
    )
    error_message = "trusted_source_arns conflicts with pinpoint_application_ids: set one at most."
  }
}

variable "name" {
  description = <<-EOT
    Name of the IAM role: 1-64 letters, digits and +=,.@_- (IAM CreateRole's RoleName); with
    use_name_prefix, its prefix, 1-38 of them (the provider appends 26). Unique in the account,
    ignoring letter case. Defaults to the name in AWS's guide.
  EOT
  type        = string
  default     = "PinpointRoleforPersonalize"
  nullable    = false

  validation {
    condition = (
      var.use_name_prefix || length(var.name) <= 64 && can(regex("^[\\w+=,.@-]+$", var.name))
    )
    error_message = "name must be an IAM role name: 1-64 letters, digits and +=,.@_-."
  }
  validation {
    condition = (
      !var.use_name_prefix || length(var.name) <= 38 && can(regex("^[\\w+=,.@-]+$", var.name))
    )
    error_message = <<-EOT
      name, with use_name_prefix, must be an IAM role name prefix: 1-38 letters, digits and
      +=,.@_- (the provider appends 26).
    EOT
  }
}

variable "use_name_prefix" {
  description = "Whether name is a prefix, to which the provider appends a unique suffix."
  type        = bool
  default     = false
  nullable    = false
}

variable "path" {
  description = <<-EOT
    Path of the IAM role: "/" (the default), or printable ASCII that begins and ends with "/", at
    most 512 characters (IAM CreateRole's Path).
  EOT
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = length(var.path) <= 512 && can(regex("^(/|/[!-~]+/)$", var.path))
    error_message = <<-EOT
      path must be an IAM role path: "/", or printable ASCII that begins and ends with "/", at
      most 512 characters.
    EOT
  }
}

variable "description" {
  description = <<-EOT
    Description of the IAM role, or null (the default) for none: at most 1000 characters of
    printable Latin-1, tab or newline (IAM CreateRole's Description), and at most 1000 bytes of
    UTF-8, where é and the rest of Latin-1's upper half take 2 (hashicorp/aws's limit).
  EOT
  type        = string
  default     = null

  validation {
    # Under the pattern every character is ASCII (one byte of UTF-8) or Latin-1's upper half
    # (two): the bytes are the code points plus the non-ASCII ones.
    condition = var.description == null ? true : (
      can(regex("^[\\t\\n\\r\\x20-\\x7E\\xA1-\\xFF]*$", var.description)) &&
      length(regexall("(?s).", var.description)) +
      length(regexall("[^\\x00-\\x7F]", var.description)) <= 1000
    )
    error_message = <<-EOT
      description must be an IAM role description: printable Latin-1, tab or newline, at most
      1000 characters and 1000 bytes of UTF-8 (é takes 2).
    EOT
  }
}

variable "max_session_duration" {
  description = <<-EOT
    Maximum session duration of the IAM role, in seconds: a whole number from 3600 (the default,
    one hour) to 43200 (IAM CreateRole's MaxSessionDuration).
  EOT
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition = (
      var.max_session_duration >= 3600 && var.max_session_duration <= 43200 &&
      floor(var.max_session_duration) == var.max_session_duration
    )
    error_message = "max_session_duration must be a whole number of seconds from 3600 to 43200."
  }
}

variable "permissions_boundary" {
  description = <<-EOT
    ARN of the managed policy that sets the IAM role's permissions boundary, or null (the default)
    for none: arn:<partition>:iam::<account ID or aws>:policy<path><name>, 20-2048 characters
    (IAM CreateRole's PermissionsBoundary).
  EOT
  type        = string
  default     = null

  validation {
    # The pattern is ASCII and its shortest match has 25 characters: length() counts exactly.
    condition = var.permissions_boundary == null ? true : (
      length(var.permissions_boundary) <= 2048 && can(regex(
        "^arn:aws(-[a-z]+)*:iam::([0-9]{12}|aws):policy(/[\\w.,+@=-]+)*/[\\w+=,.@-]+$",
        var.permissions_boundary
      ))
    )
    error_message = <<-EOT
      permissions_boundary must be an IAM managed policy ARN,
      arn:<partition>:iam::<account ID or aws>:policy<path><name>, at most 2048 characters.
    EOT
  }
}

variable "policy_name" {
  description = <<-EOT
    Name of the IAM policy: 1-128 letters, digits and +=,.@_- (IAM CreatePolicy's PolicyName);
    with policy_use_name_prefix, its prefix, 1-102 of them (the provider appends 26). Defaults to
    the name in AWS's guide.
  EOT
  type        = string
  default     = "RetrieveRecommendationsPolicy"
  nullable    = false

  validation {
    condition = (
      var.policy_use_name_prefix ||
      length(var.policy_name) <= 128 && can(regex("^[\\w+=,.@-]+$", var.policy_name))
    )
    error_message = "policy_name must be an IAM policy name: 1-128 letters, digits and +=,.@_-."
  }
  validation {
    condition = (
      !var.policy_use_name_prefix ||
      length(var.policy_name) <= 102 && can(regex("^[\\w+=,.@-]+$", var.policy_name))
    )
    error_message = <<-EOT
      policy_name, with policy_use_name_prefix, must be an IAM policy name prefix: 1-102
      letters, digits and +=,.@_- (the provider appends 26).
    EOT
  }
}

variable "policy_use_name_prefix" {
  description = "Whether policy_name is a prefix, to which the provider appends a unique suffix."
  type        = bool
  default     = false
  nullable    = false
}

variable "policy_path" {
  description = <<-EOT
    Path of the IAM policy: "/" (the default), or segments of letters, digits and .,+@=_- each
    after a "/", ending with "/", at most 512 characters (IAM CreatePolicy's Path).
  EOT
  type        = string
  default     = "/"
  nullable    = false

  validation {
    # The pattern is ASCII: length() counts its matches' code points exactly.
    condition = (
      length(var.policy_path) <= 512 && can(regex("^(/[\\w.,+@=-]+)*/$", var.policy_path))
    )
    error_message = <<-EOT
      policy_path must be an IAM policy path: "/", or segments of letters, digits and .,+@=_-
      each after a "/", ending with "/", at most 512 characters.
    EOT
  }
}

variable "policy_description" {
  description = <<-EOT
    Description of the IAM policy, or null (the default) for none: at most 1000 characters (IAM
    CreatePolicy's Description). IAM cannot change it in place: a new value replaces the policy.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.policy_description == null ? true : (
      length(regexall("(?s).", var.policy_description)) <= 1000
    )
    error_message = "policy_description must be an IAM policy description: at most 1000 characters."
  }
}

variable "tags" {
  description = <<-EOT
    Tags for the IAM role and the IAM policy, at most 50: keys of 1-128 and values of 0-256
    letters, digits, spaces and _.:/=+@-, neither starting with aws: in any letter case, and keys
    distinct ignoring letter case (IAM's tagging rules). Default: none.
  EOT
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.tags) <= 50
    error_message = "tags must have at most 50 entries (IAM's limit); it has ${length(var.tags)}."
  }
  validation {
    condition = alltrue([
      for key in keys(var.tags) :
      length(regexall("(?s).", key)) <= 128 &&
      can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]+$", key)) && !startswith(lower(key), "aws:")
    ])
    error_message = <<-EOT
      Each key of tags must be an IAM tag key: 1-128 letters, digits, spaces and _.:/=+@-, not
      starting with aws: in any letter case; received keys ${jsonencode(keys(var.tags))}.
    EOT
  }
  validation {
    # try: a null value fails the rule rather than the expression.
    condition = alltrue([
      for value in values(var.tags) : try(
        length(regexall("(?s).", value)) <= 256 &&
        can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$", value)) &&
        !startswith(lower(value), "aws:"),
        false
      )
    ])
    error_message = <<-EOT
      Each value of tags must be an IAM tag value: at most 256 letters, digits, spaces and
      _.:/=+@-, not starting with aws: in any letter case; received ${jsonencode(var.tags)}.
    EOT
  }
  validation {
    # IAM compares a role's tag keys ignoring letter case ("Duplicate tag keys found").
    condition     = length(distinct([for key in keys(var.tags) : lower(key)])) == length(var.tags)
    error_message = <<-EOT
      The keys of tags must be distinct ignoring letter case, as IAM compares them; received keys
      ${jsonencode(keys(var.tags))}.
    EOT
  }
}
