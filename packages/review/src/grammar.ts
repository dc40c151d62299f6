import { PolicyDocument, statements } from "./documents";
import { operatorFamily } from "./proof/patterns";

// IAM's grammar where @cloud-copilot/iam-policy's validator does not check it: what IAM refuses at
// apply (MalformedPolicyDocument), so a plan that passes here would fail there.
// Sources: IAM User Guide, "IAM JSON policy elements: Sid" (ASCII letters and digits, unique in a
// policy) and "IAM JSON policy elements: Condition operators" (the operators, IfExists, the set
// operators ForAllValues and ForAnyValue).

export interface GrammarProblem {
  readonly message: string;
  readonly path: string;
}

/** Where IAM's grammar refuses a document: its Sids, its condition operators. */
export function grammarProblems(document: PolicyDocument, kind: "identity" | "trust"): GrammarProblem[] {
  const problems: GrammarProblem[] = [];
  const seen = new Map<string, number>();
  statements(document).forEach((s, i) => {
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== "string" || !/^[A-Za-z0-9]*$/.test(s.Sid)) {
        problems.push({
          message: `IAM refuses the Sid ${JSON.stringify(s.Sid)} of ${kind === "trust" ? "a trust" : "an identity"} policy: a Sid holds ASCII letters and digits only`,
          path: `Statement[${i}].Sid`,
        });
      }
      const first = seen.get(s.Sid);
      if (first !== undefined) {
        problems.push({
          message: `IAM refuses two statements with the Sid ${JSON.stringify(s.Sid)} (statements ${first} and ${i}): Sids are unique in a policy`,
          path: `Statement[${i}].Sid`,
        });
      } else seen.set(s.Sid, i);
    }
    for (const operator of Object.keys(s.Condition ?? {})) {
      const f = operatorFamily(operator);
      const setOnNull = f?.family === "null" && /^(forallvalues|foranyvalue):|ifexists$/i.test(operator);
      if (f === undefined || setOnNull) {
        problems.push({
          message: `IAM refuses the condition operator ${operator}: it is none of IAM's`,
          path: `Statement[${i}].Condition.${operator}`,
        });
      }
    }
  });
  return problems;
}
