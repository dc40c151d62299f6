import fc from "fast-check";
import { PolicyDocument, Statement } from "../documents";
import { identityRequest, trustRequest } from "../evaluator";
import { Language } from "./automata";
import { Assignment, contextFields, product, split } from "./classes";
import { conditionUses } from "./requests";
import { resourceLanguage } from "./patterns";
import { pinpointAssumes, RequestKind, sessionRequests } from "./request-space";

// The claim the decision rests on: one request of each class decides the whole class. Checked by
// brute force: over a small universe of values (accounts, Regions, paths, moments, addresses), the
// classes' representatives must find exactly what evaluating every value of the universe finds.

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const NOW = Date.parse("2026-12-07T00:00:00Z");
const place = { partition: "aws", region: REGION, accountId: ACCOUNT };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/r`;

const ACCOUNTS = [ACCOUNT, "555500000000", "555511112222", "444455556666", "900000000001"];
const REGIONS = [REGION, "us-west-2", "ap-south-1"];
const RESOURCES = ["apps/p-1", "apps/q", "recommenders/r", "campaigns/c"];
const SOURCES = ACCOUNTS.flatMap((a) =>
  REGIONS.flatMap((r) => ["mobiletargeting", "s3"].flatMap((s) => RESOURCES.map((x) => `arn:aws:${s}:${r}:${a}:${x}`))),
);
/** Source ARNs without an account (an S3 bucket's, a global one). */
const ACCOUNTLESS = ["arn:aws:s3:::apps", "arn:aws:s3:::bucket", "arn:aws:mobiletargeting:us-east-1::apps/p-1"];

/** A kind of request whose sources are the universe's: ARNs with an account, without one, an account alone, or none. */
function finiteSources(kind: RequestKind): RequestKind {
  return {
    ...kind,
    source: {
      arns: Language.words(SOURCES),
      accountless: Language.words(ACCOUNTLESS),
      accountAlone: true,
      absent: true,
    },
  };
}

const accountPattern = fc.constantFrom(ACCOUNT, "5555*", "*", "55551111222?", "4444*");
const regionPattern = fc.constantFrom(REGION, "us-*", "*", "ap-*-1");
const resourcePattern = fc.constantFrom("apps/*", "apps/p-*", "*", "recommenders/*", "*/c");
const sourceCondition: fc.Arbitrary<Record<string, Record<string, string>>> = fc.oneof(
  fc.tuple(accountPattern).map(([a]) => ({ StringLike: { "aws:SourceAccount": a } })),
  fc
    .constantFrom("900000000000", "555500000000", "111122223333")
    .map((n) => ({ NumericGreaterThan: { "aws:SourceAccount": n } })),
  fc
    .tuple(
      fc.constantFrom("ArnLike", "ArnNotLike", "StringLike", "StringNotLike"),
      fc.constantFrom("mobiletargeting", "*"),
      regionPattern,
      accountPattern,
      resourcePattern,
    )
    .map(([op, s, r, a, x]) => ({ [op]: { "aws:SourceArn": `arn:aws:${s}:${r}:${a}:${x}` } })),
  fc.constant({ StringEquals: { "aws:SourceAccount": ACCOUNT } }),
  fc.constantFrom("true", "false").map((v) => ({ Null: { "aws:SourceArn": v } })),
  fc.constant({ StringLike: { "aws:SourceArn": "arn:aws:s3:::*" } }),
);
const trustStatement: fc.Arbitrary<Statement> = fc
  .tuple(
    fc.constantFrom<"Allow" | "Deny">("Allow", "Allow", "Deny"),
    fc.array(sourceCondition, { minLength: 1, maxLength: 3 }),
  )
  .map(([effect, conditions]) => ({
    Effect: effect,
    Principal: { Service: "pinpoint.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: Object.assign({}, ...conditions) as Statement["Condition"],
  }));

const intended = (source: unknown) =>
  typeof source === "string" &&
  new RegExp(`^arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:(apps|recommenders)/`).test(source);

/** What a set of requests shows: whether any is allowed and not intended, and whether any intended one is allowed. */
async function outcomes(trust: PolicyDocument, contexts: Iterable<Assignment>) {
  let wider = false;
  let admitsIntended = false;
  for (const context of contexts) {
    const present = Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const { outcome } = await trustRequest(
      trust,
      ROLE,
      ACCOUNT,
      "pinpoint.amazonaws.com",
      "sts:AssumeRole",
      present,
      "strict",
    );
    if (outcome === "Allowed" && !intended(context["aws:SourceArn"])) wider = true;
    if (outcome === "Allowed" && intended(context["aws:SourceArn"])) admitsIntended = true;
  }
  return { wider, admitsIntended };
}

describe("the classes decide what every request of the universe decides", () => {
  test("source ARN and source account, jointly, in random trusts", async () => {
    const kind = finiteSources(pinpointAssumes(place, false, NOW));
    const every: Assignment[] = [
      ...SOURCES.map((arn) => ({ "aws:SourceArn": arn, "aws:SourceAccount": arn.split(":")[4] })),
      ...[...ACCOUNTLESS, undefined].flatMap((arn) =>
        [...ACCOUNTS, undefined].map((account) => ({ "aws:SourceArn": arn, "aws:SourceAccount": account })),
      ),
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(trustStatement, { minLength: 1, maxLength: 3 }), async (statements) => {
        const trust: PolicyDocument = { Version: "2012-10-17", Statement: statements };
        const { fixed, fields } = await contextFields(kind, conditionUses([{ document: trust, name: "t" }]), {
          intendedSources: [
            Language.regex(`arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:(?:apps|recommenders)/[!-~]*`),
          ],
          tokenIssue: "absent",
          examples: { sources: [], principals: [], resources: [], values: [], place },
        });
        const decided = await outcomes(trust, product(fixed, fields));
        const brute = await outcomes(
          trust,
          every.map((c) => ({ ...fixed, ...c })),
        );
        expect(decided).toEqual(brute);
      }),
      { numRuns: 60 },
    );
  });

  test("moments, in trusts with date and epoch thresholds around the review's moment", async () => {
    const kind = pinpointAssumes(place, true, NOW);
    const offsets = [-86400e3, -1000, 0, 1000, 3600e3, 86400e3, 30 * 86400e3];
    const threshold = fc.constantFrom(...offsets).map((o) => NOW + o);
    const condition = fc.oneof(
      fc
        .tuple(fc.constantFrom("DateGreaterThan", "DateLessThan", "DateGreaterThanEquals", "DateNotEquals"), threshold)
        .map(([op, t]) => ({
          [op]: { "aws:CurrentTime": new Date(t).toISOString() },
        })),
      fc
        .tuple(fc.constantFrom("NumericLessThan", "NumericGreaterThanEquals", "DateLessThanEquals"), threshold)
        .map(([op, t]) => ({
          [op]: { "aws:EpochTime": String(Math.floor(t / 1000)) },
        })),
    );
    // Every second of the first day from the review on, and beyond each threshold.
    const moments = [
      ...Array.from({ length: 200 }, (_, i) => NOW + i * 433e3),
      ...offsets.flatMap((o) => [o - 1000, o, o + 1000].map((x) => NOW + x)),
    ]
      .filter((t) => t >= NOW)
      .map((t) => ({ "aws:CurrentTime": new Date(t).toISOString(), "aws:EpochTime": String(Math.floor(t / 1000)) }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"), condition), {
          minLength: 1,
          maxLength: 3,
        }),
        async (parts) => {
          const statements: Statement[] = [
            { Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" },
            ...parts.map(([effect, c]) => ({
              Effect: effect,
              Principal: { Service: "pinpoint.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: c,
            })),
          ];
          const trust = (await import("../evaluator")).asIamReads({ Version: "2012-10-17", Statement: statements });
          const { fixed, fields } = await contextFields(kind, conditionUses([{ document: trust, name: "t" }]), {
            tokenIssue: "absent",
            examples: { sources: [], principals: [], resources: [], values: [], place },
          });
          const time = fields.filter((f) => f.name.startsWith("aws:CurrentTime"));
          const allowed = async (contexts: Iterable<Assignment>) => {
            const seen = new Set<string>();
            for (const context of contexts) {
              const present = Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as Record<
                string,
                string
              >;
              seen.add(
                (
                  await trustRequest(
                    trust,
                    ROLE,
                    ACCOUNT,
                    "pinpoint.amazonaws.com",
                    "sts:AssumeRole",
                    present,
                    "strict",
                  )
                ).outcome,
              );
            }
            return [...seen].sort();
          };
          const decided = await allowed(product(fixed, time));
          const brute = await allowed(moments.map((m) => ({ ...fixed, ...m })));
          // Every outcome some moment gets, a class gets (the classes may find moments the sample misses).
          for (const outcome of brute) expect(decided).toContain(outcome);
        },
      ),
      { numRuns: 50 },
    );
  });

  test("resources, in random identity policies over campaign ARNs", async () => {
    const ids = ["books", "books2", "b", "x/y"];
    const universe = ACCOUNTS.flatMap((a) =>
      REGIONS.flatMap((r) => ids.map((i) => `arn:aws:personalize:${r}:${a}:campaign/${i}`)),
    );
    const pattern = fc
      .tuple(
        fc.constantFrom(REGION, "*", "us-*"),
        fc.constantFrom(ACCOUNT, "*", "5555*"),
        fc.constantFrom("books", "books*", "*", "b?", "b*", "x/*"),
      )
      .map(([r, a, i]) => `arn:aws:personalize:${r}:${a}:campaign/${i}`);
    const statement = fc
      .tuple(
        fc.constantFrom<"Allow" | "Deny">("Allow", "Allow", "Deny"),
        fc.boolean(),
        fc.array(pattern, { minLength: 1, maxLength: 2 }),
      )
      .map(([effect, not, resources]): Statement => ({
        Effect: effect,
        Action: "personalize:DescribeCampaign",
        ...(not ? { NotResource: resources } : { Resource: resources }),
      }));
    const wanted = `arn:aws:personalize:${REGION}:${ACCOUNT}:campaign/books`;
    const session = sessionRequests({ place, arn: ROLE, maxSessionDuration: 3600 }, false, NOW);
    const variables = () => "absent" as const;
    expect(session.domain("aws:PrincipalAccount")).toEqual({ kind: "fixed", value: ACCOUNT });
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 3 }), async (statements) => {
        const policy: PolicyDocument = { Version: "2012-10-17", Statement: statements };
        const patterns = statements.flatMap((s) => [s.Resource ?? [], s.NotResource ?? []].flat());
        const witnesses = split(
          Language.words(universe),
          [...patterns.map((p) => resourceLanguage(p, variables, "t")), Language.literal(wanted)],
          [],
        );
        const summary = async (arns: readonly string[]) => {
          let wider = false;
          let grants = false;
          for (const arn of arns) {
            const { outcome } = await identityRequest(
              [policy],
              ROLE,
              ACCOUNT,
              "personalize:DescribeCampaign",
              arn,
              "strict",
            );
            if (outcome === "Allowed" && arn !== wanted) wider = true;
            if (outcome === "Allowed" && arn === wanted) grants = true;
          }
          return { wider, grants };
        };
        expect(await summary(witnesses)).toEqual(await summary(universe));
      }),
      { numRuns: 60 },
    );
  });
});
