import type { PolicyDocument, Statement } from "../src/documents";
import type { RoleUnderProof } from "../src/proof/decision";

// Roles to prove, written as AWS's guide writes them, with a statement added or changed: what the
// decision's unit tests start from.

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const CAMPAIGN = `arn:aws:personalize:${REGION}:${ACCOUNT}:campaign/books`;
export const SOLUTION = `arn:aws:personalize:${REGION}:${ACCOUNT}:solution/books-solution`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PinpointRecommendations`;
/** The review's moment in these tests. */
export const NOW = Date.parse("2026-12-07T00:00:00Z");

/** The guide's trust statement, with the confused-deputy conditions AWS recommends. */
export const GUIDE_TRUST: Statement = {
  Effect: "Allow",
  Principal: { Service: "pinpoint.amazonaws.com" },
  Action: "sts:AssumeRole",
  Condition: {
    StringEquals: { "aws:SourceAccount": ACCOUNT },
    ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/*` },
  },
};

/** The guide's permissions statement. */
export const GUIDE_PERMISSIONS: Statement = {
  Sid: "RetrieveRecommendationsOneCampaign",
  Effect: "Allow",
  Action: ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"],
  Resource: [SOLUTION, CAMPAIGN],
};

export const document = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** The guide's role, with other trust or permissions statements, tags or a boundary. */
export function role(options: {
  trust?: Statement[];
  permissions?: Statement[];
  policies?: PolicyDocument[];
  tags?: Record<string, string>;
  boundary?: PolicyDocument;
}): RoleUnderProof {
  return {
    place: { partition: "aws", region: REGION, accountId: ACCOUNT },
    arn: ROLE_ARN,
    arnKnown: true,
    trust: document(...(options.trust ?? [GUIDE_TRUST])),
    policies: options.policies ?? [document(...(options.permissions ?? [GUIDE_PERMISSIONS]))],
    ...(options.boundary ? { boundary: options.boundary } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    maxSessionDuration: 3600,
    intended: [
      { action: "personalize:DescribeSolution", resource: SOLUTION },
      { action: "personalize:DescribeCampaign", resource: CAMPAIGN },
      { action: "personalize:GetRecommendations", resource: CAMPAIGN },
    ],
  };
}

/** A trust statement for Pinpoint with other conditions. */
export function pinpointWhen(
  condition: NonNullable<Statement["Condition"]>,
  effect: "Allow" | "Deny" = "Allow",
): Statement {
  return {
    Effect: effect,
    Principal: { Service: "pinpoint.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: condition,
  };
}

/** A Deny of every action on every resource under a condition. */
export function denyAllWhen(condition: NonNullable<Statement["Condition"]>): Statement {
  return { Effect: "Deny", Action: "*", Resource: "*", Condition: condition };
}
