import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { Language } from "./automata";
import {
  arnConditionLanguage,
  conditionValueLanguage,
  digitRange,
  documentedResourceLanguage,
  iamStringSource,
  numericDigitsLanguage,
  operatorFamily,
  resourceLanguage,
  Unmodelled,
  Variables,
  withVariables,
} from "./patterns";

// Each pattern's language must be exactly what the evaluator matches: that is what lets one value
// of a class stand for the class. Checked against the evaluator itself, on random patterns and
// values over a small alphabet that makes collisions likely (colons, slashes, wildcards, digits).

const none: Variables = () => "absent";

/** Whether the evaluator's trust evaluation matches `value` against the condition. */
async function evaluatorMatches(operator: string, key: string, pattern: string, value: string): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: "pinpoint.amazonaws.com",
        action: "sts:AssumeRole",
        resource: { resource: "arn:aws:iam::111122223333:role/r", accountId: "111122223333" },
        contextVariables: { [key]: value },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "pinpoint.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { [operator]: { [key]: pattern } },
          },
        ],
      },
    },
    { simulationMode: "Strict" },
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

/** Whether the evaluator lets a role's identity policy allow DescribeCampaign on `arn` through the resource pattern. */
async function evaluatorAllowsResource(pattern: string, arn: string): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: "arn:aws:iam::111122223333:role/r",
        action: "personalize:DescribeCampaign",
        resource: { resource: arn, accountId: "111122223333" },
        contextVariables: {},
      },
      identityPolicies: [
        {
          name: "p",
          policy: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "personalize:DescribeCampaign", Resource: pattern }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: "Strict" },
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

const piece = fc.constantFrom("arn", "aws", "mobiletargeting", "us-east-1", "111122223333", "apps", "a", "b", "1", "");
const separator = fc.constantFrom(":", "/", "-", "");
const wildcard = fc.constantFrom("*", "?", "");
const text = fc
  .array(fc.tuple(piece, separator), { maxLength: 7 })
  .map((parts) => parts.map(([p, s]) => p + s).join(""));
const pattern = fc
  .array(fc.tuple(piece, wildcard, separator), { maxLength: 7 })
  .map((parts) => parts.map(([p, w, s]) => p + w + s).join(""));

describe("string patterns: the language is what the evaluator matches", () => {
  test.each(["StringLike", "StringEquals", "StringEqualsIgnoreCase", "StringNotLike"])("%s", async (operator) => {
    const f = operatorFamily(operator);
    if (f === undefined) throw new Error(operator);
    await fc.assert(
      fc.asyncProperty(pattern, text, async (p, value) => {
        const language = conditionValueLanguage(f.base, f.family, p, none, "test");
        const matches = await evaluatorMatches(operator, "aws:SourceArn", p, value);
        // A negated operator matches what its positive language does not.
        expect(language.has(value)).toBe(/not/i.test(operator) ? !matches : matches);
      }),
      { numRuns: 300 },
    );
  });

  test('ArnLike, segment by segment; a first component that cannot be "arn", which IAM compares and the evaluator skips, is unmodelled', async () => {
    await fc.assert(
      fc.asyncProperty(pattern, text, async (p, value) => {
        const parts = p.split(":");
        if (parts.length >= 5 && !Language.regex(iamStringSource(parts[0] ?? "", true, none, "t")).has("arn")) {
          expect(() => arnConditionLanguage(p, none, "test")).toThrow(Unmodelled);
          return;
        }
        expect(arnConditionLanguage(p, none, "test").has(value)).toBe(
          await evaluatorMatches("ArnLike", "aws:SourceArn", p, value),
        );
      }),
      { numRuns: 400 },
    );
  });

  test("values of the pattern itself and near it match as the evaluator says", async () => {
    for (const p of [
      "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*",
      "*:apps/p-*",
      "arn:*:*:*:5555*:*",
      "a?c",
    ]) {
      for (const value of [
        p.replace(/\*/g, ""),
        p.replace(/\*/g, "x:y"),
        p.replace(/\?/g, "b"),
        "arn:aws:mobiletargeting:us-east-1:111122223333:apps/",
        "arn:aws:mobiletargeting:us-west-2:555500000000:apps/p-1",
      ]) {
        for (const operator of ["StringLike", "ArnLike"]) {
          const f = operatorFamily(operator);
          if (f === undefined) throw new Error(operator);
          expect([operator, p, value, conditionValueLanguage(f.base, f.family, p, none, "t").has(value)]).toEqual([
            operator,
            p,
            value,
            await evaluatorMatches(operator, "aws:SourceArn", p, value),
          ]);
        }
      }
    }
  });
});

describe("policy variables", () => {
  const variables: Variables = (key) =>
    key.toLowerCase() === "aws:principalaccount"
      ? { value: "111122223333" }
      : key.toLowerCase() === "aws:userid"
        ? "varies"
        : "absent";

  test("a value every request shares is written in, escaped; an absent key takes its default or matches nothing", () => {
    expect(iamStringSource("arn:${aws:PrincipalAccount}:*", true, variables, "t")).toBe("arn:111122223333:.*");
    expect(Language.regex(iamStringSource("${aws:username, 'x'}", true, variables, "t")).has("x")).toBe(true);
    expect(Language.regex(iamStringSource("${aws:username}", true, variables, "t")).isEmpty).toBe(true);
    expect(Language.regex(iamStringSource("${*}", true, variables, "t")).has("*")).toBe(true);
    expect(Language.regex(iamStringSource("${*}", false, variables, "t")).has("${*}")).toBe(true);
  });

  test("a value that varies is not modelled, and says which variable", () => {
    expect(() => iamStringSource("${aws:userid}", true, variables, "statement 0")).toThrow(Unmodelled);
    expect(() => iamStringSource("${aws:userid}", true, variables, "statement 0")).toThrow(/aws:userid/);
  });

  test("withVariables writes shared values into resources and conditions, literal wildcards escaped", () => {
    const read = withVariables(
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "personalize:GetRecommendations",
            Resource: "arn:aws:personalize:us-east-1:${aws:PrincipalAccount}:campaign/books",
            Condition: {
              ArnLike: { "aws:SourceArn": "arn:aws:mobiletargeting:us-east-1:${aws:SourceAccount}:apps/*" },
            },
          },
        ],
      },
      (key) => (key.toLowerCase() === "aws:principalaccount" ? { value: "1*" } : "varies"),
    );
    const [statement] = Array.isArray(read.Statement) ? read.Statement : [read.Statement];
    expect(statement?.Resource).toBe("arn:aws:personalize:us-east-1:1${*}:campaign/books");
    // The source account is the source ARN's own account segment: any twelve characters there.
    expect(statement?.Condition?.ArnLike?.["aws:SourceArn"]).toBe(
      "arn:aws:mobiletargeting:us-east-1:????????????:apps/*",
    );
  });
});

describe("numbers over 12-digit account IDs", () => {
  test("digit ranges hold exactly the numbers between their bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        (a, b, x) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(digitRange(lo, hi, 3).has(String(x).padStart(3, "0"))).toBe(x >= lo && x <= hi);
        },
      ),
    );
  });

  test.each(["NumericGreaterThan", "NumericLessThanEquals", "NumericEquals", "NumericGreaterThanEquals"])(
    "%s matches as the evaluator does",
    async (operator) => {
      const f = operatorFamily(operator);
      if (f === undefined) throw new Error(operator);
      for (const threshold of ["900000000000", "555500000000.5", "111122223333", "0"]) {
        for (const account of [
          "900000000000",
          "900000000001",
          "555500000000",
          "555500000001",
          "111122223333",
          "000000000000",
        ]) {
          expect([threshold, account, numericDigitsLanguage(f.base, threshold).has(account)]).toEqual([
            threshold,
            account,
            await evaluatorMatches(operator, "aws:SourceAccount", threshold, account),
          ]);
        }
      }
    },
  );
});

describe("resource patterns: the ARNs a Resource element matches, as the evaluator matches them", () => {
  const segment = fc.constantFrom("us-east-1", "us-west-2", "*", "us-*", "us-?ast-1", "");
  const account = fc.constantFrom("111122223333", "555500000000", "*", "1111*", "");
  const id = fc.constantFrom("books", "books2", "b*", "*", "bo?ks", "books/x", "");
  const resourcePattern = fc
    .tuple(segment, account, fc.constantFrom("campaign/", "campaign", "solution/", "*"), id)
    .map(([r, a, product, i]) => `arn:aws:personalize:${r}:${a}:${product}${i}`);
  const arn = fc
    .tuple(
      fc.constantFrom("us-east-1", "us-west-2"),
      fc.constantFrom("111122223333", "555500000000"),
      fc.constantFrom("books", "books2", "b", "x"),
    )
    .map(([r, a, i]) => `arn:aws:personalize:${r}:${a}:campaign/${i}`);

  test("every pattern against every campaign ARN", async () => {
    await fc.assert(
      fc.asyncProperty(resourcePattern, arn, async (p, value) => {
        expect(resourceLanguage(p, none, "t").has(value)).toBe(await evaluatorAllowsResource(p, value));
      }),
      { numRuns: 300 },
    );
  });
});

describe("resource patterns as IAM's documentation reads them (IAM User Guide, IAM JSON policy elements: Resource)", () => {
  const campaign = "arn:aws:personalize:us-east-1:111122223333:campaign/books";
  test.each([
    [
      "a * in the resource type matches the type and its slash",
      "arn:aws:personalize:us-east-1:111122223333:*/books",
      campaign,
      true,
    ],
    ["a wildcard before the type's slash", "arn:aws:personalize:us-east-1:111122223333:camp*/books", campaign, true],
    ["another name is another resource", "arn:aws:personalize:us-east-1:111122223333:*/books", `${campaign}2`, false],
    [
      "a segment's last * matches across the colons after it",
      "arn:aws:personalize:us-*:campaign/books",
      campaign,
      true,
    ],
    ["a * inside a segment does not cross a colon", "arn:aws:personalize:u*1:campaign/books", campaign, false],
    ["the guide's own ARN", campaign, campaign, true],
    [
      "S3's example: * matches slashes",
      "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*",
      "arn:aws:s3:::amzn-s3-demo-bucket/1/test/object.jpg",
      true,
    ],
  ])("%s", (_, pattern, arn, matches) => {
    expect(documentedResourceLanguage(pattern, none, "t").has(arn)).toBe(matches);
  });

  test("the evaluator reads a wildcard in the resource type as text: the proof must not rest on it there", () => {
    for (const pattern of [
      "arn:aws:personalize:us-east-1:111122223333:*/books",
      "arn:aws:personalize:us-*:campaign/books",
    ])
      expect([pattern, resourceLanguage(pattern, none, "t").has(campaign)]).toEqual([pattern, false]);
  });
});
