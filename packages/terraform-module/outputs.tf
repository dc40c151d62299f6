output "role_arn" {
  description = "ARN of the IAM role: the recommender model's RecommendationProviderRoleArn."
  value       = aws_iam_role.this.arn
  # Pinpoint can use the role only once its policy is attached.
  depends_on = [aws_iam_role_policy_attachment.this]
}

output "role_name" {
  description = "Name of the IAM role."
  value       = aws_iam_role.this.name
  depends_on  = [aws_iam_role_policy_attachment.this]
}

output "role_unique_id" {
  description = "Stable, unique ID of the IAM role."
  value       = aws_iam_role.this.unique_id
  depends_on  = [aws_iam_role_policy_attachment.this]
}

output "policy_arn" {
  description = "ARN of the IAM policy that grants access to the campaign."
  value       = aws_iam_policy.this.arn
}

output "policy_name" {
  description = "Name of the IAM policy."
  value       = aws_iam_policy.this.name
}

output "campaign_arn" {
  description = "ARN of the Amazon Personalize campaign: the model's RecommendationProviderUri."
  value       = local.campaign_arn
}

output "solution_arn" {
  description = "ARN of the Amazon Personalize solution that the campaign deploys."
  value       = local.solution_arn
}
