import { markdownCell as cell } from "./markdown";
import { AccessDiff, Analysis, contextText, DecidedRequest, TrustStatement } from "./analyze";
import { NotReviewed } from "./subject";

/** Where the plan behind a review came from. */
export interface PlanContext {
  /** offline: planned here with no AWS account; online: with the caller's credentials; file: a plan given as JSON. */
  readonly mode: "offline" | "online" | "file";
  /** What was planned: the stack, the directory, or the plan file. */
  readonly source: string;
  readonly terraformVersion: string;
  /** The hashicorp/aws version the plan was made with, where the review made it (`terraform version -json`). */
  readonly providerVersion?: string;
  /** The configuration's hashicorp/aws version constraint, for a plan made elsewhere (its JSON names no version). */
  readonly providerConstraint?: string;
  /** Variables the review filled in with example values because none were given. */
  readonly exampleValues: Record<string, string>;
}

/** One role's review: the proof, and what the plan's change does to its access, if it changes it. */
export interface RoleReview {
  readonly analysis: Analysis;
  readonly diff?: AccessDiff;
}

/** Every Pinpoint role of a plan, reviewed. */
export interface PlanReview {
  readonly roles: RoleReview[];
  readonly notReviewed: NotReviewed[];
  /** Roles whose trust cannot be read: whether Pinpoint may assume them cannot be told, and each fails the review. */
  readonly unreadable: NotReviewed[];
  /**
   * With a plan alone: the resources whose arguments name a role or policy unknown until apply.
   * The review fails; with the configuration the plan was made from (--dir, --stack-dir) it can tell.
   */
  readonly needConfiguration: readonly string[];
  readonly passed: boolean;
}

const PINPOINT = "pinpoint.amazonaws.com";
/** Past these, a wide role's grants go to review.json: the report stays readable. */
const MAX_ROWS = 50;
const MAX_TARGETS = 12;

function label(text: string): string {
  return text.replace(/"/g, "'");
}

function shortArn(arn: string): string {
  return arn.replace(/^arn:[^:]*:[^:]*:[^:]*:[^:]*:/, "");
}

/** A statement's conditions, all of which must hold, as one line each. */
function conditionLines(statement: TrustStatement): string[] {
  return statement.conditions.map((c) => `${c.key} ${c.operator} ${c.values.join(", ")}`);
}

/**
 * Who can assume the role and what it reaches. Each trust statement is its own edge, from each
 * principal it names, labelled with its actions and, below them, the conditions that must all hold
 * for that statement: two statements are two ways in, never one edge with both's conditions.
 */
function mermaid(analysis: Analysis): string {
  const { subject } = analysis;
  const lines = ["```mermaid", "flowchart LR", `  R["IAM role ${label(subject.role.name ?? "(generated name)")}"]`];
  const nodes = new Map<string, string>();
  const node = (principal: string) => {
    let id = nodes.get(principal);
    if (id === undefined) {
      id = `P${nodes.size}`;
      nodes.set(principal, id);
      lines.push(`  ${id}(["${label(principal.replace(/^Service /, ""))}"])`);
    }
    return id;
  };
  for (const statement of analysis.trustStatements) {
    const edge = [
      `statement ${statement.sid ?? statement.index}: ${statement.actions.join(", ")}`,
      ...conditionLines(statement).map((c, i) => `${i === 0 ? "if" : "and"} ${c}`),
    ].join("<br/>");
    for (const principal of statement.principals) {
      lines.push(
        statement.effect === "Allow"
          ? `  ${node(principal)} -- "${label(edge)}" --> R`
          : `  ${node(principal)} -. "denies ${label(edge)}" .-> R`,
      );
    }
  }
  const byResource = new Map<string, string[]>();
  for (const { action, resource } of analysis.granted)
    byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
  const targets = [...byResource.entries()];
  if (targets.length > MAX_TARGETS) {
    lines.push(`  T["${targets.length} resources: see the table"]`, `  R -- "${analysis.granted.length} pairs" --> T`);
    targets.length = 0;
  }
  targets.forEach(([resource, actions], i) => {
    lines.push(`  T${i}[("${label(shortArn(resource))}")]`);
    lines.push(`  R -- "${label(actions.join("<br/>"))}" --> T${i}`);
  });
  lines.push("```");
  return lines.join("\n");
}

/** A request's context in one table cell: the keys the documents test. */
function contextCell(context: DecidedRequest["context"], shown: readonly string[]): string {
  return cell(contextText(context, shown) || "none tested");
}

function requestRow(r: DecidedRequest, shown: readonly string[], extra: string[] = []): string {
  return `| \`${cell(r.principal)}\` | \`${r.action}\` | \`${cell(r.resource)}\` | ${contextCell(r.context, shown)} | ${r.outcome} |${extra.map((e) => ` ${cell(e)} |`).join("")}`;
}

function pairs(list: readonly { action: string; resource: string }[]): string {
  return list.map((p) => `\`${p.action}\` on \`${p.resource}\``).join("; ");
}

/** What the change grants and revokes, in words a reviewer reads instead of a JSON diff. */
function diffSection(diff: AccessDiff, shown: readonly string[]): string[] {
  const conditions = (statements: readonly TrustStatement[]) =>
    statements
      .map((s) => `statement ${s.sid ?? s.index}: ${conditionLines(s).join(" and ") || "no conditions"}`)
      .join("; ") || "none";
  const conditionsChanged = conditions(diff.statementsBefore) !== conditions(diff.statementsAfter);
  return [
    "#### What this change does to its access",
    "",
    diff.revoked.length ? `- revokes ${pairs(diff.revoked)}` : "- revokes nothing",
    diff.granted.length ? `- grants ${pairs(diff.granted)}` : "- grants nothing new",
    ...diff.trust.map(
      (t) =>
        `- ${t.after === "Allowed" ? "lets" : "no longer lets"} ${cell(t.request.principal)} ` +
        `${t.request.action === "sts:AssumeRole" ? "assume it" : `call ${t.request.action} on it`} with ${contextCell(t.request.context, shown)}`,
    ),
    ...(conditionsChanged
      ? [`- trust conditions: ${cell(conditions(diff.statementsBefore))} → ${cell(conditions(diff.statementsAfter))}`]
      : []),
    ...(diff.trust.length === 0 && !conditionsChanged ? ["- who can assume it is unchanged"] : []),
    "",
  ];
}

function verdictOf(analysis: Analysis): string {
  const errors = analysis.findings.filter((f) => f.severity === "error").length;
  return analysis.passed ? "PASS" : `FAIL (${errors} finding${errors === 1 ? "" : "s"})`;
}

/** Who may assume the role, one way in per Allow statement: "Pinpoint, if A and B; or ...". */
function trustSummary(analysis: Analysis): string {
  const ways = analysis.trustStatements
    .filter((s) => s.effect === "Allow")
    .map((s) => {
      const who = s.principals.map((p) => (p === `Service ${PINPOINT}` ? "Pinpoint" : p)).join(", ");
      const keys = s.conditions.map((c) => c.key);
      return keys.length ? `${who}, if ${keys.join(" and ")}` : `${who}, unconditioned`;
    });
  return cell(ways.join("; or ") || "nobody");
}

/** What the role's sessions are allowed: one row per class, by its representative request. */
function grantsSection(analysis: Analysis): string[] {
  return [
    "### What the role grants",
    "",
    "Every request of the role's sessions (every action of every service, on every resource of its types, in every context a session carries) was decided: the evaluator allowed these, one representative request per class, and denied every other.",
    "",
    "| Action | Resource |",
    "|---|---|",
    ...analysis.granted.slice(0, MAX_ROWS).map((g) => `| \`${g.action}\` | \`${g.resource}\` |`),
    ...(analysis.granted.length > MAX_ROWS
      ? [`| … and ${analysis.granted.length - MAX_ROWS} more (review.json lists them all) | |`]
      : []),
    "",
  ];
}

function trustSection(analysis: Analysis): string[] {
  const statementLines = analysis.trustStatements.flatMap((s) => {
    const head =
      `**Statement ${s.sid ?? s.index}**: ${s.effect} ${s.actions.map((a) => `\`${a}\``).join(", ")} ` +
      `to ${s.principals.map((p) => `\`${p.replace(/^Service /, "")}\``).join(", ")}`;
    if (s.conditions.length === 0) return [`${head}, with no conditions.`, ""];
    return [
      `${head} when all of:`,
      "",
      "| Operator | Key | Values |",
      "|---|---|---|",
      ...s.conditions.map((c) => `| ${c.operator} | \`${c.key}\` | ${c.values.map((v) => `\`${v}\``).join(", ")} |`),
      "",
    ];
  });
  const { admitted, trust } = analysis.proof;
  return [
    "### Who can assume it",
    "",
    ...(analysis.trustStatements.length > 1
      ? ["Each statement is a way in of its own; the conditions of one statement must all hold.", ""]
      : []),
    ...statementLines,
    `Every request to assume the role was decided (${trust.classes} classes of principal, action and context); the trust allows ${trust.allowed}, each by the representative below:`,
    "",
    "| Principal | Action | Role | Context | Evaluated |",
    "|---|---|---|---|---|",
    ...admitted.slice(0, MAX_ROWS).map((r) => requestRow(r, analysis.shownKeys)),
    ...(admitted.length === 0 ? ["| (none) | | | | |"] : []),
    "",
  ];
}

/** The proof: how many classes each question decided, and every counterexample, evaluated. */
function proofSection(analysis: Analysis): string[] {
  const { trust, permissions, stoppedEarly } = analysis.proof;
  const differences = analysis.differences;
  return [
    "### The proof",
    "",
    "Requests that the documents treat alike (the same patterns match them, the same thresholds place them) form a class; the review finds every class that some request realises and evaluates one request of each. What it decided:",
    "",
    "| Question | Classes decided | Allowed |",
    "|---|---:|---:|",
    `| Who can assume the role: only Pinpoint, for this account's projects and recommenders in ${analysis.subject.region} | ${trust.classes} | ${trust.allowed} |`,
    `| What the role grants: only the guide's three (action, resource) pairs, each in every request Pinpoint makes with it | ${permissions.classes} | ${permissions.allowed} |`,
    "",
    ...(differences.length === 0
      ? ["Every class decided as AWS's guide intends.", ""]
      : [
          `${differences.length} class${differences.length === 1 ? "" : "es"} decided otherwise${stoppedEarly ? " (the decision stopped there)" : ""}:`,
          "",
          "| Principal | Action | Resource | Context | Evaluated | Expected | Why |",
          "|---|---|---|---|---|---|---|",
          ...differences.map((d) => requestRow(d, analysis.shownKeys, [d.expected, d.why])),
          "",
        ]),
    ...(analysis.proof.unmodelled.length > 0
      ? ["Not decided (the role fails):", "", ...analysis.proof.unmodelled.map((u) => `- ${cell(u)}`), ""]
      : []),
  ];
}

function findingsSection(analysis: Analysis): string[] {
  const ordered = [...analysis.findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  const table = [
    "| Severity | Check | Finding | Mirrors |",
    "|---|---|---|---|",
    ...ordered.map((f) => `| ${f.severity} | ${f.id} | ${cell(f.message)} | ${cell(f.mirrors ?? "")} |`),
  ];
  return ["### Findings", "", ...(ordered.length === 0 ? ["None."] : table), ""];
}

/** One role's section: verdict, access diff, diagram, grants, trust, counts, findings. */
function roleSection({ analysis, diff }: RoleReview): string[] {
  const { subject } = analysis;
  const errors = analysis.findings.filter((f) => f.severity === "error").length;
  const classes = analysis.proof.trust.classes + analysis.proof.permissions.classes;
  const verdict = analysis.passed
    ? `**PASS**: the role grants exactly ${analysis.granted.length} (action, resource) pairs, and only Pinpoint ` +
      `for this account's projects can assume it: ${classes} classes of requests decided, every one as AWS's guide intends.`
    : `**FAIL**: ${errors} finding${errors === 1 ? "" : "s"}.`;
  const policies = subject.policies.map((p) => `\`${p.address}\``).join(", ") || "none";
  return [
    `## IAM review: ${subject.role.address}`,
    "",
    verdict,
    "",
    `Account ${subject.accountId}, Region ${subject.region}, partition ${subject.partition}; policies: ${policies}.`,
    "",
    ...(diff ? diffSection(diff, analysis.shownKeys) : []),
    mermaid(analysis),
    "",
    ...grantsSection(analysis),
    ...trustSection(analysis),
    ...proofSection(analysis),
    ...findingsSection(analysis),
  ];
}

function sourceLine(context: PlanContext): string {
  const how = {
    offline: "planned offline, no AWS account",
    online: "planned online, with the caller's credentials",
    file: "a plan made elsewhere",
  }[context.mode];
  const provider = context.providerVersion
    ? `, hashicorp/aws ${context.providerVersion}`
    : context.providerConstraint
      ? `, hashicorp/aws (constraint ${context.providerConstraint})`
      : "";
  return `Plan: ${context.source} (${how}); Terraform ${context.terraformVersion}${provider}.`;
}

/**
 * Why a plan alone could not be reviewed, and what to give instead: `addresses` name a role or a
 * policy that the plan creates, and a plan's JSON gives an expression's references, not the expression.
 */
export function configurationAdvice(addresses: readonly string[]): string {
  return (
    `This plan alone cannot show what its roles are given: ${addresses.join(", ")} name${addresses.length === 1 ? "s" : ""} ` +
    "a role or policy that is unknown until apply (one the plan creates), and a plan's JSON gives the references of " +
    "an expression, not the expression. Review the plan with the configuration it was made from: " +
    "--plan FILE --dir DIR for a Terraform module, --plan FILE --stack-dir DIR for a synthesized cdktf stack."
  );
}

/** A Markdown report fit for a pull-request comment: a summary of every role, then each role's section. */
export function renderReport(review: PlanReview, context: PlanContext): string {
  const examples = Object.entries(context.exampleValues);
  const failing = review.roles.filter((r) => !r.analysis.passed);
  return [
    `# IAM review: ${review.passed ? "PASS" : "FAIL"}, ${review.roles.length} Pinpoint role${review.roles.length === 1 ? "" : "s"}`,
    "",
    sourceLine(context),
    ...(examples.length
      ? ["", `Example values (none were given): ${examples.map(([k, v]) => `\`${k}=${v}\``).join(", ")}.`]
      : []),
    ...(failing.length || review.unreadable.length
      ? [
          "",
          `Failing: ${[...failing.map((r) => r.analysis.subject.role.address), ...review.unreadable.map((r) => r.address)].map((a) => `\`${a}\``).join(", ")}.`,
        ]
      : []),
    ...(!review.passed && review.needConfiguration.length
      ? ["", `${configurationAdvice(review.needConfiguration.map((a) => `\`${a}\``))}`]
      : []),
    "",
    "| Role | Name | Campaign | Solution | Trust | Change | Verdict |",
    "|---|---|---|---|---|---|---|",
    ...review.roles.map(({ analysis, diff }) => {
      const s = analysis.subject;
      const change = diff
        ? `revokes ${diff.revoked.length}, grants ${diff.granted.length}${diff.trust.length ? `, trust ${diff.trust.length}` : ""}`
        : "";
      return `| \`${s.role.address}\` | ${cell(s.role.name ?? "(generated)")} | \`${s.campaignId}\` | \`${s.solutionId}\` | ${trustSummary(analysis)} | ${change} | ${verdictOf(analysis)} |`;
    }),
    "",
    ...(review.unreadable.length
      ? [
          "IAM roles whose trust cannot be read, so whether Pinpoint may assume them cannot be told (each fails the review):",
          "",
          ...review.unreadable.map((r) => `- \`${r.address}\`: ${cell(r.reason)}`),
          "",
        ]
      : []),
    ...(review.notReviewed.length
      ? [
          "Other IAM roles of the plan, not reviewed:",
          "",
          ...review.notReviewed.map((r) => `- \`${r.address}\`: ${cell(r.reason)}`),
          "",
        ]
      : []),
    ...review.roles.flatMap(roleSection),
    `<sub>Evaluated with @cloud-copilot/iam-simulate${review.roles[0]?.analysis.iamDataVersion ? ` and IAM data ${review.roles[0].analysis.iamDataVersion}` : ""}.</sub>`,
    "",
  ].join("\n");
}

/** At most this many granted pairs per role are printed; the report and review.json hold them all. */
const MAX_LINES = 10;

/** The few lines printed at the end of a review: one block per role. */
export function summary(review: PlanReview): string {
  const lines: string[] = [];
  for (const { analysis, diff } of review.roles) {
    const errors = analysis.findings.filter((f) => f.severity === "error");
    const warnings = analysis.findings.filter((f) => f.severity === "warning");
    const { trust, permissions } = analysis.proof;
    lines.push(
      `${analysis.passed ? "PASS" : "FAIL"} ${analysis.subject.role.address}: ${analysis.granted.length} granted pair${analysis.granted.length === 1 ? "" : "s"}; ` +
        `${trust.classes + permissions.classes} request classes decided (${trust.classes} to assume it, ${permissions.classes} of its sessions); ` +
        `${errors.length} finding${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}.`,
      ...analysis.granted.slice(0, MAX_LINES).map((g) => `  grants ${g.action} on ${g.resource}`),
      ...(analysis.granted.length > MAX_LINES
        ? [`  ... and ${analysis.granted.length - MAX_LINES} more granted pairs (review.json lists them all)`]
        : []),
      ...(diff
        ? [
            ...diff.revoked.map((g) => `  change revokes ${g.action} on ${g.resource}`),
            ...diff.granted.map((g) => `  change grants ${g.action} on ${g.resource}`),
          ]
        : []),
      ...[...errors, ...warnings].map((f) => `  ${f.severity} ${f.id}: ${f.message}`),
    );
  }
  for (const r of review.notReviewed) lines.push(`not reviewed ${r.address}: ${r.reason}`);
  for (const r of review.unreadable) lines.push(`FAIL ${r.address}: ${r.reason}`);
  lines.push(
    review.passed
      ? `PASS: ${review.roles.length} role${review.roles.length === 1 ? "" : "s"}`
      : `FAIL: ${[
          ...review.roles.filter((r) => !r.analysis.passed).map((r) => r.analysis.subject.role.address),
          ...review.unreadable.map((r) => r.address),
        ].join(", ")}`,
  );
  return lines.join("\n");
}
