import {
  ACCOUNT,
  CAMPAIGN,
  denyAllWhen,
  document,
  GUIDE_PERMISSIONS,
  GUIDE_TRUST,
  NOW,
  pinpointWhen,
  REGION,
  role,
  ROLE_ARN,
  SOLUTION,
} from "../../test/roles";
import type { Statement } from "../documents";
import { Difference, prove, Proof, trustsPinpoint } from "./decision";

// The decision on roles that differ from AWS's guide by one statement each, written from IAM's
// documented evaluation logic: which must pass (they grant exactly the guide's access), which must
// fail, and for the failures, the counterexample the decision names.

const verdict = (proof: Proof) => proof.differences.length === 0 && proof.unmodelled.length === 0;
const first = (proof: Proof, question: Difference["question"]) =>
  proof.differences.find((d) => d.question === question);

describe("who can assume the role: the trust decided over every request", () => {
  test("AWS's guide passes: only Pinpoint for this account's projects in its Region", async () => {
    const proof = await prove(role({}), NOW);
    expect(proof.differences).toEqual([]);
    expect(proof.unmodelled).toEqual([]);
    expect(proof.admitsPinpoint).toBe(true);
    // The trust admits one class (Pinpoint for this account's projects) and denies every other.
    expect(proof.trust.allowed).toBe(1);
    expect(proof.admitted[0]?.context["aws:SourceArn"]).toMatch(
      new RegExp(`^arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/`),
    );
  });

  test.each([
    [
      "another account in another Region, through a second statement's two patterns",
      {
        StringLike: { "aws:SourceAccount": "5555*" },
        ArnLike: { "aws:SourceArn": "arn:aws:mobiletargeting:us-west-2:*:apps/*" },
      },
      /^arn:aws:mobiletargeting:us-west-2:5555\d{8}:apps\//,
    ],
    [
      "projects named p-* of accounts 5555*",
      {
        StringLike: { "aws:SourceAccount": "5555*" },
        ArnLike: { "aws:SourceArn": "arn:aws:mobiletargeting:*:*:apps/p-*" },
      },
      /^arn:aws:mobiletargeting:[a-z0-9-]+:5555\d{8}:apps\/p-/,
    ],
    [
      "accounts numbered above 900000000000",
      { NumericGreaterThan: { "aws:SourceAccount": "900000000000" } },
      /^arn:aws:[a-z0-9-]+:[a-z0-9-]+:(9\d{11}):/,
    ],
    [
      "this account's projects in every Region",
      {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:*:${ACCOUNT}:apps/*` },
      },
      new RegExp(`^arn:aws:mobiletargeting:(?!${REGION}:)[a-z0-9-]+:${ACCOUNT}:apps/`),
    ],
    [
      "a policy variable that makes the source account any account",
      { ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:\${aws:SourceAccount}:apps/*` } },
      new RegExp(`^arn:aws:mobiletargeting:${REGION}:(?!${ACCOUNT})\\d{12}:apps/`),
    ],
  ])("fails a second statement that admits %s, naming such a request", async (_, condition, source) => {
    const proof = await prove(role({ trust: [GUIDE_TRUST, pinpointWhen(condition)] }), NOW);
    const difference = first(proof, "trust");
    expect(difference).toMatchObject({ principal: "pinpoint.amazonaws.com", outcome: "Allowed", expected: "Denied" });
    expect(difference?.context["aws:SourceArn"]).toMatch(source);
    // The source account is the source ARN's own account, as AWS sets them.
    expect(difference?.context["aws:SourceAccount"]).toBe(String(difference?.context["aws:SourceArn"]).split(":")[4]);
  });

  test("a trust too intricate to split (many account patterns against a source ARN) is unmodelled, not a hang", async () => {
    const proof = await prove(
      role({
        trust: [
          pinpointWhen({
            ArnLike: { "aws:SourceArn": "arn:aws:mobiletargeting:us-east-1:*:apps/*" },
            StringLike: { "aws:SourceAccount": "11112222333?" },
            StringNotLike: { "aws:SourceAccount": ["*0", "*1", "*2", "*4", "*5", "*6", "*7", "*8", "*9"] },
          }),
        ],
      }),
      NOW,
    );
    expect(proof.unmodelled.join("\n")).toMatch(/too intricate to split into classes/);
    expect(verdict(proof)).toBe(false);
  });

  test("passes a wide Allow narrowed by a Deny to exactly the guide's requests", async () => {
    const wide = pinpointWhen({
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:*:${ACCOUNT}:*` },
    });
    const narrow = pinpointWhen(
      { ArnNotLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:*:apps/*` } },
      "Deny",
    );
    expect(verdict(await prove(role({ trust: [wide, narrow] }), NOW))).toBe(true);
  });

  test("passes ${aws:SourceAccount} in the source ARN beside the source account condition", async () => {
    for (const operator of ["ArnLike", "StringLike"]) {
      const trust = pinpointWhen({
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        [operator]: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:\${aws:SourceAccount}:apps/*` },
      });
      expect(verdict(await prove(role({ trust: [trust] }), NOW))).toBe(true);
    }
  });

  test("fails IfExists conditions: Pinpoint acting for nothing can assume it", async () => {
    const proof = await prove(
      role({
        trust: [
          pinpointWhen({
            StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT },
            ArnLikeIfExists: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/*` },
          }),
        ],
      }),
      NOW,
    );
    expect(first(proof, "trust")?.context["aws:SourceArn"]).toBeUndefined();
  });

  test("passes a not-before date in the past; fails a trust that expires", async () => {
    const notBefore = pinpointWhen({
      ...GUIDE_TRUST.Condition,
      DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" },
    });
    expect(verdict(await prove(role({ trust: [notBefore] }), NOW))).toBe(true);
    const expires = pinpointWhen({
      ...GUIDE_TRUST.Condition,
      DateLessThan: { "aws:CurrentTime": "2027-06-01T00:00:00Z" },
    });
    const proof = await prove(role({ trust: [expires] }), NOW);
    const refusal = first(proof, "trust");
    expect(refusal).toMatchObject({ expected: "Allowed", outcome: "Denied" });
    expect(Date.parse(String(refusal?.context["aws:CurrentTime"]))).toBeGreaterThanOrEqual(
      Date.parse("2027-06-01T00:00:00Z"),
    );
  });

  test("passes conditions on what IAM always puts in Pinpoint's requests", async () => {
    const trust = pinpointWhen({
      ...GUIDE_TRUST.Condition,
      StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:PrincipalServiceName": "pinpoint.amazonaws.com" },
      Bool: { "aws:PrincipalIsAWSService": "true", "aws:SecureTransport": "true" },
    });
    expect(verdict(await prove(role({ trust: [trust] }), NOW))).toBe(true);
  });

  test("passes Principal * narrowed to Pinpoint by aws:PrincipalServiceName", async () => {
    const trust = {
      ...GUIDE_TRUST,
      Principal: "*" as const,
      Condition: {
        ...GUIDE_TRUST.Condition,
        StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:PrincipalServiceName": "pinpoint.amazonaws.com" },
      },
    };
    expect(verdict(await prove(role({ trust: [trust] }), NOW))).toBe(true);
  });

  test("fails another account's principals, and another sts action for Pinpoint", async () => {
    const account = await prove(
      role({ trust: [GUIDE_TRUST, { Effect: "Allow", Principal: { AWS: "444455556666" }, Action: "sts:AssumeRole" }] }),
      NOW,
    );
    expect(first(account, "trust")?.principal).toMatch(/^arn:aws:(iam|sts)::444455556666:/);
    const tag = await prove(role({ trust: [{ ...GUIDE_TRUST, Action: ["sts:AssumeRole", "sts:TagSession"] }] }), NOW);
    expect(first(tag, "trust")?.action).toBe("sts:TagSession");
  });

  test("tells which trusts are Pinpoint's at all", async () => {
    const ec2 = { Effect: "Allow" as const, Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
    expect(await trustsPinpoint(role({ trust: [ec2] }), NOW)).toBe(false);
    expect(await trustsPinpoint(role({ trust: [GUIDE_TRUST] }), NOW)).toBe(true);
    // NotPrincipal with Allow lets every principal it does not name in: Pinpoint too.
    const not = { Effect: "Allow" as const, NotPrincipal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
    expect(await trustsPinpoint(role({ trust: [not] }), NOW)).toBe(true);
  });

  test("a Pinpoint trust whose conditions no request meets: Pinpoint cannot assume the role, and it fails", async () => {
    // The source account is the source ARN's account: these two conditions exclude each other.
    const never = pinpointWhen({
      StringEquals: { "aws:SourceAccount": "999988887777" },
      ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/*` },
    });
    expect(await trustsPinpoint(role({ trust: [never] }), NOW)).toBe(true);
    const proof = await prove(role({ trust: [never] }), NOW);
    expect(proof.admitsPinpoint).toBe(false);
    expect(first(proof, "trust")).toMatchObject({ expected: "Allowed", outcome: "Denied" });
  });
});

describe("what the role grants: its sessions' requests decided over every action, resource and context", () => {
  test("AWS's guide grants exactly its three pairs", async () => {
    const proof = await prove(role({}), NOW);
    expect(proof.granted.map((g) => `${g.action} ${g.resource}`).sort()).toEqual([
      `personalize:DescribeCampaign ${CAMPAIGN}`,
      `personalize:DescribeSolution ${SOLUTION}`,
      `personalize:GetRecommendations ${CAMPAIGN}`,
    ]);
    expect(proof.reachesPersonalize).toBe(true);
    expect(proof.grantsPersonalize).toBe(true);
  });

  // The last column: whether some request of its sessions is still allowed Personalize (one from
  // another address is; Pinpoint's own are not).
  test.each([
    [
      "a Deny on every request after a past date",
      { DateGreaterThan: { "aws:CurrentTime": "2024-12-31T23:59:59Z" } },
      {},
      false,
    ],
    ["a Deny on the role's own tag", { StringEquals: { "aws:PrincipalTag/env": "prod" } }, { env: "prod" }, false],
    [
      "a Deny outside an address range (Pinpoint calls from its own)",
      { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
      {},
      true,
    ],
    ["a Deny from a past epoch second on", { NumericGreaterThan: { "aws:EpochTime": "1700000000" } }, {}, false],
  ])("fails %s: the role grants none of the guide's pairs in every request", async (_, condition, tags, grantsSome) => {
    const proof = await prove(role({ permissions: [GUIDE_PERMISSIONS, denyAllWhen(condition)], tags }), NOW);
    expect(first(proof, "permissions")).toMatchObject({ expected: "Allowed", outcome: "Denied" });
    // Written as a recommendations role: its policies reach Personalize with their conditions met.
    expect(proof.reachesPersonalize).toBe(true);
    expect(proof.grantsPersonalize).toBe(grantsSome);
  });

  test("an Allow of the guide's pairs only before a past date reaches Personalize and grants none of it now", async () => {
    const before2025 = { DateLessThan: { "aws:CurrentTime": "2025-01-01T00:00:00Z" } };
    const proof = await prove(role({ permissions: [{ ...GUIDE_PERMISSIONS, Condition: before2025 }] }), NOW);
    expect(proof.granted).toEqual([]);
    expect(proof.reachesPersonalize).toBe(true);
    expect(proof.grantsPersonalize).toBe(false);
  });

  test.each([
    ["long-term credentials (a session always has a token issue time)", { Null: { "aws:TokenIssueTime": "true" } }, {}],
    ["another tag value than the role's", { StringEquals: { "aws:PrincipalTag/env": "prod" } }, { env: "dev" }],
    ["plain HTTP", { Bool: { "aws:SecureTransport": "false" } }, {}],
    ["another Region", { StringNotEquals: { "aws:RequestedRegion": REGION } }, {}],
    ["another principal account", { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } }, {}],
    ["another account's resources", { StringNotEquals: { "aws:ResourceAccount": ACCOUNT } }, {}],
    [
      "sessions issued before a revocation in the past",
      { DateLessThan: { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" } },
      {},
    ],
    ["requests through Athena", { "ForAnyValue:StringEquals": { "aws:CalledVia": ["athena.amazonaws.com"] } }, {}],
    ["a forward access session", { Bool: { "aws:ViaAWSService": "true" } }, {}],
    ["a session of another role (aws:userid)", { StringNotLike: { "aws:userid": "AROA*:*" } }, {}],
    ["another principal than the role", { ArnNotEquals: { "aws:PrincipalArn": ROLE_ARN } }, {}],
    [
      "another principal, in any letter case",
      { StringNotEqualsIgnoreCase: { "aws:PrincipalArn": ROLE_ARN.toUpperCase() } },
      {},
    ],
    [
      "requests that tag with team (Pinpoint's tag nothing)",
      { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } },
      {},
    ],
    [
      "requests before a past moment written in epoch seconds",
      { DateLessThan: { "aws:CurrentTime": "1700000000" } },
      {},
    ],
    [
      'requests before "2020", a bare year whose two readings (the year, 2020 seconds after 1970) are both past',
      { DateLessThan: { "aws:CurrentTime": "2020" } },
      {},
    ],
  ])("passes a Deny of %s", async (_, condition, tags) => {
    const proof = await prove(role({ permissions: [GUIDE_PERMISSIONS, denyAllWhen(condition)], tags }), NOW);
    expect(proof.differences).toEqual([]);
    expect(proof.unmodelled).toEqual([]);
  });

  test.each([
    [
      "sessions without MFA (a service's session may be one)",
      { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    ],
    // ForAllValues holds of a key that is absent, and Pinpoint's requests carry no tags.
    [
      "requests whose tag keys are all other than team",
      { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["team"] } },
    ],
    // Every moment from the review on is a moment Pinpoint may call at: a role that stops working fails.
    ["requests from 2100 on", { DateGreaterThanEquals: { "aws:CurrentTime": "4102444800" } }],
    [
      "accounts outside an organization the review cannot see",
      { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } },
    ],
  ])("fails a Deny of %s: the guide's pairs are not allowed in every request", async (_, condition) => {
    const proof = await prove(role({ permissions: [GUIDE_PERMISSIONS, denyAllWhen(condition)] }), NOW);
    expect(first(proof, "permissions")).toMatchObject({ expected: "Allowed", outcome: "Denied" });
  });

  test('says it does not decide a bare year that is ahead ("2030": the year, or 2030 seconds after 1970)', async () => {
    const proof = await prove(
      role({ permissions: [GUIDE_PERMISSIONS, denyAllWhen({ DateLessThan: { "aws:CurrentTime": "2030" } })] }),
      NOW,
    );
    expect(proof.unmodelled.join("\n")).toMatch(/reads as the year 2030 and as 2030 seconds after 1970/);
  });

  test("says it does not model a binary comparison, and fails closed", async () => {
    const proof = await prove(
      role({ permissions: [GUIDE_PERMISSIONS, denyAllWhen({ BinaryEquals: { "aws:UserAgent": "QmluYXJ5" } })] }),
      NOW,
    );
    expect(proof.unmodelled.join("\n")).toMatch(/BinaryEquals/);
  });

  test("fails an Allow on the role's tag when the role has no such tag", async () => {
    const proof = await prove(
      role({
        permissions: [{ ...GUIDE_PERMISSIONS, Condition: { StringEquals: { "aws:PrincipalTag/env": "prod" } } }],
      }),
      NOW,
    );
    expect(first(proof, "permissions")?.expected).toBe("Allowed");
  });

  // The Personalize API takes a recommender's and a filter's ARN in GetRecommendations, though
  // IAM's service reference lists only campaign for it: the decision asks those requests too.
  const recommender = `arn:aws:personalize:${REGION}:${ACCOUNT}:recommender/`;
  const filter = `arn:aws:personalize:${REGION}:${ACCOUNT}:filter/`;
  const getRecommendations = (statement: Partial<Statement>): Statement => ({
    Effect: "Allow",
    Action: "personalize:GetRecommendations",
    ...statement,
  });
  test.each([
    ["NotResource of every campaign", { NotResource: "arn:*:personalize:*:*:campaign/*" }, recommender],
    ["recommender* (no slash)", { Resource: `arn:aws:personalize:${REGION}:${ACCOUNT}:recommender*` }, recommender],
    ["the account's filters", { Resource: `${filter}*` }, filter],
  ])("fails GetRecommendations on %s: recommenders and filters are asked too", async (_, resources, named) => {
    const proof = await prove(role({ permissions: [GUIDE_PERMISSIONS, getRecommendations(resources)] }), NOW);
    const wider = first(proof, "permissions");
    expect(wider).toMatchObject({ action: "personalize:GetRecommendations", outcome: "Allowed", expected: "Denied" });
    expect(wider?.resource.startsWith(named)).toBe(true);
  });

  test("passes an account-wide GetRecommendations cut to the campaign by a Deny; fails one on tagged recommenders", async () => {
    const cut = await prove(
      role({
        permissions: [
          GUIDE_PERMISSIONS,
          getRecommendations({ Resource: `arn:aws:personalize:${REGION}:${ACCOUNT}:*` }),
          getRecommendations({ Effect: "Deny", NotResource: CAMPAIGN }),
        ],
      }),
      NOW,
    );
    expect([cut.differences, cut.unmodelled]).toEqual([[], []]);
    // A recommender's tags are its own, which the review cannot know: some may carry team=books.
    const tagged = await prove(
      role({
        permissions: [
          GUIDE_PERMISSIONS,
          getRecommendations({
            Resource: `${recommender}*`,
            Condition: { StringEquals: { "aws:ResourceTag/team": "books" } },
          }),
        ],
      }),
      NOW,
    );
    expect(first(tagged, "permissions")?.resource.startsWith(recommender)).toBe(true);
  });

  // IAM User Guide, policy variables with no value: an entry of Resource or NotResource with a
  // variable that has no value in the request matches no resource.
  test("a Resource or NotResource entry whose variable has no value (a tag the role lacks) matches no resource", async () => {
    const missing = `arn:aws:personalize:${REGION}:${ACCOUNT}:campaign/\${aws:PrincipalTag/excluded}`;
    // An Allow that excludes only that entry excludes nothing: other campaigns are granted.
    const allow = await prove(
      role({
        permissions: [
          GUIDE_PERMISSIONS,
          getRecommendations({
            NotResource: [missing, "arn:aws:personalize:*:*:recommender/*", "arn:aws:personalize:*:*:filter/*"],
          }),
        ],
        tags: { team: "growth" },
      }),
      NOW,
    );
    expect(first(allow, "permissions")?.resource).toMatch(/:campaign\//);
    // A Deny of every Personalize action but that entry and the solution denies the campaign.
    const deny = await prove(
      role({
        permissions: [GUIDE_PERMISSIONS, { Effect: "Deny", Action: "personalize:*", NotResource: [missing, SOLUTION] }],
        tags: { team: "growth" },
      }),
      NOW,
    );
    expect(first(deny, "permissions")).toMatchObject({ resource: CAMPAIGN, expected: "Allowed", outcome: "Denied" });
    // A Deny on that entry alone applies to nothing.
    const none = await prove(
      role({
        permissions: [GUIDE_PERMISSIONS, { Effect: "Deny", Action: "personalize:*", Resource: missing }],
        tags: { team: "growth" },
      }),
      NOW,
    );
    expect([none.differences, none.unmodelled]).toEqual([[], []]);
  });

  test("a role whose resources hold a variable that differs per request (aws:RequestedRegion) reaches Personalize", async () => {
    const regional = await prove(
      role({
        permissions: [
          {
            ...GUIDE_PERMISSIONS,
            Resource: [
              `arn:aws:personalize:\${aws:RequestedRegion}:${ACCOUNT}:solution/books-solution`,
              `arn:aws:personalize:\${aws:RequestedRegion}:${ACCOUNT}:campaign/books`,
            ],
          },
        ],
      }),
      NOW,
    );
    expect(regional.reachesPersonalize).toBe(true);
    expect(verdict(regional)).toBe(false);
  });

  test("fails a campaign pattern that also matches other campaigns, naming one", async () => {
    const proof = await prove(
      role({ permissions: [{ ...GUIDE_PERMISSIONS, Resource: [SOLUTION, `${CAMPAIGN}*`] }] }),
      NOW,
    );
    const wider = first(proof, "permissions");
    expect(wider).toMatchObject({ outcome: "Allowed", expected: "Denied" });
    expect(wider?.resource).toMatch(new RegExp(`^${CAMPAIGN}.+`));
  });

  test("fails Personalize on every campaign tagged so (a tag the review cannot know)", async () => {
    const proof = await prove(
      role({
        permissions: [
          GUIDE_PERMISSIONS,
          {
            Effect: "Allow",
            Action: "personalize:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/team": "recs" } },
          },
        ],
      }),
      NOW,
    );
    expect(first(proof, "permissions")?.context["aws:ResourceTag/team"]).toBe("recs");
  });

  test("passes resources written with a policy variable every session shares, and lower-case actions", async () => {
    const written = {
      ...GUIDE_PERMISSIONS,
      Action: GUIDE_PERMISSIONS.Action && (GUIDE_PERMISSIONS.Action as string[]).map((a) => a.toLowerCase()),
      Resource: [SOLUTION, CAMPAIGN].map((arn) => arn.replace(ACCOUNT, "${aws:PrincipalAccount}")),
    };
    expect(verdict(await prove(role({ permissions: [written] }), NOW))).toBe(true);
  });

  test("passes a wide Allow cut to the guide's pairs by a Deny of everything else", async () => {
    const proof = await prove(
      role({
        permissions: [
          {
            Effect: "Allow",
            Action: ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"],
            Resource: "*",
          },
          { Effect: "Deny", Action: "*", NotResource: [SOLUTION, CAMPAIGN] },
          { Effect: "Deny", Action: "personalize:DescribeSolution", Resource: CAMPAIGN },
          { Effect: "Deny", NotAction: "personalize:DescribeSolution", Resource: SOLUTION },
        ],
      }),
      NOW,
    );
    expect(proof.differences).toEqual([]);
  });

  test("fails NotAction, naming an action of another service", async () => {
    const proof = await prove(role({ permissions: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }), NOW);
    expect(proof.differences.length).toBeGreaterThan(0);
    expect(proof.stoppedEarly).toBe(true);
  });

  test("says what it cannot decide: a variable whose value differs from request to request", async () => {
    const proof = await prove(
      role({ permissions: [{ ...GUIDE_PERMISSIONS, Resource: [SOLUTION, `${CAMPAIGN}\${aws:userid}`] }] }),
      NOW,
    );
    expect(proof.unmodelled.join("\n")).toMatch(/aws:userid/);
    expect(verdict(proof)).toBe(false);
  });

  test("a role that reaches no Personalize action is not a recommendations role", async () => {
    const events = document({
      Effect: "Allow",
      Action: ["kinesis:PutRecords", "kinesis:DescribeStream"],
      Resource: "*",
    });
    const proof = await prove(role({ policies: [events] }), NOW);
    expect(proof.reachesPersonalize).toBe(false);
    expect(proof.grantsPersonalize).toBe(false);
  });
});
