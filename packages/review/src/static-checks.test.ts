import { namesOtherKind } from "./static-checks";

// IAM-EXTRA-RESOURCE's reading of a wildcard pattern: whether it names another kind of resource
// than a campaign or a solution, which IAM's service reference may not list for an action.
test.each([
  ["arn:aws:personalize:us-east-1:111122223333:recommender*", true],
  ["arn:aws:personalize:us-east-1:111122223333:recommender/*", true],
  ["arn:aws:personalize:*:*:filter/?", true],
  ["arn:aws:s3:::bucket*", true],
  ["arn:aws:personalize:us-east-1:111122223333:*", false],
  ["arn:aws:personalize:us-east-1:111122223333:camp*", false],
  ["arn:aws:personalize:us-east-1:111122223333:campaign/books-*", false],
  ["arn:aws:personalize:*:*:solution/*", false],
  ["*", false],
])("%s names another kind: %s", (resource, other) => {
  expect(namesOtherKind(resource)).toBe(other);
});
