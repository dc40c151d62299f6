import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatementCondition,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn, TerraformProvider, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { checkInputs, literal, planTimeChecks } from "./inputs";
import { placeOf } from "./place";
import { isNeverNull } from "./never-null";
import { listOrEmpty, RuleError, terraformLiteral } from "./rules";
import { withStringTokens } from "./template";

/** The Sid of the permissions statement, as in AWS's guide. */
export const PERMISSIONS_SID = "RetrieveRecommendationsOneCampaign";
/** The three actions Amazon Pinpoint needs, in the order of AWS's guide. */
export const PERMISSIONS_ACTIONS: readonly string[] = [
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
];
export const PINPOINT_SERVICE_PRINCIPAL = "pinpoint.amazonaws.com";
/** Default names, as in AWS's guide. */
export const DEFAULT_ROLE_NAME = "PinpointRoleforPersonalize";
export const DEFAULT_POLICY_NAME = "RetrieveRecommendationsPolicy";

export interface PinpointPersonalizeRoleProps {
  /**
   * The name of the Amazon Personalize campaign to read recommendations from: the part after
   * `campaign/` in its ARN (1-63 letters, digits, `-` and `_`, a letter or digit first). Pinpoint's
   * `RecommendationProviderUri` is `campaignArn`.
   */
  readonly campaignId: string;

  /** The name of the Amazon Personalize solution that the campaign deploys. */
  readonly solutionId: string;

  /**
   * Accept requests only from these Amazon Pinpoint projects (`apps/<id>` source ARNs).
   * Empty means every Pinpoint project of the account, as in AWS's guide; so does a token list
   * that Terraform gives as null (a nullable variable set to null).
   *
   * @default - every project of the account (`apps/*`)
   */
  readonly pinpointApplicationIds?: string[];

  /**
   * Replace the accepted `aws:SourceArn` values altogether, for example with
   * `arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*`. Each must be an Amazon
   * Pinpoint ARN of the role's own partition, Region and account: `aws:SourceAccount` is the
   * role's account, so an ARN elsewhere would match no request. Conflicts with
   * `pinpointApplicationIds`. A token list that Terraform gives as null counts as not given.
   *
   * @default - derived from `pinpointApplicationIds`
   */
  readonly trustedSourceArns?: string[];

  /**
   * Add the confused-deputy conditions that AWS recommends to the trust policy:
   * `aws:SourceAccount` equals the account and `aws:SourceArn` matches the accepted source ARNs.
   * Turn off only for parity with roles that the Pinpoint console created; the role can then
   * be assumed by Pinpoint on behalf of any account.
   *
   * @default true
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
   */
  readonly confusedDeputyProtection?: boolean;

  /**
   * Name of the IAM role: 1-64 letters, digits and `+=,.@_-`, unique in its account (ignoring
   * case). Conflicts with `roleNamePrefix`.
   *
   * @default "PinpointRoleforPersonalize" (unless `roleNamePrefix` is set)
   */
  readonly roleName?: string;

  /**
   * Prefix for a unique role name that the provider generates. Conflicts with `roleName`.
   *
   * @default - a fixed `roleName`
   */
  readonly roleNamePrefix?: string;

  /**
   * Path of the IAM role.
   *
   * @default "/"
   */
  readonly rolePath?: string;

  /**
   * Description of the IAM role: at most 1000 characters of printable Latin-1, tab or newline, and
   * at most 1000 bytes of UTF-8 (hashicorp/aws's limit).
   *
   * @default - no description
   */
  readonly roleDescription?: string;

  /**
   * Maximum session duration, in seconds: a whole number from 3600 to 43200.
   *
   * @default 3600
   */
  readonly maxSessionDuration?: number;

  /**
   * ARN of the managed policy that sets the role's permissions boundary
   * (`arn:<partition>:iam::<account ID or aws>:policy<path><name>`).
   *
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: string;

  /**
   * Name of the IAM policy. Conflicts with `policyNamePrefix`.
   *
   * @default "RetrieveRecommendationsPolicy" (unless `policyNamePrefix` is set)
   */
  readonly policyName?: string;

  /**
   * Prefix for a unique policy name that the provider generates. Conflicts with `policyName`.
   *
   * @default - a fixed `policyName`
   */
  readonly policyNamePrefix?: string;

  /**
   * Path of the IAM policy.
   *
   * @default "/"
   */
  readonly policyPath?: string;

  /**
   * Description of the IAM policy. IAM cannot change it after creation: a new value replaces
   * the policy.
   *
   * @default - no description
   */
  readonly policyDescription?: string;

  /**
   * Tags for the role and the policy: at most 50; keys of 1-128 and values of at most 256
   * letters, digits, spaces and `_.:/=+@-`, neither starting with `aws:` in any letter case (IAM
   * reserves it); no two keys that differ only in letter case (IAM compares a role's keys so;
   * letter case as Terraform's `lower()` folds it, one character at a time). A token map that
   * Terraform gives as null means no tags.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Adopt a role, a policy and an attachment that already exist under these names (made by hand
   * with AWS's guide, for example): Terraform `import` blocks make the first apply take them over
   * instead of failing with EntityAlreadyExists. Needs fixed names, not name prefixes, and
   * Terraform 1.5 or later.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * The AWS provider of the resources and data sources, for a role in another Region or account
   * than the stack's default provider.
   *
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;

  /**
   * The AWS partition the ARNs name (`aws`, `aws-cn`, `aws-us-gov`).
   *
   * @default - `data.aws_partition` of the provider, shared by the stack's roles
   */
  readonly partition?: string;

  /**
   * The Region of the campaign and of the Pinpoint project.
   *
   * @default - the provider's Region, read by `data.aws_service` (Amazon Personalize's), shared by the stack's roles
   */
  readonly region?: string;

  /**
   * The account of the campaign, the solution and the Pinpoint project.
   *
   * @default - `data.aws_caller_identity` of the provider, shared by the stack's roles
   */
  readonly accountId?: string;
}

/** The ids of the construct's children: what a stack maps to stable Terraform addresses. */
export const ROLE_CHILD_IDS = {
  permissionsDocument: "PermissionsDocument",
  trustDocument: "TrustDocument",
  policy: "Policy",
  role: "Role",
  attachment: "Attachment",
} as const;

/**
 * A prop that breaks an AWS rule, reported with the path of the construct it was given to (which
 * was not added: bad input leaves the scope unchanged).
 */
export class PinpointPersonalizeRoleError extends Error {
  constructor(
    /** The path the construct would have had, e.g. `app/stack/Books`. */
    readonly constructPath: string,
    message: string,
  ) {
    super(`${constructPath}: ${message}`);
  }
}

/**
 * The IAM role that lets Amazon Pinpoint retrieve recommendations from one Amazon Personalize
 * campaign: a permissions policy and a trust policy (`aws_iam_policy_document`), the
 * `aws_iam_policy`, the `aws_iam_role` and their `aws_iam_role_policy_attachment`.
 *
 * @see https://docs.aws.amazon.com/pinpoint/latest/developerguide/permissions-get-recommendations.html
 */
export class PinpointPersonalizeRole extends Construct {
  /** The permissions policy: AWS's one statement, three actions on the solution and the campaign. */
  public readonly permissionsDocument: DataAwsIamPolicyDocument;
  /** The trust policy: `sts:AssumeRole` for Pinpoint, with the confused-deputy conditions unless turned off. */
  public readonly trustDocument: DataAwsIamPolicyDocument;
  /** The customer managed policy that holds the permissions. */
  public readonly policy: IamPolicy;
  /** The role that Pinpoint assumes. */
  public readonly role: IamRole;
  /** The standalone attachment of the policy to the role. */
  public readonly attachment: IamRolePolicyAttachment;

  /** `arn:<partition>:personalize:<region>:<account>:campaign/<campaignId>` */
  public readonly campaignArn: string;
  /** `arn:<partition>:personalize:<region>:<account>:solution/<solutionId>` */
  public readonly solutionArn: string;
  /** The permissions policy JSON, as AWS receives it. */
  public readonly permissionsPolicyJson: string;
  /** The trust policy JSON, as AWS receives it. */
  public readonly trustPolicyJson: string;
  /**
   * Pinpoint's `RecommendationProviderRoleArn`. A reference to the role alone: a consumer that must
   * not see the role before its permissions are attached (a recommender made in the same apply)
   * should also depend on `attachment`, as the stack's outputs do.
   */
  public readonly roleArn: string;
  /** The role's name (generated when a name prefix is given). */
  public readonly roleName: string;
  /** The policy's ARN. */
  public readonly policyArn: string;
  /**
   * The IDs under which Terraform imports an existing role, policy and attachment of these names
   * (what `adoptExisting` uses; a stack can use them in its own `import` blocks). Undefined when
   * a name comes from a literal name prefix: no existing resource has a generated name.
   */
  public readonly importIds?: { readonly role: string; readonly policy: string; readonly attachment: string };

  constructor(scope: Construct, id: string, given: PinpointPersonalizeRoleProps) {
    const props = normalizedProps(given);
    // Before super(), so that bad input leaves the scope unchanged.
    try {
      checkInputs(props);
      checkProviderStack(scope, props.provider);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      throw new PinpointPersonalizeRoleError(scope.node.path ? `${scope.node.path}/${id}` : id, error.message);
    }
    super(scope, id);

    const provider = props.provider === undefined ? {} : { provider: props.provider };
    const { partition, region, accountId } = placeOf(this, props.provider, props);
    const arnPrefix = `arn:${partition}:personalize:${region}:${accountId}`;
    this.solutionArn = `${arnPrefix}:solution/${props.solutionId}`;
    this.campaignArn = `${arnPrefix}:campaign/${props.campaignId}`;

    this.permissionsDocument = new DataAwsIamPolicyDocument(this, ROLE_CHILD_IDS.permissionsDocument, {
      ...provider,
      statement: [
        {
          sid: PERMISSIONS_SID,
          effect: "Allow",
          actions: [...PERMISSIONS_ACTIONS],
          resources: [this.solutionArn, this.campaignArn],
        },
      ],
      lifecycle: planTimeChecks(props, "permissions"),
    });

    const protect = props.confusedDeputyProtection ?? true;
    this.trustDocument = new DataAwsIamPolicyDocument(this, ROLE_CHILD_IDS.trustDocument, {
      ...provider,
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [PINPOINT_SERVICE_PRINCIPAL] }],
          condition: protect ? trustConditions(accountId, sourceArns(props, partition, region, accountId)) : undefined,
        },
      ],
      lifecycle: protect ? planTimeChecks(props, "trust", { partition, region, accountId }) : undefined,
    });

    this.permissionsPolicyJson = this.permissionsDocument.json;
    this.trustPolicyJson = this.trustDocument.json;

    const policyName = nameOrPrefix(props.policyName, props.policyNamePrefix, DEFAULT_POLICY_NAME);
    this.policy = new IamPolicy(this, ROLE_CHILD_IDS.policy, {
      ...provider,
      ...escapedName(policyName),
      path: terraformLiteral(props.policyPath),
      description: terraformLiteral(props.policyDescription),
      policy: this.permissionsPolicyJson,
      tags: escapedTags(props.tags),
      lifecycle: planTimeChecks(props, "policy"),
    });

    const roleName = nameOrPrefix(props.roleName, props.roleNamePrefix, DEFAULT_ROLE_NAME);
    this.role = new IamRole(this, ROLE_CHILD_IDS.role, {
      ...provider,
      ...escapedName(roleName),
      path: terraformLiteral(props.rolePath),
      description: terraformLiteral(props.roleDescription),
      assumeRolePolicy: this.trustPolicyJson,
      maxSessionDuration: props.maxSessionDuration,
      permissionsBoundary: terraformLiteral(props.permissionsBoundary),
      tags: escapedTags(props.tags),
      lifecycle: planTimeChecks(props, "role"),
    });

    this.attachment = new IamRolePolicyAttachment(this, ROLE_CHILD_IDS.attachment, {
      ...provider,
      role: this.role.name,
      policyArn: this.policy.arn,
    });

    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.policyArn = this.policy.arn;

    // From the inputs, never from the resources: an import ID must be known before they exist.
    if (roleName.name !== undefined && policyName.name !== undefined) {
      const existingPolicyArn = `arn:${partition}:iam::${accountId}:policy${terraformLiteral(props.policyPath) ?? "/"}${terraformLiteral(policyName.name)}`;
      this.importIds = {
        role: terraformLiteral(roleName.name),
        policy: existingPolicyArn,
        attachment: `${terraformLiteral(roleName.name)}/${existingPolicyArn}`,
      };
      if (props.adoptExisting) {
        this.role.importFrom(this.importIds.role);
        this.policy.importFrom(this.importIds.policy);
        this.attachment.importFrom(this.importIds.attachment);
      }
    }

    registerForNameCheck(this, {
      provider: props.provider,
      accountId: literal(props.accountId),
      partition: literal(props.partition),
      role: literal(roleName.name),
      policy: literal(policyName.name),
    });
  }
}

/**
 * The props as the construct reads them: number tokens written into text as string tokens (see
 * `withStringTokens`), and an optional prop given as null (from JavaScript, or a cast) as not
 * given; a required one keeps its null, which the checks refuse.
 */
function normalizedProps(given: PinpointPersonalizeRoleProps): PinpointPersonalizeRoleProps {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given) as [string, unknown][]) {
    if (value === null && key !== "campaignId" && key !== "solutionId") continue;
    if (typeof value === "string") props[key] = withStringTokens(value);
    else if (Array.isArray(value) && !Token.isUnresolved(value))
      props[key] = value.map((v: unknown) => (typeof v === "string" ? withStringTokens(v) : v));
    else if (key === "tags" && value !== null && typeof value === "object" && !Token.isUnresolved(value))
      props[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          withStringTokens(k),
          typeof v === "string" ? withStringTokens(v) : v,
        ]),
      );
    else props[key] = value;
  }
  return props as unknown as PinpointPersonalizeRoleProps;
}

/** A name or a name prefix, as Terraform must receive it. */
function escapedName(value: { name?: string; namePrefix?: string }): { name?: string; namePrefix?: string } {
  return { name: terraformLiteral(value.name), namePrefix: terraformLiteral(value.namePrefix) };
}

/**
 * Tags as Terraform must receive them: the literal parts of keys and values escaped (a key is a
 * template in JSON too), a token map left as it is.
 */
function escapedTags(tags: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (tags === undefined || Token.isUnresolved(tags)) return tags;
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}

/** The literal IAM names of each role of a stack, and where it is, checked together once per synth. */
interface NamedRole {
  readonly path: string;
  /** The provider's configuration address in the stack: `aws` for the default, `aws.<alias>` for another. */
  readonly providerAddress: string;
  /** The account the role is in, if given as a literal. */
  readonly accountId?: string;
  /** The partition the role is in, if given as a literal. */
  readonly partition?: string;
  readonly role?: string;
  readonly policy?: string;
}
const namesByStack = new WeakMap<TerraformStack, NamedRole[]>();

function registerForNameCheck(
  construct: Construct,
  names: { provider?: TerraformProvider; accountId?: string; partition?: string; role?: string; policy?: string },
): void {
  const stack = TerraformStack.of(construct);
  let roles = namesByStack.get(stack);
  if (roles === undefined) {
    const all: NamedRole[] = [];
    namesByStack.set(stack, all);
    stack.node.addValidation({ validate: () => nameCollisions(all) });
    roles = all;
  }
  const { provider, ...rest } = names;
  // Terraform's identity of a provider configuration: a provider without alias is the default one.
  const providerAddress = provider?.alias === undefined ? "aws" : `aws.${provider.alias}`;
  roles.push({ path: construct.node.path, providerAddress, ...rest });
}

/**
 * Whether two roles are certainly in the same account: the same provider configuration (whose
 * credentials decide the account), or the same literal account ID in the same partition (or one
 * not given literally). Otherwise (two providers, an
 * account read at plan time) it cannot be known at synth, and IAM has the last word.
 */
function sameAccount(a: NamedRole, b: NamedRole): boolean {
  if (a.providerAddress === b.providerAddress) return true;
  // Accounts of other partitions (aws, aws-cn, aws-us-gov) are other accounts.
  const otherPartitions = a.partition !== undefined && b.partition !== undefined && a.partition !== b.partition;
  return a.accountId !== undefined && a.accountId === b.accountId && !otherPartitions;
}

/**
 * The provider must be one of the role's own stack: Terraform knows a provider configuration only
 * in the stack (the root module) that writes it.
 */
function checkProviderStack(scope: Construct, provider: TerraformProvider | undefined): void {
  if (provider === undefined) return;
  const own = TerraformStack.of(scope);
  const theirs = TerraformStack.of(provider);
  if (theirs !== own) {
    throw new RuleError(
      `provider must be a provider of the role's own stack (${own.node.path}): Terraform reads a provider ` +
        `configuration only in the stack that writes it. Received the provider ${provider.node.path}.`,
    );
  }
}

/**
 * IAM names are unique per account, case-insensitively: two roles of a stack that are certainly in
 * the same account must not share one. Roles in other accounts may (one role per account with
 * AWS's default names is a valid layout).
 */
function nameCollisions(roles: readonly NamedRole[]): string[] {
  const errors: string[] = [];
  for (const kind of ["role", "policy"] as const) {
    const reported = new Set<NamedRole>();
    for (const [i, role] of roles.entries()) {
      const name = role[kind]?.toLowerCase();
      if (name === undefined || reported.has(role)) continue;
      const same = [role, ...roles.slice(i + 1).filter((o) => o[kind]?.toLowerCase() === name && sameAccount(role, o))];
      if (same.length < 2) continue;
      same.forEach((r) => reported.add(r));
      errors.push(
        `${same.map((r) => r.path).join(" and ")} all name their IAM ${kind} "${role[kind]}" in the same account ` +
          `(the same provider or the same accountId); IAM ${kind} names are unique per account, case-insensitively: ` +
          `give each a ${kind}Name or ${kind}NamePrefix.`,
      );
    }
  }
  return errors;
}

function nameOrPrefix(
  name: string | undefined,
  prefix: string | undefined,
  defaultName: string,
): { name?: string; namePrefix?: string } {
  if (prefix !== undefined) return { name, namePrefix: prefix };
  return { name: name ?? defaultName };
}

/**
 * The accepted `aws:SourceArn` values: `trustedSourceArns` if given, else one `apps/<id>` per
 * Pinpoint project, else `apps/*`. When a list is a token (null read as empty), Terraform's `coalescelist` makes the
 * same choice at plan time.
 */
function sourceArns(
  props: PinpointPersonalizeRoleProps,
  partition: string,
  region: string,
  accountId: string,
): string[] {
  const appArn = (app: string) => `arn:${partition}:mobiletargeting:${region}:${accountId}:apps/${app}`;
  const everyApp = [appArn("*")];
  const given = (list: string[] | undefined) =>
    list !== undefined && Token.isUnresolved(list) && !isNeverNull(list) ? listOrEmpty(list) : (list ?? []);
  const apps = given(props.pinpointApplicationIds);
  const trusted = given(props.trustedSourceArns);
  if (Token.isUnresolved(apps) || Token.isUnresolved(trusted)) {
    const appArns: string[] = Token.isUnresolved(apps)
      ? Token.asList(Fn.formatlist("arn:%s:mobiletargeting:%s:%s:apps/%s", [partition, region, accountId, apps]))
      : apps.map(appArn);
    return Token.asList(Fn.coalescelist([trusted, appArns, everyApp]));
  }
  return [trusted, apps.map(appArn), everyApp].find((list) => list.length > 0) as string[];
}

function trustConditions(accountId: string, arns: string[]): DataAwsIamPolicyDocumentStatementCondition[] {
  return [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
    { test: "ArnLike", variable: "aws:SourceArn", values: arns },
  ];
}
