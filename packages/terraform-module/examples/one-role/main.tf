provider "aws" {
  region = "us-east-1"
}

module "pinpoint_recommendations" {
  source = "../../"

  campaign_id = "my-campaign"
  solution_id = "my-solution"

  # Only these Pinpoint projects may use the role (by default, every project of the account).
  pinpoint_application_ids = ["0123456789abcdef0123456789abcdef"]

  tags = {
    Team = "recommendations"
  }
}
