# An override file: Terraform merges it into aws_iam_role_policy_attachment.overridden of main.tf,
# argument by argument, so the role gets the broad policy, not the guide's.
resource "aws_iam_role_policy_attachment" "overridden" {
  policy_arn = aws_iam_policy.admin.arn
}
