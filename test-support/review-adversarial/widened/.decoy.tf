# Terraform ignores this file (its name starts with "."): the broad policy stays on
# aws_iam_role.hidden_file, whatever this says.
resource "aws_iam_role_policy_attachment" "hidden_file" {
  role       = aws_iam_role.decoy.name
  policy_arn = aws_iam_policy.admin.arn
}
