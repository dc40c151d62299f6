import { markdownCell as cell } from "../docs";
import { AccessDiff, Analysis, Probe } from "./analyze";
import { NotReviewed } from "./subject";

/** Where the plan behind a review came from. */
export interface PlanContext {
  /** offline: planned here with no AWS account; online: with the caller's credentials; file: a plan given as JSON. */
  readonly mode: "offline" | "online" | "file";
  /** What was planned: the stack, the directory, or the plan file. */
  readonly source: string;
  readonly terraformVersion: string;
  readonly providerVersion?: string;
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
  readonly passed: boolean;
}

function label(text: string): string {
  return text.replace(/"/g, "'");
}

function shortArn(arn: string): string {
  return arn.replace(/^arn:[^:]*:[^:]*:[^:]*:[^:]*:/, "");
}

function mermaid(analysis: Analysis): string {
  const { subject } = analysis;
  const conditions = analysis.trustConditions.map((c) => `${c.key} ${c.operator} ${c.values.join(", ")}`);
  const trustLabel = ["sts:AssumeRole", ...conditions.map((c) => `if ${c}`)].join("<br/>");
  const byResource = new Map<string, string[]>();
  for (const { action, resource } of analysis.granted)
    byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
  const lines = [
    "```mermaid",
    "flowchart LR",
    '  P(["pinpoint.amazonaws.com"])',
    `  R["IAM role ${label(subject.role.name ?? "(generated name)")}"]`,
    `  P -- "${label(trustLabel)}" --> R`,
  ];
  [...byResource.entries()].forEach(([resource, actions], i) => {
    lines.push(`  T${i}[("${label(shortArn(resource))}")]`);
    lines.push(`  R -- "${label(actions.join("<br/>"))}" --> T${i}`);
  });
  lines.push("```");
  return lines.join("\n");
}

function probeRow(p: Probe): string {
  const context = Object.entries(p.context ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `| ${cell(p.label)} | \`${cell(p.principal)}\` | ${cell(context || "none")} | ${p.actual} | ${p.actual === p.expected ? "as expected" : `**expected ${p.expected}**`} |`;
}

function pairs(list: readonly { action: string; resource: string }[]): string {
  return list.map((p) => `\`${p.action}\` on \`${p.resource}\``).join("; ");
}

/** What the change grants and revokes, in words a reviewer reads instead of a JSON diff. */
function diffSection(diff: AccessDiff): string[] {
  const conditions = (c: Analysis["trustConditions"]) =>
    c.map((x) => `${x.key} ${x.operator} ${x.values.join(", ")}`).join("; ") || "none";
  const conditionsChanged = conditions(diff.conditionsBefore) !== conditions(diff.conditionsAfter);
  return [
    "#### What this change does to its access",
    "",
    diff.revoked.length ? `- revokes ${pairs(diff.revoked)}` : "- revokes nothing",
    diff.granted.length ? `- grants ${pairs(diff.granted)}` : "- grants nothing new",
    ...diff.trust.map((t) => `- ${t.after === "Allowed" ? "lets" : "no longer lets"} ${cell(t.label)} assume it`),
    ...(conditionsChanged
      ? [`- trust conditions: ${cell(conditions(diff.conditionsBefore))} → ${cell(conditions(diff.conditionsAfter))}`]
      : []),
    ...(diff.trust.length === 0 && !conditionsChanged ? ["- who can assume it is unchanged"] : []),
    "",
  ];
}

function verdictOf(analysis: Analysis): string {
  const errors = analysis.findings.filter((f) => f.severity === "error").length;
  return analysis.passed ? "PASS" : `FAIL (${errors} finding${errors === 1 ? "" : "s"})`;
}

function trustSummary(analysis: Analysis): string {
  const keys = analysis.trustConditions.map((c) => c.key);
  return keys.length ? `Pinpoint, if ${keys.join(" and ")}` : "Pinpoint, unconditioned";
}

/** One role's section: diagram, grants, trust, counts, findings, and the access diff. */
function grantsSection(analysis: Analysis): string[] {
  return [
    "### What the role grants",
    "",
    "Every request below was allowed by the IAM evaluator; every other request checked was denied.",
    "",
    "| Action | Resource |",
    "|---|---|",
    ...analysis.granted.map((g) => `| \`${g.action}\` | \`${g.resource}\` |`),
    "",
  ];
}

function trustSection(analysis: Analysis): string[] {
  const conditions = analysis.trustConditions;
  const conditionsTable = [
    "| Operator | Key | Values |",
    "|---|---|---|",
    ...conditions.map((c) => `| ${c.operator} | \`${c.key}\` | ${c.values.map((v) => `\`${v}\``).join(", ")} |`),
    "",
  ];
  return [
    "### Who can assume it",
    "",
    `Trust: Allow \`sts:AssumeRole\` to \`pinpoint.amazonaws.com\`${conditions.length ? " when:" : ", with no conditions."}`,
    "",
    ...(conditions.length ? conditionsTable : []),
    "| Request | Principal | Context | Evaluated | |",
    "|---|---|---|---|---|",
    ...analysis.probes.filter((p) => p.group === "trust").map(probeRow),
    "",
  ];
}

function countsSection(analysis: Analysis): string[] {
  const row = (label: string, c: Analysis["counts"]["total"]) =>
    `| ${label} | ${c.checked} | ${c.allowed} | ${c.denied} |`;
  const { counts } = analysis;
  const baseline = analysis.probes.filter((p) => p.baseline).map((p) => `\`${p.action}\``);
  return [
    "### Requests checked",
    "",
    "| Group | Checked | Allowed | Denied |",
    "|---|---:|---:|---:|",
    row(
      "Every Personalize action, on the campaign and the solution, other campaigns and solutions, other accounts and Regions, and every other Personalize resource type",
      counts.personalize,
    ),
    row("Every action of iam, sts, mobiletargeting, kms and s3", counts["other-services"]),
    row("Assuming the role", counts.trust),
    `| **Total** | **${counts.total.checked}** | **${counts.total.allowed}** | **${counts.total.denied}** |`,
    "",
    ...(baseline.length ? [`Allowed to every principal by AWS, not by this role: ${baseline.join(", ")}.`, ""] : []),
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
  const { subject, counts } = analysis;
  const errors = analysis.findings.filter((f) => f.severity === "error").length;
  const verdict = analysis.passed
    ? `**PASS**: the role grants exactly ${analysis.granted.length} (action, resource) pairs; ` +
      `${counts.total.denied} of ${counts.total.checked} requests checked were denied.`
    : `**FAIL**: ${errors} finding${errors === 1 ? "" : "s"}.`;
  const policies = subject.policies.map((p) => `\`${p.address}\``).join(", ") || "none";
  return [
    `## IAM review: ${subject.role.address}`,
    "",
    verdict,
    "",
    `Account ${subject.accountId}, Region ${subject.region}, partition ${subject.partition}; policies: ${policies}.`,
    "",
    ...(diff ? diffSection(diff) : []),
    mermaid(analysis),
    "",
    ...grantsSection(analysis),
    ...trustSection(analysis),
    ...countsSection(analysis),
    ...findingsSection(analysis),
  ];
}

function sourceLine(context: PlanContext): string {
  const how = {
    offline: "planned offline, no AWS account",
    online: "planned online, with the caller's credentials",
    file: "a plan made elsewhere",
  }[context.mode];
  return `Plan: ${context.source} (${how}); Terraform ${context.terraformVersion}${context.providerVersion ? `, hashicorp/aws ${context.providerVersion}` : ""}.`;
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
    ...(failing.length
      ? ["", `Failing: ${failing.map((r) => `\`${r.analysis.subject.role.address}\``).join(", ")}.`]
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

/** The few lines printed at the end of a review: one block per role. */
export function summary(review: PlanReview): string {
  const lines: string[] = [];
  for (const { analysis, diff } of review.roles) {
    const { counts } = analysis;
    const errors = analysis.findings.filter((f) => f.severity === "error");
    const warnings = analysis.findings.filter((f) => f.severity === "warning");
    lines.push(
      `${analysis.passed ? "PASS" : "FAIL"} ${analysis.subject.role.address}: ${analysis.granted.length} granted pair${analysis.granted.length === 1 ? "" : "s"}; ` +
        `${counts.total.checked} requests checked, ${counts.total.denied} denied; ` +
        `${errors.length} finding${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}.`,
      ...analysis.granted.map((g) => `  grants ${g.action} on ${g.resource}`),
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
  lines.push(
    review.passed
      ? `PASS: ${review.roles.length} role${review.roles.length === 1 ? "" : "s"}`
      : `FAIL: ${review.roles
          .filter((r) => !r.analysis.passed)
          .map((r) => r.analysis.subject.role.address)
          .join(", ")}`,
  );
  return lines.join("\n");
}
