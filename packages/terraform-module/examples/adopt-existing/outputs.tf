output "role_arn" {
  description = "Amazon Pinpoint's RecommendationProviderRoleArn."
  value       = module.pinpoint_recommendations.role_arn
}
