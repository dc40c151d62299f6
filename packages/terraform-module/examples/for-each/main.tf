provider "aws" {
  region = "us-east-1"
}

module "pinpoint_recommendations" {
  source = "../../"
  for_each = {
    books  = { campaign = "books-campaign", solution = "books-solution" }
    movies = { campaign = "movies-campaign", solution = "movies-solution" }
  }

  campaign_id = each.value.campaign
  solution_id = each.value.solution
  name        = "PinpointRoleforPersonalize-${each.key}"
  policy_name = "RetrieveRecommendationsPolicy-${each.key}"
}

# What Pinpoint's recommender model takes, per campaign.
output "recommender_inputs" {
  value = {
    for key, m in module.pinpoint_recommendations : key => {
      RecommendationProviderRoleArn = m.role_arn
      RecommendationProviderUri     = m.campaign_arn
    }
  }
}
