import { Diagnostic, diagnostics, terraformAsync } from "../packages/review/src/terraform";

/** A diagnostic of `-json` output, with where Terraform found it. */
type Located = Diagnostic & { readonly snippet?: { readonly context?: string } };

/** The errors of one `terraform plan`, by the construct each came from. */
export interface PlanFailures {
  readonly code: number;
  /** Error messages by the construct id (the logical name up to its first "_", e.g. `Case3`). */
  readonly byConstruct: Map<string, string[]>;
  /** Errors that name no construct of the given form (a configuration error, for one). */
  readonly unattributed: string[];
}

/**
 * Runs `terraform plan -json` (which Terraform runs to the end, reporting every failed
 * precondition of the configuration) and attributes each error to the construct whose document
 * or resource raised it, by the address Terraform names (`resource.aws_iam_role.Case3_Role_...`).
 */
export async function planFailures(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<PlanFailures> {
  const result = await terraformAsync(dir, ["plan", "-json", "-input=false", "-lock=false", ...args], env);
  const byConstruct = new Map<string, string[]>();
  const unattributed: string[] = [];
  for (const d of diagnostics(result.stdout) as Located[]) {
    if (d.severity !== "error") continue;
    // `resource.<type>.<name>.lifecycle...` or `data.<type>.<name>.lifecycle...`
    const name = /^(?:resource|data)\.[^.]+\.([^.]+)\./.exec(d.snippet?.context ?? "")?.[1];
    const id = name?.split("_")[0];
    if (id === undefined) unattributed.push(`${d.summary}: ${d.detail}`);
    else byConstruct.set(id, [...(byConstruct.get(id) ?? []), d.detail]);
  }
  return { code: result.code, byConstruct, unattributed };
}
