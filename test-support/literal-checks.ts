import { checkInput, INPUTS } from "../lib/inputs";
import { literalProblem, NumberRule, numberProblem, StringRule } from "../lib/rules";

// The construct's checks of values known when the app runs, one value at a time, for tests that
// compare its verdict with another's (Terraform's, the IAM double's): each throws as the construct
// does, with the construct's message.

function fail(label: string, requirement: string, value: unknown): never {
  throw new Error(`${label} must be ${requirement}. Received ${JSON.stringify(value)}.`);
}

/** Throws when a literal string breaks the rule. */
export function checkString(label: string, value: string | undefined, rule: StringRule): void {
  if (value === undefined) return;
  const problem = literalProblem(value, rule);
  if (problem) fail(label, problem, value);
}

/** Throws when an element of a literal list breaks the rule. */
export function checkStringList(label: string, values: readonly string[] | undefined, rule: StringRule): void {
  for (const value of values ?? []) checkString(`each of ${label}`, value, rule);
}

export function checkNumber(label: string, value: number | undefined, rule: NumberRule): void {
  if (value === undefined) return;
  const problem = numberProblem(value, rule);
  if (problem) fail(label, problem, value);
}

/** Throws when a literal map of tags breaks IAM's rules (the construct's own check of `tags`). */
export function checkTags(_label: string, tags: Readonly<Record<string, string>> | undefined): void {
  checkInput(INPUTS.find((i) => i.prop === "tags") as (typeof INPUTS)[number], tags);
}
