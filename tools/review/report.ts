import { Analysis, Probe } from "./analyze";

/** How the plan behind a review was made. */
export interface PlanContext {
  readonly mode: "offline" | "online";
  readonly stack: string;
  readonly terraformVersion: string;
  readonly providerVersion?: string;
  /** Variables the review filled in with example values because none were given. */
  readonly exampleValues: Record<string, string>;
}

/** Text for a Markdown table cell or a mermaid label. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
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
  for (const { action, resource } of analysis.granted) byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
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

/** A Markdown report fit for a pull-request comment. */
export function renderReport(analysis: Analysis, context: PlanContext): string {
  const { subject, counts } = analysis;
  const errors = analysis.findings.filter((f) => f.severity === "error");
  const warnings = analysis.findings.filter((f) => f.severity === "warning");
  const verdict = analysis.passed
    ? `**PASS**: the role grants exactly ${analysis.granted.length} (action, resource) pairs; ` +
      `${counts.total.denied} of ${counts.total.checked} requests checked were denied.`
    : `**FAIL**: ${errors.length} finding${errors.length === 1 ? "" : "s"}.`;
  const examples = Object.entries(context.exampleValues);
  const lines = [
    `## IAM review: ${subject.role.address} (stack ${context.stack})`,
    "",
    verdict,
    "",
    `Plan: ${context.mode === "offline" ? "offline, no AWS account" : "online, with the caller's credentials"}; ` +
      `account ${subject.accountId}, Region ${subject.region}, partition ${subject.partition}; ` +
      `Terraform ${context.terraformVersion}${context.providerVersion ? `, hashicorp/aws ${context.providerVersion}` : ""}.`,
    ...(examples.length
      ? ["", `Example values (none were given): ${examples.map(([k, v]) => `\`${k}=${v}\``).join(", ")}.`]
      : []),
    "",
    mermaid(analysis),
    "",
    "### What the role grants",
    "",
    "Every request below was allowed by the IAM evaluator; every other request checked was denied.",
    "",
    "| Action | Resource |",
    "|---|---|",
    ...analysis.granted.map((g) => `| \`${g.action}\` | \`${g.resource}\` |`),
    "",
    "### Who can assume it",
    "",
    `Trust: Allow \`sts:AssumeRole\` to \`pinpoint.amazonaws.com\`${analysis.trustConditions.length ? " when:" : ", with no conditions."}`,
    "",
    ...(analysis.trustConditions.length
      ? ["| Operator | Key | Values |", "|---|---|---|", ...analysis.trustConditions.map((c) => `| ${c.operator} | \`${c.key}\` | ${c.values.map((v) => `\`${v}\``).join(", ")} |`), ""]
      : []),
    "| Request | Principal | Context | Evaluated | |",
    "|---|---|---|---|---|",
    ...analysis.probes.filter((p) => p.group === "trust").map(probeRow),
    "",
    "### Requests checked",
    "",
    "| Group | Checked | Allowed | Denied |",
    "|---|---:|---:|---:|",
    `| Every Personalize action, on the campaign and the solution, other campaigns and solutions, other accounts and Regions, and every other Personalize resource type | ${counts.personalize.checked} | ${counts.personalize.allowed} | ${counts.personalize.denied} |`,
    `| Every action of iam, sts, mobiletargeting, kms and s3 | ${counts["other-services"].checked} | ${counts["other-services"].allowed} | ${counts["other-services"].denied} |`,
    `| Assuming the role | ${counts.trust.checked} | ${counts.trust.allowed} | ${counts.trust.denied} |`,
    `| **Total** | **${counts.total.checked}** | **${counts.total.allowed}** | **${counts.total.denied}** |`,
    "",
    ...(analysis.probes.some((p) => p.baseline)
      ? [
          `Allowed to every principal by AWS, not by this role: ${analysis.probes
            .filter((p) => p.baseline)
            .map((p) => `\`${p.action}\``)
            .join(", ")}.`,
          "",
        ]
      : []),
    "### Findings",
    "",
    ...(analysis.findings.length === 0
      ? ["None."]
      : [
          "| Severity | Check | Finding | Mirrors |",
          "|---|---|---|---|",
          ...[...errors, ...warnings].map((f) => `| ${f.severity} | ${f.id} | ${cell(f.message)} | ${cell(f.mirrors ?? "")} |`),
        ]),
    "",
    `<sub>Evaluated with @cloud-copilot/iam-simulate${analysis.iamDataVersion ? ` and IAM data ${analysis.iamDataVersion}` : ""}.</sub>`,
    "",
  ];
  return lines.join("\n");
}

/** The few lines printed at the end of a review. */
export function summary(analysis: Analysis): string {
  const { counts } = analysis;
  const errors = analysis.findings.filter((f) => f.severity === "error");
  const warnings = analysis.findings.filter((f) => f.severity === "warning");
  return [
    `${analysis.passed ? "PASS" : "FAIL"}: ${analysis.granted.length} granted pair${analysis.granted.length === 1 ? "" : "s"}; ` +
      `${counts.total.checked} requests checked, ${counts.total.denied} denied; ` +
      `${errors.length} finding${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}.`,
    ...analysis.granted.map((g) => `  grants ${g.action} on ${g.resource}`),
    ...[...errors, ...warnings].map((f) => `  ${f.severity} ${f.id}: ${f.message}`),
  ].join("\n");
}
