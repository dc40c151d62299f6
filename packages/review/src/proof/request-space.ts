import { escapeRegex, Language } from "./automata";
import { Unmodelled } from "./patterns";

// The requests a role is judged over, and what IAM puts in each: for every context key, the values
// a request of one kind can carry. Three kinds matter to a Pinpoint role: Pinpoint asking to assume
// it, anyone else asking, and the role's own sessions calling AWS. For each, a key is either the
// same in every request (the role's account), absent from every one (a VPC endpoint that Pinpoint's
// requests never pass through), or free (any value of its type, or absent); a few are tied to
// another value of the request (the source account is the source ARN's account). A key this file
// does not name is free: the proof then holds for every value it can take, which is what a reviewer
// can rely on.
//
// Sources: IAM User Guide, "AWS global condition context keys" (each key's availability); "The
// confused deputy problem" (aws:SourceArn and aws:SourceAccount name the same account); "Temporary
// security credentials" (a role session always carries aws:TokenIssueTime); AWS re:Post, "Restrict
// calls from IP addresses" (a service calling with its role presents the service's own address).

/** The place of a role: its partition, Region and account. */
export interface Place {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * Whether the partition is only the review's guess (no data source, provider Region or known ARN
   * of the plan says it): then the role's requests may be in any partition.
   */
  readonly partitionGuessed?: boolean;
}

/** The partitions of a place's requests, as a regular expression. */
export function partitionsOf(place: Place): string {
  return place.partitionGuessed ? SHAPES.partition : escapeRegex(place.partition);
}

/** What the requests of a kind hold for one context key. */
export type Domain =
  /** Never in such a request. */
  | { readonly kind: "absent" }
  /** The same value in every such request. */
  | { readonly kind: "fixed"; readonly value: string | readonly string[] }
  /** Any value of the key's type (within `strings`, for a string key, when given), or absent too when `absent`. */
  | { readonly kind: "any"; readonly absent: boolean; readonly strings?: Language }
  /** aws:SourceArn and aws:SourceAccount, together: the source field. */
  | { readonly kind: "source" }
  /** aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime, together: the time field. */
  | { readonly kind: "time" }
  /** aws:ResourceAccount: the account of the resource requested. */
  | { readonly kind: "resource" }
  /** A key that says who the principal is: part of the principal field. */
  | { readonly kind: "principal" };

/** The shapes of real values: a partition, a Region code, an account ID, a role session name. */
export const SHAPES = {
  partition: "aws(?:-[a-z]+)*",
  region: "[a-z]{2,}(?:-[a-z]+)+-[0-9]{1,2}",
  account: "[0-9]{12}",
  service: "[a-z0-9][a-z0-9-]*",
  /** An ARN's resource part: printable characters, no space. */
  resource: "[!-~]+",
  sessionName: "[\\w+=,.@-]{2,64}",
} as const;

/** Any ARN of a real shape (six parts, partition, Region and account as AWS writes them). */
export function arnShape(
  service: string = SHAPES.service,
  region: string = SHAPES.region,
  account: string = SHAPES.account,
  partition: string = SHAPES.partition,
): string {
  return `arn:${partition}:${service}:${region}:${account}:${SHAPES.resource}`;
}

/** What a kind of request can carry as its source: which service's resource it acts for, and in which account. */
export interface SourceDomain {
  /** Source ARNs with an account (aws:SourceAccount is that account, as AWS sets them together). */
  readonly arns: Language;
  /** Source ARNs without an account (an S3 bucket's): aws:SourceAccount is then given apart, or not at all. */
  readonly accountless: Language;
  /** Whether aws:SourceAccount may come alone, with no source ARN. */
  readonly accountAlone: boolean;
  /** Whether neither may come. */
  readonly absent: boolean;
}

/**
 * Any source a service principal may present to a role of the partitions given (a regular
 * expression): of any service, any place of them (global ones too), or none. A service acts for resources of the partition it
 * is called in, and a role is assumed only from its own partition: an account and its principals
 * belong to one partition (AWS General Reference, "Partitions"). Pinpoint's own resources always
 * name their account and Region (an ARN of mobiletargeting without an account is none of them).
 */
function anySource(inPartition: string): SourceDomain {
  return {
    arns: Language.regex(arnShape(SHAPES.service, `(?:${SHAPES.region})?`, SHAPES.account, inPartition)),
    accountless: Language.regex(arnShape(SHAPES.service, `(?:${SHAPES.region})?`, "", inPartition)).minus(
      Language.regex(`arn:${inPartition}:mobiletargeting:[^]*`),
    ),
    accountAlone: true,
    absent: true,
  };
}

/** No source at all. */
const NO_SOURCE: SourceDomain = {
  arns: Language.none(),
  accountless: Language.none(),
  accountAlone: false,
  absent: true,
};

/** Keys of the time field, lower case. */
export const TIME_KEYS = ["aws:currenttime", "aws:epochtime", "aws:tokenissuetime"] as const;
/** Keys of the source field, lower case. */
export const SOURCE_KEYS = ["aws:sourcearn", "aws:sourceaccount"] as const;
/** Keys that say who the principal is, lower case: for requests to assume a role, part of the principal field. */
export const PRINCIPAL_KEYS = [
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principaltype",
  "aws:principalisawsservice",
  "aws:principalservicename",
  "aws:principalservicenameslist",
] as const;

/** The moments a request of a kind can be made at, and whether it carries a token's issue time. */
export interface TimeDomain {
  /** The earliest moment, in milliseconds since the epoch: the review's own. */
  readonly from: number;
  /** For a role session: the longest a session lasts, in seconds (its issue time is at most this long before now). */
  readonly session?: number;
}

/** One kind of request: what its context keys hold. */
export interface RequestKind {
  /** For the report: who asks, e.g. "Pinpoint, for a project of this account". */
  readonly description: string;
  domain(key: string): Domain;
  /** The source ARNs such a request can carry (the source account being each one's account). */
  readonly source: SourceDomain;
  readonly time: TimeDomain;
}

const absent: Domain = { kind: "absent" };
const free: Domain = { kind: "any", absent: true };
const present: Domain = { kind: "any", absent: false };
const fixed = (value: string | readonly string[]): Domain => ({ kind: "fixed", value });
const strings = (source: string, mayBeAbsent = false): Domain => ({
  kind: "any",
  absent: mayBeAbsent,
  strings: Language.regex(source),
});

/**
 * Characters that the evaluator's wildcards read otherwise than IAM: its `*` and `?` are a regular
 * expression's `.` (no `s` or `u` flag), which takes no line terminator and half of a character
 * beyond U+FFFF. IAM tag values may hold the line and paragraph separators (\p{Z}) and any letter.
 */
const READ_OTHERWISE = /[\n\r\u2028\u2029]|[\ud800-\udbff][\udc00-\udfff]/;

/** The domain a table gives a key, by its name in lower case or by its prefix (`aws:principaltag/`). */
function lookup(table: Readonly<Record<string, Domain>>, key: string): Domain | undefined {
  const lower = key.toLowerCase();
  if (table[lower] !== undefined) return table[lower];
  const slash = lower.indexOf("/");
  return slash === -1 ? undefined : table[`${lower.slice(0, slash + 1)}*`];
}

/** Keys tied to a field of their own, whatever the kind. */
function joint(key: string): Domain | undefined {
  const lower = key.toLowerCase();
  if ((TIME_KEYS as readonly string[]).includes(lower)) return { kind: "time" };
  if ((SOURCE_KEYS as readonly string[]).includes(lower)) return { kind: "source" };
  return undefined;
}

/**
 * Amazon Pinpoint asking STS to assume the role. `legitimate`: the requests the role exists for
 * (Pinpoint acting for one of this account's projects or recommenders, in the role's Region),
 * each of which must be allowed however its other keys are set; otherwise every request Pinpoint
 * can make, acting for any resource of any account or for none.
 */
export function pinpointAssumes(place: Place, legitimate: boolean, now: number): RequestKind {
  const table: Record<string, Domain> = {
    "aws:principalservicename": fixed("pinpoint.amazonaws.com"),
    "aws:principalservicenameslist": fixed(["pinpoint.amazonaws.com"]),
    "aws:principalisawsservice": fixed("true"),
    // A service principal is none of these.
    "aws:principalarn": absent,
    "aws:principalaccount": absent,
    "aws:principaltype": absent,
    "aws:principalorgid": absent,
    "aws:principalorgpaths": absent,
    "aws:principaltag/*": absent,
    "aws:userid": absent,
    "aws:username": absent,
    "aws:multifactorauthage": absent,
    "aws:multifactorauthpresent": absent,
    "aws:federatedprovider": absent,
    "aws:assumedroot": absent,
    ...(legitimate
      ? {
          // STS is reached over TLS only; Pinpoint calls it itself, with no session tags, external
          // ID or source identity, and not through your VPC.
          "aws:securetransport": fixed("true"),
          "aws:viaawsservice": fixed("false"),
          "aws:calledvia": absent,
          "aws:calledviafirst": absent,
          "aws:calledvialast": absent,
          "aws:sourcevpc": absent,
          "aws:sourcevpcarn": absent,
          "aws:sourcevpce": absent,
          "aws:vpcsourceip": absent,
          "aws:requesttag/*": absent,
          "aws:tagkeys": absent,
          "sts:transitivetagkeys": absent,
          "sts:externalid": absent,
          "sts:sourceidentity": absent,
          "sts:rolesessionname": strings(SHAPES.sessionName),
        }
      : {}),
  };
  const project = ownProjectPattern(place);
  return {
    description: legitimate
      ? "Pinpoint, for a project or recommender of this account in this Region"
      : "Pinpoint, acting for any resource of any account",
    domain: (key) => joint(key) ?? lookup(table, key) ?? free,
    source: legitimate
      ? { arns: Language.regex(project), accountless: Language.none(), accountAlone: false, absent: false }
      : anySource(partitionsOf(place)),
    time: { from: now },
  };
}

/**
 * The source ARNs of the role's own Pinpoint projects and recommender configurations, as a regular
 * expression: `apps/<id>` or `recommenders/<id>` in its partition, Region and account. An ID is
 * what Pinpoint generates (a project ID is 32 hexadecimal digits; Amazon Pinpoint API Reference,
 * Apps and Recommender configurations), read here as letters, digits, `_` and `-`: never empty,
 * never a `*` or `?`, so a trust that admits only the literal `apps/*` (StringEquals) or `apps/`
 * admits no request Pinpoint can make.
 */
export function ownProjectPattern(place: Place, id = "[0-9A-Za-z_-]+"): string {
  const { partition, region, accountId } = place;
  return `arn:${escapeRegex(partition)}:mobiletargeting:${escapeRegex(region)}:${escapeRegex(accountId)}:(?:apps|recommenders)/${id}`;
}

/** Anyone but Pinpoint asking to assume the role: who they are is the principal field; every other key is free. */
export function othersAssume(place: Place, now: number): RequestKind {
  return {
    description: "any other principal",
    domain: (key) =>
      joint(key) ?? ((PRINCIPAL_KEYS as readonly string[]).includes(key.toLowerCase()) ? { kind: "principal" } : free),
    source: anySource(partitionsOf(place)),
    time: { from: now },
  };
}

/** What the review knows of a role that its sessions carry into their requests. */
export interface SessionRole {
  readonly place: Place;
  /** The role's ARN, where known at plan time; else the ARNs it may get (a generated name). */
  readonly arn: string | Language;
  /** The role's tags, where known at plan time. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Whether the trust may let a principal tag the role's sessions (`sts:TagSession`): a session tag
   * replaces the role's tag of its key, so a session's `aws:PrincipalTag` values are then free.
   * Pinpoint itself passes no session tags.
   */
  readonly sessionTags?: boolean;
  /** The role's maximum session duration, in seconds. */
  readonly maxSessionDuration: number;
}

/**
 * The role's sessions calling AWS. `legitimate`: the requests Pinpoint makes with the role for
 * recommendations (in the role's Region, over TLS, from Pinpoint's own addresses, not through your
 * VPC), each of which must be allowed; otherwise every request a session of the role can make.
 */
export function sessionRequests(role: SessionRole, legitimate: boolean, now: number): RequestKind {
  const { place, tags } = role;
  const table: Record<string, Domain> = {
    "aws:principalarn":
      typeof role.arn === "string" ? fixed(role.arn) : { kind: "any", absent: false, strings: role.arn },
    "aws:principalaccount": fixed(place.accountId),
    "aws:principaltype": fixed("AssumedRole"),
    "aws:principalisawsservice": fixed("false"),
    "aws:principalservicename": absent,
    "aws:principalservicenameslist": absent,
    "aws:username": absent,
    "aws:federatedprovider": absent,
    "aws:assumedroot": absent,
    // A role's unique ID, then the session's name: the ID is unknown until the role exists.
    "aws:userid": strings(`AROA[A-Z0-9]{16,}:${SHAPES.sessionName}`),
    "aws:resourceaccount": { kind: "resource" },
    // Credentials of an EC2 instance, a Glue job, a Lambda function or an SSM node carry these; a
    // session Pinpoint opens does not.
    "aws:ec2instancesourcevpc": absent,
    "aws:ec2instancesourceprivateipv4": absent,
    "ec2:roledelivery": absent,
    "ec2:sourceinstancearn": absent,
    "glue:roleassumedby": absent,
    "glue:credentialissuingservice": absent,
    "lambda:sourcefunctionarn": absent,
    "ssm:sourceinstancearn": absent,
    "aws:chatbotsourcearn": absent,
    ...(legitimate
      ? {
          "aws:securetransport": fixed("true"),
          // A service calling with its own role is not a forward access session.
          "aws:viaawsservice": fixed("false"),
          "aws:viaawsmcpservice": fixed("false"),
          "aws:ismcpserviceaction": absent,
          "aws:calledvia": absent,
          "aws:calledviafirst": absent,
          "aws:calledvialast": absent,
          "aws:calledviaawsmcp": absent,
          "aws:requestedregion": fixed(place.region),
          // Pinpoint's own addresses, not through your VPC.
          "aws:sourceip": present,
          "aws:sourcevpc": absent,
          "aws:sourcevpcarn": absent,
          "aws:sourcevpce": absent,
          "aws:vpcsourceip": absent,
          "aws:vpceaccount": absent,
          "aws:vpceorgid": absent,
          "aws:vpceorgpaths": absent,
          "aws:requesttag/*": absent,
          "aws:tagkeys": absent,
          "aws:sourceowner": absent,
          "aws:sourceorgid": absent,
          "aws:sourceorgpaths": absent,
          "aws:sourceidentity": absent,
          // Pinpoint assumes the role without MFA, and the key is absent where MFA was not used
          // (IAM User Guide, "AWS global condition context keys", aws:MultiFactorAuthAge).
          "aws:multifactorauthage": absent,
        }
      : {
          "aws:requestedregion": strings(SHAPES.region),
        }),
  };
  const domain = (key: string): Domain => {
    const lower = key.toLowerCase();
    if (lower.startsWith("aws:principaltag/")) {
      if (tags === undefined || (role.sessionTags && !legitimate)) return free;
      const tag = Object.entries(tags).find(([k]) => k.toLowerCase() === lower.slice("aws:principaltag/".length));
      if (tag !== undefined && READ_OTHERWISE.test(tag[1])) {
        throw new Unmodelled(
          `the role's tag ${tag[0]} holds ${JSON.stringify(tag[1])}: a line break, a line or paragraph separator, or a ` +
            "character beyond U+FFFF, which the evaluator's * and ? read otherwise than IAM (its * stops at a line " +
            "break, its ? takes half of such a character)",
        );
      }
      return tag === undefined ? absent : fixed(tag[1]);
    }
    return joint(key) ?? lookup(table, key) ?? free;
  };
  return {
    description: legitimate ? "Pinpoint, using the role for recommendations" : "any session of the role",
    domain,
    // Pinpoint calls Amazon Personalize itself, acting for no other resource.
    source: legitimate ? NO_SOURCE : anySource(partitionsOf(role.place)),
    time: { from: now, session: role.maxSessionDuration },
  };
}
