import { createHash } from "node:crypto";
import { relative, sep } from "node:path";
import { Finding } from "./analyze";
import { CHECKS, CheckId } from "./checks";
import { SourceLocation } from "./configuration";
import { PlanReview } from "./report";

// The review as SARIF 2.1.0, the format GitHub code scanning (and GitLab, Azure DevOps, most
// scanners' viewers) reads: one rule per check, one result per finding, located at the file and
// line that write the resource wherever the configuration is at hand.

export interface SarifOptions {
  /** The tool's name and version, as SARIF's `tool.driver` shows them. */
  readonly tool: { readonly name: string; readonly version: string; readonly informationUri?: string };
  /** Where a resource is written, when the review has the configuration. */
  readonly locate?: (address: string) => SourceLocation | undefined;
  /** The plan file, where results point when the configuration is not at hand. */
  readonly planFile?: string;
  /** What URIs are relative to: the repository's root (default: the working directory). */
  readonly root?: string;
}

/** The subset of SARIF 2.1.0 this writer uses. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: {
    readonly tool: { readonly driver: Record<string, unknown> };
    readonly results: Record<string, unknown>[];
    readonly originalUriBaseIds?: Record<string, unknown>;
  }[];
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** A finding's stable identity across runs, for code scanning to track it. */
function fingerprint(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function uri(file: string, root: string): string {
  return relative(root, file).split(sep).join("/");
}

/** The resource a finding is about, as an address of the configuration: a policy's holder, else the role. */
function addressOf(f: Finding, role: string): string {
  const address = f.address ?? role;
  // A role's inline policy is written in the role; a policy the plan does not hold (an ARN), nowhere.
  if (address.startsWith("arn:")) return role;
  return address.replace(/\.inline_policy(\[.*\])?$/, "");
}

export function sarifOf(review: PlanReview, options: SarifOptions): SarifLog {
  const root = options.root ?? process.cwd();
  const ids = Object.keys(CHECKS) as CheckId[];
  const rules = ids.map((id) => {
    const check = CHECKS[id];
    return {
      id,
      name: check.name,
      shortDescription: { text: check.summary },
      fullDescription: { text: check.description },
      help: { text: check.help, markdown: check.help },
      defaultConfiguration: { level: check.severity },
      properties: {
        tags: ["security", "iam", "terraform"],
        precision: "very-high",
        "security-severity": check.securitySeverity.toFixed(1),
        ...("mirrors" in check ? { mirrors: check.mirrors } : {}),
      },
    };
  });
  const unreadable = review.unreadable.map((r) => {
    const found = options.locate?.(r.address);
    return {
      ruleId: "TRUST-UNREADABLE",
      ruleIndex: ids.indexOf("TRUST-UNREADABLE"),
      level: "error",
      message: { text: `${r.address}: ${r.reason}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              uri: found ? uri(found.file, root) : options.planFile ? uri(options.planFile, root) : "",
            },
            region: { startLine: found?.line ?? 1 },
          },
          logicalLocations: [{ fullyQualifiedName: r.address, kind: "resource" }],
        },
      ],
      partialFingerprints: { reviewFinding: fingerprint(`TRUST-UNREADABLE:${r.address}:${r.reason}`) },
    };
  });
  const results = review.roles.flatMap(({ analysis }) =>
    analysis.findings.map((f) => {
      const address = addressOf(f, analysis.subject.role.address);
      const found = options.locate?.(address) ?? options.locate?.(analysis.subject.role.address);
      const where =
        found !== undefined
          ? { uri: uri(found.file, root), line: found.line, note: "" }
          : options.planFile !== undefined
            ? {
                uri: uri(options.planFile, root),
                line: 1,
                note: ` (located at the plan: the configuration that writes ${address} was not given)`,
              }
            : { uri: "", line: 1, note: "" };
      return {
        ruleId: f.id,
        ruleIndex: ids.indexOf(f.id),
        level: f.severity,
        message: { text: `${analysis.subject.role.address}: ${f.message}${where.note}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: where.uri }, region: { startLine: where.line } },
            logicalLocations: [{ fullyQualifiedName: address, kind: "resource" }],
          },
        ],
        partialFingerprints: { reviewFinding: fingerprint(`${f.id}:${analysis.subject.role.address}:${f.message}`) },
      };
    }),
  );
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: options.tool.name,
            version: options.tool.version,
            semanticVersion: options.tool.version,
            ...(options.tool.informationUri ? { informationUri: options.tool.informationUri } : {}),
            rules,
          },
        },
        results: [...unreadable, ...results],
      },
    ],
  };
}
