import * as fc from "fast-check";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleCopy } from "../test-support/module-caller";
import { ACCOUNT, nearValid, REGION, VALID } from "../test-support/rule-values";
import { tempDirs } from "../test-support/temp";
import { moduleJson } from "../tools/module";
import { Json } from "../tools/synthesized";
import {
  planResources,
  ResourceChange,
  TerraformPlan,
  terraformInit,
  withOfflineEnvironment,
} from "../packages/review/src/offline-plan";
import { terraformAsync, TerraformResult } from "../packages/review/src/terraform";

/**
 * The HCL module, written by hand, against the cdktf stack it was written from: the stack as a
 * module in Terraform's JSON syntax (tools/module.ts) and the HCL module are called side by side
 * from ONE root configuration, several sets of inputs to a call, and
 *
 * - refuse the same inputs by the same rules (hand-picked values at each rule's edges, and values
 *   generated near each rule's): `terraform validate`, then a plan on a provider that cannot be
 *   configured, of every call, valid and not;
 * - plan the same resources with the same values, read the same data sources and give the same
 *   outputs, for every accepted input (one plan and one `terraform show -json`);
 * - refuse the same trusted source ARNs outside the provider's place, which only a plan can tell
 *   (one more plan, which fails).
 *
 * One `terraform init`; Terraform's runs (each loads the AWS provider's schema) are the costly part.
 */
const temp = tempDirs();
type Inputs = Record<string, Json>;

// ---------------------------------------------------------------------------------------------
// The rules, in the HCL module's terms: how each form words a refusal by it. The stack's
// preconditions (which the JSON form carries and a plan reaches) name the construct's props.

const RULE_MESSAGES: Record<string, { readonly hcl: string[]; readonly json: string[] }> = {
  "campaign_id:not_arn": {
    hcl: ["campaign_id must be the campaign's name"],
    json: ["campaign_id must be the campaign name", "campaignId must be the campaign name"],
  },
  "campaign_id:name": {
    hcl: ["campaign_id must be an Amazon Personalize campaign name:"],
    json: [
      "campaign_id must be an Amazon Personalize campaign name:",
      "campaignId must be an Amazon Personalize campaign name:",
    ],
  },
  "solution_id:not_arn": {
    hcl: ["solution_id must be the solution's name"],
    json: ["solution_id must be the solution name", "solutionId must be the solution name"],
  },
  "solution_id:name": {
    hcl: ["solution_id must be an Amazon Personalize solution name:"],
    json: [
      "solution_id must be an Amazon Personalize solution name:",
      "solutionId must be an Amazon Personalize solution name:",
    ],
  },
  "pinpoint_application_ids:id": {
    hcl: ["Each of pinpoint_application_ids must be an Amazon Pinpoint project ID,"],
    json: [
      "each of pinpoint_application_ids must be an Amazon Pinpoint project ID:",
      "each of pinpointApplicationIds must be",
    ],
  },
  "trusted_source_arns:arn": {
    hcl: ["Each of trusted_source_arns must be an Amazon Pinpoint ARN"],
    json: [
      "each of trusted_source_arns must be an Amazon Pinpoint ARN",
      "each of trustedSourceArns must be an Amazon Pinpoint ARN",
    ],
  },
  "trusted_source_arns:conflict": {
    hcl: ["trusted_source_arns conflicts with pinpoint_application_ids"],
    json: [
      "pinpoint_application_ids conflicts with trusted_source_arns",
      "pinpointApplicationIds conflicts with trustedSourceArns",
    ],
  },
  "trusted_source_arns:place": {
    hcl: ["Each of trusted_source_arns must be in the role's partition, Region and account"],
    json: ["each of trustedSourceArns must be an ARN of the role's own partition, Region and account"],
  },
  "name:name": {
    hcl: ["name must be an IAM role name:"],
    json: ["name must be an IAM role name:", "roleName must be an IAM role name:"],
  },
  "name:prefix": {
    hcl: ["name, with use_name_prefix, must be an IAM role name prefix:"],
    json: ["name (with use_name_prefix) must be an IAM role name prefix:", "roleNamePrefix must be"],
  },
  path: { hcl: ["path must be an IAM role path:"], json: ["path must be an IAM role path:", "rolePath must be"] },
  description: {
    hcl: ["description must be an IAM role description:"],
    json: ["description must be an IAM role description:", "roleDescription must be"],
  },
  max_session_duration: {
    hcl: ["max_session_duration must be"],
    json: ["max_session_duration must be", "maxSessionDuration must be"],
  },
  permissions_boundary: {
    hcl: ["permissions_boundary must be"],
    json: ["permissions_boundary must be", "permissionsBoundary must be"],
  },
  "policy_name:name": {
    hcl: ["policy_name must be an IAM policy name:"],
    json: ["policy_name must be an IAM policy name:", "policyName must be an IAM policy name:"],
  },
  "policy_name:prefix": {
    hcl: ["policy_name, with policy_use_name_prefix, must be"],
    json: ["policy_name (with policy_use_name_prefix) must be", "policyNamePrefix must be"],
  },
  policy_path: { hcl: ["policy_path must be"], json: ["policy_path must be", "policyPath must be"] },
  policy_description: {
    hcl: ["policy_description must be"],
    json: ["policy_description must be", "policyDescription must be"],
  },
  "tags:count": { hcl: ["tags must have at most 50 entries"], json: ["the number of tags must be at most 50"] },
  // The stack checks a tag's key and value in one rule; the module in two, each naming its half.
  "tags:key": { hcl: ["Each key of tags must be an IAM tag key:"], json: [] },
  "tags:value": { hcl: ["Each value of tags must be an IAM tag value:"], json: [] },
  "tags:entry": { hcl: [], json: ["each entry of tags must be"] },
  "tags:distinct": {
    hcl: ["The keys of tags must be distinct ignoring letter case,"],
    json: ["the keys of tags must be distinct ignoring letter case"],
  },
};

/** The rule a form's message states, or the message itself when it states none (which fails the test). */
function ruleOf(form: Form, message: string): string {
  const rule = Object.entries(RULE_MESSAGES).find(([, m]) => m[form].some((start) => message.startsWith(start)))?.[0];
  return rule ?? `unknown message: ${message}`;
}

/** The stack's view of the rules: a tag's key and value are one rule there. */
const inStackTerms = (rules: string[]) => [
  ...new Set(rules.map((r) => (r === "tags:key" || r === "tags:value" ? "tags:entry" : r))),
];

// ---------------------------------------------------------------------------------------------
// The inputs. Each case is called with a campaign and a solution of its own unless it sets them;
// `refused` is what the module must refuse it by (the test's statement of each rule's edge).

interface Case {
  readonly inputs: Inputs;
  readonly refused?: string[];
  /** A provider in another partition, for the calls that are planned. */
  readonly provider?: "china";
}

const times = (text: string, n: number) => text.repeat(n);
const OWN = `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:`;
const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
// U+1100 U+1176: one grapheme cluster of two code points that NFC leaves as two (an archaic vowel).
const JAMO = "\u1100\u1176";
// q and a combining acute: no precomposed form, so two code points after NFC, one grapheme cluster.
const Q_ACUTE = "q\u0301";

const EDGES: Record<string, Case> = {
  defaults: { inputs: {} },
  campaign_63: { inputs: { campaign_id: times("c", 63), solution_id: "0" } },
  campaign_64: { inputs: { campaign_id: times("c", 64) }, refused: ["campaign_id:name"] },
  campaign_arn: {
    inputs: { campaign_id: `arn:aws:personalize:${REGION}:${ACCOUNT}:campaign/c` },
    refused: ["campaign_id:not_arn", "campaign_id:name"],
  },
  campaign_wildcard: { inputs: { campaign_id: "c*" }, refused: ["campaign_id:name"] },
  campaign_leading_dash: { inputs: { campaign_id: "-c" }, refused: ["campaign_id:name"] },
  solution_accent: { inputs: { solution_id: "solución" }, refused: ["solution_id:name"] },
  solution_arn: {
    inputs: { solution_id: `arn:aws:personalize:${REGION}:${ACCOUNT}:solution/s` },
    refused: ["solution_id:not_arn", "solution_id:name"],
  },
  application_ids: { inputs: { pinpoint_application_ids: [times("a", 64), "0123456789abcdef0123456789abcdef"] } },
  application_id_65: {
    inputs: { pinpoint_application_ids: [times("a", 65)] },
    refused: ["pinpoint_application_ids:id"],
  },
  application_id_wildcard: {
    inputs: { pinpoint_application_ids: ["abc", "*"] },
    refused: ["pinpoint_application_ids:id"],
  },
  application_id_null: {
    inputs: { pinpoint_application_ids: ["abc", null] },
    refused: ["pinpoint_application_ids:id"],
  },
  application_id_empty: { inputs: { pinpoint_application_ids: [""] }, refused: ["pinpoint_application_ids:id"] },
  source_arns: { inputs: { trusted_source_arns: [`${OWN}recommenders/*`, `${OWN}apps/abc`] } },
  source_arn_2048: { inputs: { trusted_source_arns: [`${OWN}apps/${times("a", 2048 - OWN.length - 5)}`] } },
  source_arn_2049: {
    inputs: { trusted_source_arns: [`${OWN}apps/${times("a", 2049 - OWN.length - 5)}`] },
    refused: ["trusted_source_arns:arn"],
  },
  source_arn_any_account: {
    inputs: { trusted_source_arns: [`arn:aws:mobiletargeting:${REGION}:*:apps/*`] },
    refused: ["trusted_source_arns:arn"],
  },
  source_arn_question_mark: { inputs: { trusted_source_arns: [`${OWN}apps/?`] }, refused: ["trusted_source_arns:arn"] },
  source_arn_null: { inputs: { trusted_source_arns: [null] }, refused: ["trusted_source_arns:arn"] },
  ids_and_arns: {
    inputs: { pinpoint_application_ids: ["abc"], trusted_source_arns: [`${OWN}recommenders/*`] },
    refused: ["trusted_source_arns:conflict"],
  },
  name_64: { inputs: { name: times("r", 64) } },
  name_65: { inputs: { name: times("r", 65) }, refused: ["name:name"] },
  name_slash: { inputs: { name: "a/b" }, refused: ["name:name"] },
  name_empty: { inputs: { name: "" }, refused: ["name:name"] },
  name_prefix_38: { inputs: { name: `${times("p", 37)}-`, use_name_prefix: true } },
  name_prefix_39: { inputs: { name: times("p", 39), use_name_prefix: true }, refused: ["name:prefix"] },
  policy_name_128: { inputs: { policy_name: times("n", 128) } },
  policy_name_129: { inputs: { policy_name: times("n", 129) }, refused: ["policy_name:name"] },
  policy_name_accent: { inputs: { policy_name: "é" }, refused: ["policy_name:name"] },
  policy_prefix_102: { inputs: { policy_name: times("p", 102), policy_use_name_prefix: true } },
  policy_prefix_103: {
    inputs: { policy_name: times("p", 103), policy_use_name_prefix: true },
    refused: ["policy_name:prefix"],
  },
  // Printable ASCII from ! to ~ in a role path; no space (AWS's \u0021-\u007E).
  paths: { inputs: { path: "/!~/a@b/", policy_path: "/a.b/c,d/" } },
  path_space: { inputs: { path: "/a b/" }, refused: ["path"] },
  path_512: { inputs: { path: `/${times("a", 510)}/`, policy_path: `/${times("a", 510)}/` } },
  path_513: {
    inputs: { path: `/${times("a", 511)}/`, policy_path: `/${times("a", 511)}/` },
    refused: ["path", "policy_path"],
  },
  path_unclosed: { inputs: { path: "/a", policy_path: "/a" }, refused: ["path", "policy_path"] },
  // A role path holds at least one character between its slashes; a policy path's segments too.
  path_empty_segment: { inputs: { path: "//", policy_path: "/a//" }, refused: ["path", "policy_path"] },
  path_delete: { inputs: { path: "/a\u007f/", policy_path: "/a b/" }, refused: ["path", "policy_path"] },
  description_1000: { inputs: { description: times("d", 1000), policy_description: times("d", 1000) } },
  // 500 two-byte letters: 1000 bytes. 501: 1002, which hashicorp/aws refuses.
  description_latin1_bytes: { inputs: { description: times("é", 500), policy_description: times("😀", 1000) } },
  description_1002_bytes: { inputs: { description: times("é", 501) }, refused: ["description"] },
  // "\r\n" is one grapheme cluster and two characters: 1001 characters, which length() counts as 1000.
  description_crlf: {
    inputs: { description: `${times("d", 999)}\r\n`, policy_description: `${times("d", 999)}\r\n` },
    refused: ["description", "policy_description"],
  },
  description_crlf_1000: {
    inputs: { description: `${times("d", 998)}\r\n`, policy_description: `${times("d", 998)}\r\n` },
  },
  policy_description_combining: { inputs: { policy_description: times(Q_ACUTE, 500) } },
  policy_description_combining_1002: {
    inputs: { policy_description: times(Q_ACUTE, 501) },
    refused: ["policy_description"],
  },
  description_bell: { inputs: { description: "a bell \u0007" }, refused: ["description"] },
  description_nbsp: { inputs: { description: "a\u00a0b" }, refused: ["description"] },
  description_templates: {
    inputs: {
      description: 'Reads "recommendations" \\ for ${project} %{ if x } only\n\tdone ¡',
      policy_description: "${x}",
    },
  },
  session_limits: { inputs: { max_session_duration: 43200 } },
  session_3599: { inputs: { max_session_duration: 3599 }, refused: ["max_session_duration"] },
  session_43201: { inputs: { max_session_duration: 43201 }, refused: ["max_session_duration"] },
  session_fraction: { inputs: { max_session_duration: 3600.5 }, refused: ["max_session_duration"] },
  boundary: { inputs: { permissions_boundary: "arn:aws:iam::aws:policy/PowerUserAccess" } },
  boundary_2048: {
    inputs: { permissions_boundary: `arn:aws-us-gov:iam::${ACCOUNT}:policy/a/${times("b", 2048 - 42)}` },
  },
  boundary_2049: {
    inputs: { permissions_boundary: `arn:aws-us-gov:iam::${ACCOUNT}:policy/a/${times("b", 2049 - 42)}` },
    refused: ["permissions_boundary"],
  },
  boundary_role: {
    inputs: { permissions_boundary: `arn:aws:iam::${ACCOUNT}:role/admin` },
    refused: ["permissions_boundary"],
  },
  tags_50: { inputs: { tags: { ...tagsOf(49), "名 key:/=+@-._": "v:/=+@-._ é" } } },
  tags_51: { inputs: { tags: tagsOf(51) }, refused: ["tags:count"] },
  tag_key_128: { inputs: { tags: { [times(JAMO, 64)]: times("é", 256) } } },
  tag_key_130: { inputs: { tags: { [times(JAMO, 65)]: "v" } }, refused: ["tags:key"] },
  tag_value_257: { inputs: { tags: { k: times("é", 257) } }, refused: ["tags:value"] },
  tag_key_reserved: { inputs: { tags: { "AWS:team": "growth" } }, refused: ["tags:key"] },
  tag_value_reserved: { inputs: { tags: { team: "Aws:growth" } }, refused: ["tags:value"] },
  tag_value_template: { inputs: { tags: { team: "${x}" } }, refused: ["tags:value"] },
  tag_value_null: { inputs: { tags: { team: null } }, refused: ["tags:value"] },
  tag_keys_by_case: { inputs: { tags: { Team: "growth", team: "search" } }, refused: ["tags:distinct"] },
  tag_key_empty: { inputs: { tags: { "": "v" } }, refused: ["tags:key"] },
  another_partition: {
    inputs: { trusted_source_arns: ["arn:aws-cn:mobiletargeting:cn-north-1:111122223333:recommenders/*"] },
    provider: "china",
  },
};

/** Values drawn near each rule's (fast-check, fixed seed): each forms' verdict is the other's, whatever it is. */
function drawn(): Record<string, Case> {
  const draw = (arbitrary: fc.Arbitrary<string>, n: number, seed: number) =>
    fc.sample(nearValid(arbitrary), { numRuns: n, seed });
  const cases: Record<string, Case> = {};
  const add = (name: string, values: Json[], inputs: (v: Json) => Inputs) =>
    values.forEach((value, i) => (cases[`${name}_${i}`] = { inputs: inputs(value) }));
  const N = 8;
  add("drawn_campaign", draw(VALID.campaignId, N, 1), (v) => ({ campaign_id: v }));
  add("drawn_solution", draw(VALID.solutionId, N, 2), (v) => ({ solution_id: v }));
  add("drawn_name", draw(VALID.roleName, N, 3), (v) => ({ name: v }));
  add("drawn_name_prefix", draw(VALID.roleNamePrefix, N, 4), (v) => ({ name: v, use_name_prefix: true }));
  add("drawn_path", draw(VALID.rolePath, N, 5), (v) => ({ path: v }));
  add("drawn_description", draw(VALID.roleDescription, N, 6), (v) => ({ description: v }));
  add("drawn_boundary", draw(VALID.permissionsBoundary, N, 7), (v) => ({ permissions_boundary: v }));
  add("drawn_policy_name", draw(VALID.policyName, N, 8), (v) => ({ policy_name: v }));
  add("drawn_policy_prefix", draw(VALID.policyNamePrefix, N, 9), (v) => ({
    policy_name: v,
    policy_use_name_prefix: true,
  }));
  add("drawn_policy_path", draw(VALID.policyPath, N, 10), (v) => ({ policy_path: v }));
  add("drawn_policy_description", draw(VALID.policyDescription, N, 11), (v) => ({ policy_description: v }));
  add("drawn_application_id", draw(VALID.pinpointApplicationId, N, 12), (v) => ({ pinpoint_application_ids: [v] }));
  add("drawn_source_arn", draw(VALID.trustedSourceArn, N, 13), (v) => ({ trusted_source_arns: [v] }));
  const keys = draw(VALID.tagKey, N, 14);
  const values = draw(VALID.tagValue, N, 15);
  add(
    "drawn_tag",
    keys.map((k, i) => ({ [k]: values[i] })),
    (v) => ({ tags: v }),
  );
  return cases;
}

/** Trusted source ARNs that pass their variable's rule but are outside the provider's place. */
const ELSEWHERE: Record<string, Case> = {
  place_account: { inputs: { trusted_source_arns: [`arn:aws:mobiletargeting:${REGION}:444455556666:apps/*`] } },
  place_region: { inputs: { trusted_source_arns: [`arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/*`] } },
  place_partition: { inputs: { trusted_source_arns: [`arn:aws-cn:mobiletargeting:${REGION}:${ACCOUNT}:apps/*`] } },
  place_one_of_two: {
    inputs: { trusted_source_arns: [`${OWN}apps/abc`, `arn:aws:mobiletargeting:${REGION}:111122224444:apps/*`] },
  },
  place_china: {
    inputs: { trusted_source_arns: [`arn:aws:mobiletargeting:cn-north-1:${ACCOUNT}:apps/*`] },
    provider: "china",
  },
};

// ---------------------------------------------------------------------------------------------
// One root configuration: each case called once per form, in a file of its own (which is how a
// refusal is traced to its call); `var.phase` picks the calls a plan expands.

const FORMS = ["hcl", "json"] as const;
type Form = (typeof FORMS)[number];

/** A literal in Terraform's JSON syntax, where every string (and object key) is a template. */
function escaped(value: Json): Json {
  const text = (s: string) => s.replace(/([$%])\{/g, "$1$1{");
  if (typeof value === "string") return text(value);
  if (Array.isArray(value)) return value.map(escaped);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), escaped(v)]));
  return value;
}

let dir: string;
const callName = (form: Form, name: string) => `${form}_${name}`;

/** Writes a call of each form with these inputs; returns each attribute's line in the file. */
function writeCall(phase: string, name: string, { inputs, provider }: Case): Record<number, string> {
  // The sweep's calls are expanded on a provider that cannot be configured: Terraform checks a
  // call's rules that read another variable only when the call has instances, and the broken
  // provider stops every data source and resource, so that only the variables are checked.
  const sweep = phase === "sweep";
  let text = "";
  for (const form of FORMS) {
    const call = callName(form, name);
    const config = {
      module: {
        [call]: {
          source: `../${form}`,
          ...(sweep ? {} : { count: `\${var.phase == "${phase}" ? 1 : 0}` }),
          ...(sweep || provider ? { providers: { aws: `aws.${sweep ? "sweep" : provider}` } } : {}),
          campaign_id: `${name}-campaign`,
          solution_id: `${name}-solution`,
          ...(escaped(inputs) as Inputs),
        },
      },
      output: { [call]: { value: `\${module.${call}}` } },
    };
    text = `${JSON.stringify(config, null, 2)}\n`;
    writeFileSync(join(dir, `${call}.tf.json`), text);
  }
  // The call's arguments, one to a line (the same in both forms' files).
  return Object.fromEntries(
    text.split("\n").flatMap((line, i) => {
      const key = /^ {6}"([^"]+)":/.exec(line)?.[1];
      return key ? [[i + 1, key]] : [];
    }),
  );
}

/**
 * The accepted cases, several to a call (first fit: a call takes a case whose variables it does not
 * set yet; the trust's two variables count as one, since they conflict). A case with no inputs, or
 * on another provider, has a call of its own. Returns the calls and each case's call.
 */
function packed(
  cases: Record<string, Case>,
  prefix: string,
): { calls: Record<string, Case>; callOf: Record<string, string> } {
  const variables = (c: Case) =>
    Object.keys(c.inputs).map((k) => (k === "pinpoint_application_ids" ? "trusted_source_arns" : k));
  const calls: { name: string; inputs: Inputs; provider?: "china"; alone: boolean }[] = [];
  const callOf: Record<string, string> = {};
  for (const [name, c] of Object.entries(cases)) {
    const alone = c.provider !== undefined || variables(c).length === 0;
    const fit = alone
      ? undefined
      : calls.find((call) => !call.alone && variables(c).every((v) => !variables(call).includes(v)));
    if (fit) Object.assign(fit.inputs, c.inputs);
    else calls.push({ name: `${prefix}_${calls.length}`, inputs: { ...c.inputs }, provider: c.provider, alone });
    callOf[name] = (fit ?? calls[calls.length - 1]).name;
  }
  return {
    calls: Object.fromEntries(calls.map(({ name, inputs, provider }) => [name, { inputs, provider }])),
    callOf,
  };
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

/** The diagnostics of a `-json` run (validate writes one document; plan, one message a line). */
function diagnostics(result: TerraformResult): Diagnostic[] {
  const text = result.stdout.trim();
  const list: Diagnostic[] = text.startsWith("{\n")
    ? (JSON.parse(text) as { diagnostics: Diagnostic[] }).diagnostics
    : text
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { diagnostic?: Diagnostic })
        .flatMap((m) => (m.diagnostic ? [m.diagnostic] : []));
  return list;
}

const errors = (result: TerraformResult) => diagnostics(result).filter((d) => d.severity === "error");

const message = (d: Diagnostic) => d.detail.replace(/\n\nThis was checked by the validation rule at .*$/s, "").trim();

const CASES: Record<string, Case> = { ...EDGES, ...drawn() };
/** Each case's refusals by each form, as rules: from the sweep's plan. */
const refusals: Record<string, Record<Form, string[]>> = {};
/** The same for the trusted source ARNs outside the provider's place: from a plan. */
const placeRefusals: Record<string, Record<Form, string[]>> = {};
let packs: Record<string, Case>;
let packOf: Record<string, string>;
let plan: TerraformPlan;
let sweeps: TerraformResult[];
/** The sweep's provider's own errors: it must fail to be configured, and say why. */
const sweepProvider: string[] = [];

beforeAll(async () => {
  const workspace = temp("module-equivalence-");
  moduleCopy(join(workspace, "hcl"));
  mkdirSync(join(workspace, "json"));
  for (const [name, text] of Object.entries(moduleJson())) writeFileSync(join(workspace, "json", name), text);
  dir = join(workspace, "root");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "root.tf.json"),
    JSON.stringify({
      variable: { phase: { type: "string", default: "none" } },
      // Credentials, the Region and the STS endpoint come from the offline environment.
      provider: {
        aws: [
          {},
          // The partition comes from the Region only when the provider does not ask STS for the
          // account's ARN (the local STS answers in the aws partition); the account still comes
          // from data.aws_caller_identity.
          {
            alias: "china",
            region: "cn-north-1",
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
          },
          { alias: "sweep", region: "nowhere-0" },
        ],
      },
    }),
  );
  for (const [name, c] of Object.entries(ELSEWHERE)) writeCall("elsewhere", name, c);

  await withOfflineEnvironment({ accountId: ACCOUNT, region: REGION }, async (env) => {
    await terraformInit(dir, env, ["-backend=false"]);
    for (const name of Object.keys(CASES)) refusals[name] = { hcl: [], json: [] };
    // Two sweeps, then at the same time the accepted calls' plan and the plan that reaches the
    // trust's precondition, and one show: five runs that load the provider. `terraform validate`
    // checks every rule that reads only its own variable, in every call; it skips a rule that
    // reads another variable (name's reads use_name_prefix), which a plan checks, but a plan
    // stops checking once a rule has failed. So the second sweep is a plan, of the cases that the
    // first accepted, on a provider that cannot be configured (nothing is read). Each case breaks
    // rules of one of the two kinds.
    // The cases are packed as the plan's are: a refusal's line in its call's file tells which
    // argument, and so which case, it is about.
    const sweepOf = async (command: "validate" | "plan", cases: string[]) => {
      const { calls, callOf } = packed(Object.fromEntries(cases.map((n) => [n, CASES[n]])), "sweep");
      const lines = Object.fromEntries(Object.entries(calls).map(([call, c]) => [call, writeCall("sweep", call, c)]));
      const caseOf = (call: string, argument: string) =>
        cases.find(
          (n) =>
            callOf[n] === call &&
            (argument in CASES[n].inputs ||
              (argument === "trusted_source_arns" && "pinpoint_application_ids" in CASES[n].inputs)),
        );
      const get = await terraformAsync(dir, ["get"], env);
      if (get.code !== 0) throw new Error(get.stderr);
      const args = command === "validate" ? ["validate", "-json"] : ["plan", "-input=false", "-lock=false", "-json"];
      const result = await terraformAsync(dir, args, env);
      for (const d of errors(result)) {
        if (`${d.summary} ${d.detail}`.includes("nowhere-0")) {
          sweepProvider.push(d.summary);
          continue;
        }
        const file = /^(hcl|json)_(.+)\.tf\.json$/.exec(d.range?.filename ?? "");
        const argument = Object.entries(lines[file?.[2] ?? ""] ?? {})
          .filter(([line]) => Number(line) <= (d.range?.start.line ?? 0))
          .at(-1)?.[1];
        const name = file && argument ? caseOf(file[2], argument) : undefined;
        if (d.summary !== "Invalid value for variable" || !file || !name)
          throw new Error(`A sweep failed otherwise: ${d.summary}: ${d.detail}`);
        refusals[name][file[1] as Form].push(ruleOf(file[1] as Form, message(d)));
      }
      // The sweep's calls leave the root: a plan checks every call's variables, even a call it
      // does not expand.
      for (const call of Object.keys(calls))
        for (const form of FORMS) rmSync(join(dir, `${callName(form, call)}.tf.json`));
      return result;
    };
    const unrefused = () => Object.keys(CASES).filter((name) => FORMS.every((f) => refusals[name][f].length === 0));
    sweeps = [await sweepOf("validate", Object.keys(CASES))];
    sweeps.push(await sweepOf("plan", unrefused()));
    const accepted = Object.fromEntries(
      Object.entries(CASES).filter(([name]) => FORMS.every((f) => refusals[name][f].length === 0)),
    );
    ({ calls: packs, callOf: packOf } = packed(accepted, "pack"));
    for (const [name, c] of Object.entries(packs)) writeCall("plan", name, c);
    const get = await terraformAsync(dir, ["get"], env);
    if (get.code !== 0) throw new Error(get.stderr);
    const [planned, elsewhere] = await Promise.all([
      terraformAsync(dir, ["plan", "-input=false", "-lock=false", "-var=phase=plan", "-out=packs.tfplan"], env),
      terraformAsync(dir, ["plan", "-input=false", "-lock=false", "-json", "-var=phase=elsewhere"], env),
    ]);
    if (planned.code !== 0) throw new Error(`The accepted inputs' plan failed:\n${planned.stderr}${planned.stdout}`);
    for (const name of Object.keys(ELSEWHERE)) placeRefusals[name] = { hcl: [], json: [] };
    for (const d of errors(elsewhere)) {
      // A precondition's message is the module's: the source ARNs it shows tell the calls apart.
      const name = Object.keys(ELSEWHERE).find((n) =>
        message(d).includes(`eceived ${JSON.stringify(ELSEWHERE[n].inputs.trusted_source_arns)}.`),
      );
      const form = d.range?.filename.includes("main.tf.json") ? "json" : "hcl";
      if (name === undefined) throw new Error(`A refusal of no call of the place's: ${d.summary}: ${d.detail}`);
      placeRefusals[name][form].push(ruleOf(form, message(d)));
    }
    const show = await terraformAsync(dir, ["show", "-json", "packs.tfplan"], env);
    plan = JSON.parse(show.stdout) as TerraformPlan;
  });
});

describe("the same refusals", () => {
  test("the sweeps report only refused variables (each traced to its call), and no warning", () => {
    expect(sweeps.map((sweep) => sweep.code)).toEqual([1, 1]);
    expect(sweepProvider.length).toBeGreaterThan(0);
    expect(sweeps.flatMap((sweep) => diagnostics(sweep)).filter((d) => d.severity !== "error")).toEqual([]);
  });

  test.each(Object.keys(EDGES))("%s: the rules each form refuses it by are the ones the case states", (name) => {
    const expected = [...(EDGES[name].refused ?? [])].sort();
    expect({ name, hcl: [...refusals[name].hcl].sort() }).toEqual({ name, hcl: expected });
    expect({ name, json: inStackTerms(refusals[name].json).sort() }).toEqual({
      name,
      json: inStackTerms(expected).sort(),
    });
  });

  test("values drawn near each rule's: each refused by the same rules in both forms, and both verdicts drawn", () => {
    const drawnNames = Object.keys(CASES).filter((n) => !(n in EDGES));
    for (const name of drawnNames)
      expect({ name, rules: inStackTerms(refusals[name].hcl).sort() }).toEqual({
        name,
        rules: inStackTerms(refusals[name].json).sort(),
      });
    const refused = drawnNames.filter((n) => refusals[n].hcl.length > 0);
    expect(refused.length).toBeGreaterThan(drawnNames.length / 5);
    expect(refused.length).toBeLessThan((drawnNames.length * 4) / 5);
  });

  test.each(Object.keys(ELSEWHERE))(
    "%s: a trusted source ARN outside the provider's place fails the plan in both forms",
    (name) => {
      expect(placeRefusals[name]).toEqual({ hcl: ["trusted_source_arns:place"], json: ["trusted_source_arns:place"] });
    },
  );
});

describe("the same plans", () => {
  const instance = (form: Form, pack: string) => `module.${callName(form, pack)}[0]`;
  const strip = (form: Form, pack: string, address: string) => address.slice(instance(form, pack).length + 1);
  const changes = (form: Form, pack: string) =>
    (plan.resource_changes ?? [])
      .filter((c) => c.module_address === instance(form, pack))
      .map((c: ResourceChange) => ({ ...c, address: strip(form, pack, c.address), module_address: undefined }));
  const resources = (form: Form, pack: string) =>
    planResources(plan)
      .filter((r) => r.moduleAddress === instance(form, pack))
      .map((r) => ({ ...r, address: strip(form, pack, r.address), moduleAddress: undefined }));

  test("every accepted case is planned: its call, a pack, passes each of its values on", () => {
    const accepted = Object.keys(CASES).filter((name) => refusals[name].hcl.length === 0);
    expect(Object.keys(packOf).sort()).toEqual(accepted.sort());
    for (const name of accepted) {
      const pack = packs[packOf[name]];
      expect({ name, inputs: pack.inputs, provider: pack.provider }).toEqual({
        name,
        inputs: expect.objectContaining(CASES[name].inputs) as Inputs,
        provider: CASES[name].provider,
      });
    }
    expect(accepted.length).toBeGreaterThan(60);
    expect(Object.keys(packs).length).toBeLessThan(accepted.length / 2);
  });

  test("each pack: the same resource changes (every attribute), data sources read and outputs", () => {
    for (const pack of Object.keys(packs)) {
      expect({ pack, count: changes("hcl", pack).length }).toEqual({ pack, count: 3 });
      expect({ pack, count: resources("hcl", pack).length }).toEqual({ pack, count: 8 });
      expect({ pack, changes: changes("hcl", pack) }).toEqual({ pack, changes: changes("json", pack) });
      expect({ pack, resources: resources("hcl", pack) }).toEqual({ pack, resources: resources("json", pack) });
      expect({ pack, outputs: plan.output_changes?.[callName("hcl", pack)] }).toEqual({
        pack,
        outputs: plan.output_changes?.[callName("json", pack)],
      });
    }
  });

  test("the packs make different roles and policies, so that the comparisons are not of one role again and again", () => {
    const role = (pack: string) => changes("hcl", pack).find((c) => c.address === "aws_iam_role.this")?.change.after;
    const policy = (pack: string) =>
      changes("hcl", pack).find((c) => c.address === "aws_iam_policy.this")?.change.after;
    const names = Object.keys(packs);
    expect(new Set(names.map((p) => JSON.stringify(role(p)))).size).toBe(names.length);
    expect(new Set(names.map((p) => JSON.stringify(policy(p)?.policy))).size).toBe(names.length);
    const templates = Object.entries(packs).find(
      ([, p]) => p.inputs.description === EDGES.description_templates.inputs.description,
    );
    expect(role(templates?.[0] ?? "")?.description).toBe(EDGES.description_templates.inputs.description);
    // The pack on a provider in another partition plans ARNs of that partition and Region.
    const china = Object.keys(packs).find((p) => packs[p].provider === "china") ?? "";
    expect(JSON.parse(policy(china)?.policy as string)).toEqual(
      expect.objectContaining({
        Statement: [
          expect.objectContaining({
            Resource: expect.arrayContaining([
              expect.stringMatching(/^arn:aws-cn:personalize:cn-north-1:111122223333:/),
            ]) as string[],
          }),
        ],
      }),
    );
  });
});
