output "role_arn" {
  description = "Amazon Pinpoint's RecommendationProviderRoleArn."
  value       = module.pinpoint_recommendations.role_arn
}

output "campaign_arn" {
  description = "Amazon Pinpoint's RecommendationProviderUri."
  value       = module.pinpoint_recommendations.campaign_arn
}
