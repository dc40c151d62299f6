terraform {
  # 1.9: a variable's validation may read another variable (name and use_name_prefix).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
