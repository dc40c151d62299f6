import {
  arnParts,
  conditionEntries,
  hasWildcard,
  list,
  PolicyDocument,
  principalEntries,
  signature,
  statements,
} from "./documents";
import { typeForContextKey } from "@cloud-copilot/iam-simulate";

// Values to probe a policy with, taken from the documents themselves. A document decides a string
// field (an action, an ARN, a principal, a context value) only by which of its patterns the string
// matches, so the strings fall into finitely many classes; the review tries a witness of each: every
// value the documents name, each pattern with its wildcards filled (with nothing, with a fresh value,
// with the other values named), and values named nowhere (another account, another Region).

/** Values named anywhere in the documents, by kind. */
export interface NamedValues {
  readonly partitions: string[];
  readonly regions: string[];
  readonly accounts: string[];
  /** The last part of every ARN's resource (`books` in `campaign/books`), without wildcards. */
  readonly resourceIds: string[];
  /** Every string of the documents that has a wildcard. */
  readonly patterns: string[];
  /** Every string of the documents, as written. */
  readonly strings: string[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const PARTITION = /^aws(-[a-z]+)*$/;

/** Every string value of a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The values named by the documents and by the given strings (the role's own ARN, say). */
export function namedValues(documents: readonly PolicyDocument[], extra: readonly string[] = []): NamedValues {
  const written = [...documents.flatMap(strings), ...extra];
  // A pattern names the values it matches too: `11112222333?` an account, `arn:aws:x:*:...` ARNs.
  const all = [...written, ...written.filter(hasWildcard).flatMap((p) => fills(p))];
  const partitions: string[] = [];
  const regions: string[] = [];
  const accounts: string[] = [];
  const resourceIds: string[] = [];
  for (const s of all) {
    if (ACCOUNT.test(s)) accounts.push(s);
    if (REGION.test(s)) regions.push(s);
    const arn = arnParts(s);
    if (arn === undefined) continue;
    if (PARTITION.test(arn.partition)) partitions.push(arn.partition);
    if (REGION.test(arn.region)) regions.push(arn.region);
    if (ACCOUNT.test(arn.account)) accounts.push(arn.account);
    const id = arn.resource.split(/[/:]/).pop() ?? "";
    if (id !== "" && !hasWildcard(id) && !id.includes("${")) resourceIds.push(id);
  }
  return {
    partitions: unique(partitions),
    regions: unique(regions),
    accounts: unique(accounts),
    resourceIds: unique(resourceIds),
    patterns: unique(written.filter(hasWildcard)),
    strings: unique(written),
  };
}

export const OTHER_ACCOUNTS = ["444455556666", "777788889999", "222233334444"];
export const OTHER_REGIONS = ["us-west-2", "us-east-2", "eu-central-1"];
export const OTHER_PARTITIONS = ["aws-cn", "aws-us-gov", "aws"];

/** A fresh string that no pattern of the documents is written with, to fill wildcards. */
export const FRESH = "zq9";

/**
 * A pattern with its wildcards filled: every `*` with nothing, every `*` with a fresh value, and
 * every `*` with each of the given values; every `?` with one fresh character. Values of the
 * result are distinct.
 */
export function fills(pattern: string, values: readonly string[] = []): string[] {
  if (!hasWildcard(pattern)) return [pattern];
  const fill = (star: string, one = "q") => pattern.replace(/\*/g, star).replace(/\?/g, one);
  return unique([fill(""), fill(FRESH), fill(FRESH, "0"), ...values.slice(0, 12).map((v) => fill(v))]);
}

/** The place a role is in, and the values around it that its probes use. */
export interface Place {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** One value of each class that the patterns tell apart, among the candidates: the first of each. */
export function onePerClass(patterns: readonly string[], candidates: readonly string[]): string[] {
  // A pattern with a colon matches no string without one, under every reading: where no candidate
  // has a colon (accounts, Regions), it tells none apart, and is left out.
  const deciding = candidates.some((c) => c.includes(":")) ? patterns : patterns.filter((p) => !p.includes(":"));
  const first = new Map<string, string>();
  for (const c of candidates) {
    const key = signature(deciding, c);
    if (!first.has(key)) first.set(key, c);
  }
  return [...first.values()];
}

/** The patterns that decide one ARN segment (3: Region, 4: account): each string's segment, and each string itself. */
function segmentPatterns(named: NamedValues, segment: number): string[] {
  return unique([...named.strings, ...named.strings.map((s) => s.split(":")[segment]).filter((x): x is string => !!x)]);
}

/**
 * Accounts to probe with: the role's own, and one of each other class of accounts that the
 * documents tell apart, from many candidates (every account named, every account pattern filled
 * with each digit, each named account with one digit changed, and accounts named nowhere), so that
 * no list of conditions, negated ones included, can leave a class untried.
 */
export function accountWitnesses(own: string, named: NamedValues): string[] {
  const base = unique([own, ...named.accounts, ...OTHER_ACCOUNTS]);
  const digits = [..."0123456789"];
  const patterns = segmentPatterns(named, 4).filter((p) => /^[\d*?]+$/.test(p) && p.length <= 12);
  const filled = patterns.flatMap((p) =>
    digits.map((d) => {
      const stars = (p.match(/\*/g) ?? []).length;
      const width = Math.max(0, 12 - p.replace(/\*/g, "").length);
      return p.replace(/\?/g, d).replace(/\*/g, () => d.repeat(stars > 0 ? Math.floor(width / stars) : 0));
    }),
  );
  const nearby = base.flatMap((a) => [...a].map((c, i) => `${a.slice(0, i)}${(Number(c) + 1) % 10}${a.slice(i + 1)}`));
  const nowhere = [
    ...digits.map((d) => d.repeat(12)),
    ...Array.from({ length: 40 }, (_, i) => String(100000000000 + i * 21577321367).slice(-12)),
  ];
  const candidates = unique([...base, ...filled, ...nearby, ...nowhere]).filter((a) => ACCOUNT.test(a));
  return onePerClass(segmentPatterns(named, 4), candidates);
}

/** Regions to probe with: the role's own, and one of each other class of Regions that the documents tell apart. */
export function regionWitnesses(own: string, named: NamedValues): string[] {
  const candidates = unique([
    own,
    ...named.regions,
    ...OTHER_REGIONS,
    "ap-southeast-2",
    "eu-west-1",
    "sa-east-1",
    "us-gov-west-1",
    "cn-north-1",
  ]);
  return onePerClass(segmentPatterns(named, 3), candidates);
}

/**
 * Places to probe: the role's own, and each one-part deviation from it: to every account and
 * Region witness, and to every partition the documents name.
 */
export function places(own: Place, named: NamedValues): (Place & { readonly label: string })[] {
  const result: (Place & { label: string })[] = [{ ...own, label: "" }];
  const isNamed = (value: string, list: readonly string[]) => list.includes(value);
  let otherAccount = false;
  for (const accountId of accountWitnesses(own.accountId, named).filter((a) => a !== own.accountId)) {
    const first = !otherAccount && !isNamed(accountId, named.accounts);
    if (first) otherAccount = true;
    result.push({ ...own, accountId, label: first ? "another account's" : `account ${accountId}'s` });
  }
  let otherRegion = false;
  for (const region of regionWitnesses(own.region, named).filter((r) => r !== own.region)) {
    const first = !otherRegion && !isNamed(region, named.regions);
    if (first) otherRegion = true;
    result.push({ ...own, region, label: first ? "another Region's" : `Region ${region}'s` });
  }
  for (const partition of named.partitions.filter((p) => p !== own.partition)) {
    result.push({ ...own, partition, label: `partition ${partition}'s` });
  }
  return result;
}

/** Fills an ARN format of IAM's service reference (`arn:${Partition}:personalize:${Region}:${Account}:campaign/${ResourceId}`). */
export function arnFromFormat(format: string, place: Place, id: string): string {
  return format
    .replace("${Partition}", place.partition)
    .replace("${Region}", place.region)
    .replace("${Account}", place.accountId)
    .replace(/\$\{[A-Za-z]+\}/g, id);
}

/** Whether a concrete ARN fits an ARN format of IAM's service reference. */
export function fitsFormat(format: string, arn: string): boolean {
  const body = format
    .split(/(\$\{[A-Za-z]+\})/)
    .map((part) =>
      /^\$\{[A-Za-z]+\}$/.test(part)
        ? ["${Partition}", "${Region}", "${Account}"].includes(part)
          ? "[^:]*"
          : ".+"
        : part.replace(/[.+^${}()|[\]\\*?]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`).test(arn);
}

// ---------------------------------------------------------------------------------------------
// Trust: principals and request contexts.

/** Principals to probe a trust with: Pinpoint, other services, and principals of every account named or not. */
export function principalWitnesses(trust: PolicyDocument, own: Place, named: NamedValues, pinpoint: string): string[] {
  const accounts = accountWitnesses(own.accountId, named);
  const principals = [pinpoint, "lambda.amazonaws.com", "personalize.amazonaws.com"];
  for (const account of accounts) {
    principals.push(
      `arn:${own.partition}:iam::${account}:root`,
      `arn:${own.partition}:iam::${account}:user/example-user`,
      `arn:${own.partition}:iam::${account}:role/example-role`,
    );
  }
  for (const s of statements(trust)) {
    for (const { type, id } of [...principalEntries(s.Principal), ...principalEntries(s.NotPrincipal)]) {
      if (type === "*" || id === "*") continue;
      for (const value of fills(id, accounts)) {
        if (type === "AWS" && ACCOUNT.test(value)) principals.push(`arn:${own.partition}:iam::${value}:root`);
        else if (type !== "CanonicalUser") principals.push(value);
      }
    }
  }
  return unique(principals);
}

/** The context keys a trust's conditions use, and the confused-deputy keys, spelled as first written. */
function contextKeys(trust: PolicyDocument): string[] {
  const keys = new Map<string, string>();
  for (const key of ["aws:SourceAccount", "aws:SourceArn"]) keys.set(key.toLowerCase(), key);
  for (const s of statements(trust))
    for (const c of conditionEntries(s)) if (!keys.has(c.key.toLowerCase())) keys.set(c.key.toLowerCase(), c.key);
  return [...keys.values()];
}

/** A Pinpoint project ID that looks like one. */
export const EXAMPLE_PROJECT_ID = "0123456789abcdef0123456789abcdef";

/** A source ARN a legitimate Pinpoint request of this place may present. */
export function projectArn(place: Place, resource = `apps/${EXAMPLE_PROJECT_ID}`): string {
  return `arn:${place.partition}:mobiletargeting:${place.region}:${place.accountId}:${resource}`;
}

/** Witness values for one context key; `undefined` stands for the key being absent. */
function keyWitnesses(
  trust: PolicyDocument,
  key: string,
  own: Place,
  named: NamedValues,
  multivalued: boolean,
): (string | string[] | undefined)[] {
  const lower = key.toLowerCase();
  const entries = statements(trust)
    .flatMap(conditionEntries)
    .filter((c) => c.key.toLowerCase() === lower);
  const values: (string | string[] | undefined)[] = [undefined];
  const namedValues = entries.flatMap((c) => c.values);
  if (lower === "aws:sourceaccount") values.push(...accountWitnesses(own.accountId, named));
  if (lower === "aws:sourcearn") {
    for (const place of places(own, named)) {
      values.push(projectArn(place));
      // Each accepted pattern's projects, in every place probed.
      for (const pattern of namedValues) {
        const resource = arnParts(pattern)?.resource;
        if (resource !== undefined)
          for (const r of fills(resource, [EXAMPLE_PROJECT_ID])) values.push(projectArn(place, r));
      }
    }
    values.push(projectArn(own, "unnamed/example"));
  }
  for (const value of namedValues) values.push(...fills(value, [own.accountId, own.region, ...named.accounts]));
  values.push(...crossedFills(namedValues));
  // A value named nowhere: one that no value of the key matches, if there is one among the candidates.
  values.push(...onePerClass(namedValues, [FRESH, `${FRESH}-1`, "example", "0", "true", "false"]));
  for (const c of entries) {
    const operator = c.operator.toLowerCase();
    if (operator.includes("bool")) values.push("true", "false");
    if (operator.includes("numeric"))
      for (const v of c.values) values.push(String(Number(v) + 1), String(Number(v) - 1));
    if (operator.includes("ipaddress")) values.push("203.0.113.9", ...c.values.map((v) => v.split("/")[0] ?? v));
    if (operator.includes("date")) values.push("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    // Multivalued keys (a single-valued key never carries a set): the empty set, and sets of one
    // named value with one named nowhere.
    if (multivalued && (operator.startsWith("forallvalues") || operator.startsWith("foranyvalue"))) {
      values.push([], ...c.values.map((v) => [v, FRESH]));
    }
  }
  values.push(FRESH);
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v ?? null);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Values that two patterns of a key may both match, for conditions that narrow one key twice
 * (an `ArnLike` and a `StringLike` in one statement, or an Allow and a Deny's `StringNotLike`):
 * each wildcard of one pattern filled, in turn, with a part of another (between colons, so that
 * it stays within an ARN's part, its own wildcards filled), bare, with text around it, and after
 * `templates/`.
 * `arn:aws:mobiletargeting:*:111122223333:apps/*` crossed with `*:ap-*-1` gives a project in
 * Region `ap-x-1`; `arn:...:111122223333:*` crossed with `*apps/*` gives `xapps/x`, no project.
 */
function crossedFills(patterns: readonly string[]): string[] {
  const found: string[] = [];
  for (const a of patterns) {
    const parts = a.split(/([*?])/);
    const stars = parts.map((p, i) => (p === "*" || p === "?" ? i : -1)).filter((i) => i >= 0);
    if (stars.length === 0) continue;
    for (const b of patterns) {
      if (b === a) continue;
      // The other pattern's parts between colons, each wildcard in them filled: `ap-*-1` gives
      // `ap-x-1`, a Region of that shape; `s?gments/*` gives `sxgments/x`.
      const runs = [
        ...new Set(
          b
            .split(":")
            .map((part) => part.replace(/[*?]/g, "x"))
            .filter((r) => r.length > 0),
        ),
      ];
      for (const run of runs) {
        for (const filler of [run, `${run}x`, `x${run}x`, `templates/${run}`]) {
          for (const at of stars) {
            found.push(parts.map((p, i) => (i === at ? filler : stars.includes(i) ? "x" : p)).join(""));
          }
        }
      }
    }
  }
  return found;
}

/** At most this many contexts per principal and action; past it the trust cannot be proven and fails. */
export const MAX_CONTEXTS = 20000;

/**
 * Whether a request could carry this context: AWS sets aws:SourceAccount and aws:SourceArn
 * together when a service acts for a resource, and the source ARN's account is the source account
 * ("the aws:SourceAccount value and the account in the aws:SourceArn value must use the same account
 * ID", IAM User Guide, The confused deputy problem).
 */
export function realisticContext(context: Readonly<Record<string, string | string[]>>): boolean {
  const value = (key: string) => Object.entries(context).find(([k]) => k.toLowerCase() === key)?.[1];
  const account = value("aws:sourceaccount");
  const source = value("aws:sourcearn");
  if ((account === undefined) !== (source === undefined)) return false;
  if (typeof account !== "string" || typeof source !== "string") return true;
  const arn = arnParts(source);
  return arn === undefined || arn.account === account;
}

/** Every combination of the context keys' witnesses that a request could carry: the contexts to probe a trust with. */
export async function contextWitnesses(
  trust: PolicyDocument,
  own: Place,
  named: NamedValues,
): Promise<Record<string, string | string[]>[] | undefined> {
  let contexts: Record<string, string | string[]>[] = [{}];
  for (const key of contextKeys(trust)) {
    const type = await typeForContextKey(key);
    const witnesses = keyWitnesses(trust, key, own, named, type?.startsWith("ArrayOf") ?? true);
    if (contexts.length * witnesses.length > MAX_CONTEXTS) return undefined;
    contexts = contexts.flatMap((c) => witnesses.map((w) => (w === undefined ? c : { ...c, [key]: w })));
  }
  return contexts.filter(realisticContext);
}

/** The context keys of a trust that a statement admitting Pinpoint could test, whatever their case. */
export function conditionKeysOf(trust: PolicyDocument): Set<string> {
  return new Set(
    statements(trust)
      .filter((s) => s.Effect === "Allow")
      .flatMap(conditionEntries)
      .map((c) => c.key.toLowerCase()),
  );
}

/** A trust without conditions on its Allow statements and without its conditional Deny statements: it admits at least what the trust admits in any context. */
export function unconditioned(trust: PolicyDocument): PolicyDocument {
  return {
    ...trust,
    Statement: statements(trust)
      .filter((s) => s.Effect === "Allow" || s.Condition === undefined)
      .map(({ Condition: _condition, ...s }) => s),
  };
}

/** Every action pattern of a set of documents (Action and NotAction). */
export function actionPatterns(documents: readonly PolicyDocument[]): string[] {
  return unique(documents.flatMap((d) => statements(d).flatMap((s) => [...list(s.Action), ...list(s.NotAction)])));
}

/** Every resource pattern of a set of documents (Resource and NotResource). */
export function resourcePatterns(documents: readonly PolicyDocument[]): string[] {
  return unique(documents.flatMap((d) => statements(d).flatMap((s) => [...list(s.Resource), ...list(s.NotResource)])));
}
