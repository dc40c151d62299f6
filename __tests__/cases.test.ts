import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EXAMPLE_PLACE,
  planResources,
  PlanError,
  terraformInit,
  terraformPlan,
  TerraformPlan,
  withOfflineEnvironment,
  withOfflineProvider,
} from "../packages/review/src/offline-plan";
import { terraformAsync, terraformEnv } from "../packages/review/src/terraform";
import { IamDouble } from "../test-support/iam-double/server";

// The apps of test-support/cases/, each as a cdktf user wrote it in plain JavaScript, run with
// `node` against this repository's built library (test-support/cases/library.js), then planned
// (and for one, applied against the IAM double) by real Terraform. Each stands for a kind of
// input; its README.txt says what the user expects.

const root = join(__dirname, "..");
const cases = join(root, "test-support", "cases");
const ACCOUNT = EXAMPLE_PLACE.accountId;
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface AppRun {
  readonly code: number;
  readonly output: string;
  /** `<outdir>/stacks/<stack>` */
  readonly stack: (name: string) => string;
}

/** Runs a case's app (its source changed by `edit`, for another app of the same kind) in a fresh folder. */
function runApp(name: string, edit: (source: string) => string = (s) => s, env: NodeJS.ProcessEnv = {}): AppRun {
  const dir = mkdtempSync(join(tmpdir(), `case-${name}-`));
  made.push(dir);
  writeFileSync(join(dir, "app.js"), edit(readFileSync(join(cases, name, "app.js"), "utf8")));
  const result = spawnSync(process.execPath, ["-r", join(cases, "library.js"), "app.js"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env, CDKTF_OUTDIR: join(dir, "out"), NODE_PATH: join(root, "node_modules") },
  });
  return {
    code: result.status ?? 1,
    output: `${result.stdout}${result.stderr}`,
    stack: (stack) => join(dir, "out", "stacks", stack),
  };
}

/** Every `Resource` of a planned IAM policy document, by the document's address. */
function documents(plan: Awaited<ReturnType<typeof terraformPlan>>): Map<string, unknown> {
  return new Map(
    planResources(plan)
      .filter((r) => r.type === "aws_iam_policy_document")
      .map((r) => [r.address, JSON.parse(String(r.values.json)) as unknown]),
  );
}

async function plan(dir: string, args: readonly string[] = []) {
  return withOfflineProvider(dir, EXAMPLE_PLACE, async (env) => {
    await terraformInit(dir, env);
    return terraformPlan(dir, args, false, env);
  });
}

/** An `apply` of a case app's stack "s" against an IAM double, and what a test reads of it. */
interface DoubleApply {
  readonly code: number;
  /** Terraform's output, its white space folded. */
  readonly output: string;
  readonly double: IamDouble;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs a case's app, then `terraform init` and `apply` (with `args`) of its stack "s" against a fresh IAM double. */
async function appliedAgainstDouble(
  name: string,
  args: readonly string[],
  check: (apply: DoubleApply) => void | Promise<void>,
): Promise<void> {
  const run = runApp(name);
  expect(run.code).toBe(0);
  const dir = run.stack("s");
  const double = new IamDouble();
  await double.start();
  try {
    const env = { ...terraformEnv(), ...double.env() };
    expect((await terraformAsync(dir, ["init", "-input=false"], env)).code).toBe(0);
    const apply = await terraformAsync(dir, ["apply", "-auto-approve", "-input=false", "-no-color", ...args], env);
    const output = `${apply.stdout}${apply.stderr}`.replace(/\s+/g, " ");
    await check({ code: apply.code, output, double, dir, env });
  } finally {
    await double.close();
  }
}

/**
 * Stacks that must plan, as modules of one root: one init and one plan for all of them (each loads
 * the AWS provider's schema, seconds of processor time). Each stack keeps its own providers, as a
 * module may; `ofStack` is a stack's own part of the plan (its module's resources).
 */
function planTogether(stacks: Record<string, string>): Promise<(stack: string) => TerraformPlan> {
  const dir = mkdtempSync(join(tmpdir(), "cases-root-"));
  made.push(dir);
  for (const [name, stackDir] of Object.entries(stacks)) {
    cpSync(join(stackDir, "cdk.tf.json"), join(dir, name, "cdk.tf.json"));
  }
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({ module: Object.fromEntries(Object.keys(stacks).map((name) => [name, { source: `./${name}` }])) }),
  );
  return withOfflineEnvironment(EXAMPLE_PLACE, async (env) => {
    await terraformInit(dir, env);
    const whole = await terraformPlan(dir, [], false, env);
    return (stack: string) => {
      const own = (whole.prior_state?.values?.root_module?.child_modules ?? []).find(
        (m) => m.address === `module.${stack}`,
      );
      const planned = (whole.planned_values.root_module.child_modules ?? []).find(
        (m) => m.address === `module.${stack}`,
      );
      return {
        ...whole,
        planned_values: { root_module: { ...planned, address: undefined } },
        prior_state: own && { values: { root_module: { ...own, address: undefined } } },
      };
    };
  });
}

async function planErrors(dir: string, args: readonly string[] = []): Promise<string[]> {
  try {
    await plan(dir, args);
    return [];
  } catch (error) {
    if (error instanceof PlanError) return error.terraformMessages;
    throw error;
  }
}

describe("12: JavaScript values of the wrong type", () => {
  const run = runApp("12-js-wrong-types");
  const lines = new Map(
    run.output
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)] as const),
  );

  test.each([
    ["campaignNumber", "campaignId must be an Amazon Personalize campaign name", "123"],
    ["solutionArray", "solutionId must be an Amazon Personalize solution name", '["books-solution"]'],
    [
      "trustedString",
      "trustedSourceArns must be a list of strings",
      '"arn:aws:mobiletargeting:us-east-1:111122223333:apps/*"',
    ],
    ["appsNumbers", "each of pinpointApplicationIds must be an Amazon Pinpoint project ID", "[123]"],
    ["tagsString", "tags must be a map of tag keys to tag values", '"team=recs"'],
    ["tagsArray", "tags must be a map of tag keys to tag values", '[["team","recs"]]'],
    ["tagValueNumber", "each entry of tags must be an IAM tag key", '{"team":1}'],
    ["maxSessionString", "maxSessionDuration must be a whole number of seconds", '"7200"'],
    ["protectString", "confusedDeputyProtection must be true or false", '"false"'],
    ["providerString", "provider must be an AWS provider of the role's stack", '"aws.eu"'],
    ["propsUndefined", "props must be given", "undefined"],
    ["regionObject", "region must be an AWS Region code", '{"name":"us-east-1"}'],
    ["tagValueUndefined", "each entry of tags must be an IAM tag key", '{"team":undefined}'],
    [
      "providerLookalike",
      "provider must be an AWS provider of the role's stack",
      '{"terraformProviderSource":"hashicorp/aws","node":{},"alias":"eu"}',
    ],
  ])("%s is refused with a plain Error naming the construct, the prop, the rule and the value", (name, rule, value) => {
    const line = lines.get(name) ?? "";
    const stack = [...lines.keys()].indexOf(name);
    expect(line.startsWith(`Error: s${stack}-${name}/R: ${rule}`)).toBe(true);
    // The app prints the first 220 characters of a message.
    if (line.length < 220) expect(line).toContain(`Received ${value}`);
  });

  test("nothing was added, and the app still synthesizes", () => {
    expect(run.output).not.toContain("ACCEPTED");
    expect(lines.get("app.synth")).toBe("ok");
  });
});

// The apps that must plan: case 02's good stacks and case 10's, planned once, together.
const good = runApp("02-lazy-values", (s) => s.replace(/^mk\("(star|undef)".*$/gm, ""), { LAZY_LIST: "1" });
const scopes = runApp("10-sanitized-provider-scope-ids");
let planned: Promise<(stack: string) => TerraformPlan> | undefined;
const together = () =>
  (planned ??= planTogether({
    valid: good.stack("valid"),
    num: good.stack("num"),
    lazylist: good.stack("lazylist"),
    numtext: good.stack("numtext"),
    scopes: scopes.stack("s"),
  }));

describe("02: tokens whose value is fixed at synth (Lazy)", () => {
  test("a Lazy that produces a bad value is refused at synth with the rule's message", () => {
    const run = runApp("02-lazy-values");
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/\[star\/R\] campaignId must be an Amazon Personalize campaign name.*Received "\*"/);
    expect(run.output).toMatch(/\[star\/R\] partition must be an AWS partition.*Received "aws\*"/);
  });

  test("a Lazy that produces nothing for a required prop is refused at synth", () => {
    const run = runApp("02-lazy-values", (s) => s.replace(/^mk\("star".*$/m, ""));
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/\[undef\/R\] campaignId is required: an Amazon Personalize campaign name/);
  });

  test("valid Lazy strings, numbers and lists plan to the exact grant and session; text joined with a Lazy is checked as Terraform reads it", async () => {
    expect(good.code).toBe(0);
    const [ofStack, mixed] = await Promise.all([together(), planErrors(good.stack("mixed"))]);
    const [valid, num, lazylist] = [ofStack("valid"), ofStack("num"), ofStack("lazylist")];
    const grant = (p: typeof valid) =>
      (
        [...documents(p)].find(([address]) => address.includes("Permissions"))?.[1] as {
          Statement: { Resource: string[] }[];
        }
      )?.Statement[0]?.Resource;
    expect(grant(valid)).toEqual([
      `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/books-solution`,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/books`,
    ]);
    const role = planResources(num).find((r) => r.type === "aws_iam_role");
    expect(role?.values.max_session_duration).toBe(7200);
    const trust = [...documents(lazylist).values()].find((d) => JSON.stringify(d).includes("sts:AssumeRole"));
    expect(JSON.stringify(trust)).toContain(`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/abc123`);
    expect(mixed.join(" ").replace(/\s+/g, " ")).toMatch(
      /campaignId must be an Amazon Personalize campaign name.*Received "books1\*1"/,
    );
  });

  test("text props given as Lazy numbers plan as the text Terraform writes for them: the grant, the trust and the tag", async () => {
    const numtext = (await together())("numtext");
    const statements = (address: string) =>
      ([...documents(numtext)].find(([a]) => a.includes(address))?.[1] as { Statement: unknown[] }).Statement;
    expect(JSON.stringify(statements("Permissions"))).toContain(
      JSON.stringify([
        `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/42`,
        `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/5`,
      ]),
    );
    expect(JSON.stringify(statements("Trust"))).toContain(`"arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/123"`);
    const role = planResources(numtext).find((r) => r.type === "aws_iam_role");
    expect(role?.values.tags).toEqual({ team: "1" });
  });
});

describe("08: props that decide which blocks exist, given as tokens", () => {
  test("confusedDeputyProtection as a token is refused when the app runs, naming the rule", () => {
    const run = runApp("08-boolean-tokens");
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/protect\/R: confusedDeputyProtection must be true or false when the app runs/);
  });

  test("adoptExisting as a token is refused: nothing is adopted", () => {
    const run = runApp("08-boolean-tokens", (s) => s.replace(/^mk\("protect".*$/m, ""));
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/adopt\/R: adoptExisting must be true or false when the app runs/);
  });

  test("a Lazy that produces false is read as false: no import block, no conditions", () => {
    const run = runApp("08-boolean-tokens", (s) =>
      s
        .replace(
          "const { App, TerraformStack, TerraformVariable }",
          "const { App, TerraformStack, TerraformVariable, Lazy }",
        )
        .replace(/\.booleanValue;/, ".booleanValue && Lazy.anyValue({ produce: () => false });"),
    );
    expect(run.code).toBe(0);
    for (const stack of ["protect", "adopt"]) {
      const json = JSON.parse(readFileSync(join(run.stack(stack), "cdk.tf.json"), "utf8")) as Record<string, unknown>;
      expect(json.import).toBeUndefined();
      const trust = Object.entries((json.data as Record<string, Record<string, unknown>>).aws_iam_policy_document).find(
        ([name]) => name.includes("Trust"),
      )?.[1] as { statement: { condition?: unknown }[] };
      expect([stack, trust.statement[0]?.condition !== undefined]).toEqual([stack, stack === "adopt"]);
    }
  });
});

describe("10: scopes whose ids differ only in characters cdktf drops", () => {
  test("each role's ARNs and trust name its own provider's Region", async () => {
    expect(scopes.code).toBe(0);
    const planned = (await together())("scopes");
    const docs = [...documents(planned).values()].map((d) => JSON.stringify(d));
    const permissions = (campaign: string) => docs.find((d) => d.includes(`campaign/${campaign}`)) ?? "";
    expect(permissions("books")).toContain(`arn:aws:personalize:eu-west-1:${ACCOUNT}:campaign/books`);
    expect(permissions("movies")).toContain(`arn:aws:personalize:us-west-2:${ACCOUNT}:campaign/movies`);
    const trusts = docs.filter((d) => d.includes("mobiletargeting"));
    expect(trusts.map((d) => /mobiletargeting:([a-z0-9-]+):/.exec(d)?.[1]).sort()).toEqual(["eu-west-1", "us-west-2"]);
  });
});

describe("09: values unknown until apply", () => {
  test("a bad campaign and Region known only at apply fail before anything is created", async () => {
    await appliedAgainstDouble("09-unknown-until-apply", ["-var", "campaign=*", "-var", "region=*"], async (apply) => {
      expect(apply.code).not.toBe(0);
      expect(apply.output).toMatch(/campaignId must be an Amazon Personalize campaign name.*Received "\*"/);
      expect(apply.output).toMatch(/region must be an AWS Region code such as us-east-1\. Received "\*"/);
      expect(apply.double.callsOf("CreateRole")).toEqual([]);
      expect(apply.double.callsOf("CreatePolicy")).toEqual([]);
      const state = await terraformAsync(apply.dir, ["state", "list"], apply.env);
      expect(state.stdout.split("\n").filter((l) => l.includes("aws_iam"))).toEqual([]);
    });
  });
});

describe("15: the provider's Region, from a variable, with skip_region_validation", () => {
  const run = runApp("15-provider-region");
  /** A plan of a stack whose provider sets its own Region (from -var): credentials and STS from the environment. */
  const planWithRegion = (stack: string, region: string) =>
    withOfflineEnvironment(EXAMPLE_PLACE, async (env) => {
      const dir = run.stack(stack);
      await terraformInit(dir, env);
      return terraformPlan(dir, [`-var=region=${region}`], false, env);
    });
  const errorsOf = (stack: string, region: string) =>
    planWithRegion(stack, region).then(
      () => [],
      (error: unknown) => {
        if (error instanceof PlanError) return error.terraformMessages;
        throw error;
      },
    );
  const REGION_RULE = "the Region of the role's AWS provider must be an AWS Region code such as us-east-1.";

  test("synthesizes: the provider's Region is Terraform's to check", () => {
    expect(run.code).toBe(0);
  });

  test.each(["s", "part"])("stack %s: a Region of * is refused at plan by the Region rule", async (stack) => {
    expect(await errorsOf(stack, "*")).toEqual([`${REGION_RULE} Received "*".`]);
  });

  test("a Region code plans, and the role's ARNs are in it", async () => {
    const json = JSON.stringify([...documents(await planWithRegion("s", "eu-west-1")).values()]);
    expect(json).toContain(`arn:aws:personalize:eu-west-1:${ACCOUNT}:campaign/books`);
    expect(json).toContain(`arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/*`);
  });
});

describe("16: two roles' names from variables that IAM reads as one", () => {
  const run = runApp("16-same-name-tokens");
  const NAME_RULE =
    "roleName must differ, in any letter case, from the IAM role name of s/Books, on the same provider (IAM role " +
    "names are unique per account, case-insensitively).";

  test("names that differ only in letter case fail the plan, before anything is made", async () => {
    expect(run.code).toBe(0);
    expect(await planErrors(run.stack("s"))).toEqual([`${NAME_RULE} Received "recsrole" and "RecsRole".`]);
  });

  test("other names, and a policy named as the other role is, plan", async () => {
    const errors = await planErrors(run.stack("s"), ["-var=movies_role=MoviesRole", "-var=books_policy=RecsRole"]);
    expect(errors).toEqual([]);
  });
});

describe("13: values that no resource makes, unknown until apply (timestamp(), uuid())", () => {
  test("each bad value is refused at apply before anything is made from it, and the valid role is made", async () => {
    await appliedAgainstDouble("13-impure-functions", [], (apply) => {
      expect(apply.code).not.toBe(0);
      expect(apply.output).toMatch(/campaignId must be an Amazon Personalize campaign name.*Received "\*"/);
      expect(apply.output).toMatch(
        /each of trustedSourceArns must be .*Received \["arn:aws:mobiletargeting:\*:111122223333:\*"\]/,
      );
      // Only the valid role's policy and role: none of a bad value's.
      expect(apply.double.callsOf("CreateRole").map((c) => c.target)).toEqual(["books"]);
      expect(apply.double.iam.getRole("books").maxSessionDuration).toBe(7200);
      expect(apply.double.callsOf("CreatePolicy").map((c) => c.target)).toEqual([
        `arn:aws:iam::${ACCOUNT}:policy/books`,
      ]);
    });
  });
});

describe("14: a Lazy that decides which blocks exist, changed after the construct is made", () => {
  test.each([
    ["protect", "confusedDeputyProtection", "false", "true"],
    ["adopt", "adoptExisting", "true", "false"],
  ])(
    "%s: refused at synth, naming the prop, the value the blocks follow and the value at synth",
    (stack, prop, then, now) => {
      const others = ["protect", "adopt"].filter((s) => s !== stack);
      const run = runApp("14-lazy-decision-changes", (s) =>
        others.reduce((source, other) => source.replace(new RegExp(`^ {2}mk\\("${other}".*$`, "m"), ""), s),
      );
      expect(run.code).not.toBe(0);
      expect(run.output).toContain(
        `[${stack}/R] ${prop} must produce the same value at synth as when the construct was made: it decides which ` +
          `blocks the role has, and they were made when it produced ${then}. Received ${now} at synth.`,
      );
    },
  );

  test("a Lazy that produces the same value throughout is followed: conditions kept, nothing imported", () => {
    const run = runApp("14-lazy-decision-changes", (s) => s, { ONLY_STEADY: "1" });
    expect(run.code).toBe(0);
    const json = JSON.parse(readFileSync(join(run.stack("steady"), "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    expect(json.import).toBeUndefined();
    const trust = Object.entries((json.data as Record<string, Record<string, unknown>>).aws_iam_policy_document).find(
      ([name]) => name.includes("Trust"),
    )?.[1] as { statement: { condition?: { variable: string }[] }[] };
    expect(trust.statement[0]?.condition?.map((c) => c.variable)).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
  });
});

test("every case of test-support/cases has its app and README", () => {
  const dirs = readdirSync(cases, { withFileTypes: true }).filter((d) => d.isDirectory());
  expect(dirs.map((d) => d.name).sort()).toEqual([
    "02-lazy-values",
    "08-boolean-tokens",
    "09-unknown-until-apply",
    "10-sanitized-provider-scope-ids",
    "12-js-wrong-types",
    "13-impure-functions",
    "14-lazy-decision-changes",
    "15-provider-region",
    "16-same-name-tokens",
  ]);
});
