import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import {
  DefaultTokenResolver,
  IResolvable,
  IResolveContext,
  Lazy,
  ref,
  StringConcat,
  TerraformLocal,
  TerraformProvider,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
import { Construct } from "constructs";
import {
  checkInput,
  checkPropNames,
  checkProvider,
  eachString,
  holdsToken,
  InputError,
  INPUTS,
  type Kind,
  isConstant,
  planChecks,
  shown,
  snapshot,
  templateText,
  withStringTokens,
} from "./inputs";
import { blockAddress, claimAddresses } from "./addresses";
import { checkAtSynth } from "./synth-checks";
import { PlacePart, sharedSource } from "./place";
import {
  adoptionChecks,
  adoptionConflictMessage,
  narrowingRemovedCheck,
  narrowingRemovedMessage,
  Check,
  conflictMessage,
  distinctNameCheck,
  hclLiteral,
  listConflictCheck,
  providerAccountCheck,
  providerPlaceCheck,
  RULES,
  TRUSTED_SOURCE_PLACE,
  trustedSourcePlaceCheck,
  valueConflictCheck,
} from "./rules";

/** The Sid of the permissions statement, as in AWS's guide. */
const PERMISSIONS_SID = "RetrieveRecommendationsOneCampaign";
/** The three actions Amazon Pinpoint needs, in the order of AWS's guide. */
const PERMISSIONS_ACTIONS: readonly string[] = [
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
];
const PINPOINT_SERVICE_PRINCIPAL = "pinpoint.amazonaws.com";
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
   * Terraform 1.5 or later. The plan refuses an adoption that would keep access it does not write:
   * the role's other managed or inline policies, or the policy's attachments to others
   * (preconditions of `attachment`). While it is true, the role and the policy carry Terraform's
   * `prevent_destroy`: a plan that would replace what it adopts (a name in another letter case,
   * which IAM finds all the same; another path) fails instead of destroying it, and so does a
   * destroy. Set it back to false once the adoption is applied: the import blocks then do nothing,
   * and the checks would refuse policies the app attaches later.
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
   * The account of the campaign, the solution and the Pinpoint project: the 12-digit ID of the
   * role's AWS provider's account, where IAM makes the role and the policy. The plan compares it
   * with `data.aws_caller_identity` of the provider and fails on another account's ID, which would
   * make a trust for that account's Pinpoint projects and a grant on its campaign.
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
 * The IDs under which Terraform imports an existing role, policy and attachment of the role's
 * names.
 */
export interface PinpointPersonalizeImportIds {
  /** The role's name. */
  readonly role: string;
  /** The policy's ARN. */
  readonly policy: string;
  /** `<role name>/<policy ARN>`. */
  readonly attachment: string;
}

/**
 * How Terraform reads one value: `hcl()` is its HCL expression (read at synth, once cdktf has
 * named every block), `piece` the same value inside a JSON template (text or `${...}`).
 */
interface Term {
  readonly hcl: () => string;
  readonly piece: string;
  /** Set when the value is known when the app runs. */
  readonly literal?: string;
}

function literalTerm(value: string): Term {
  return { hcl: () => hclLiteral(value), piece: templateText(value), literal: value };
}

function expressionTerm(hcl: () => string): Term {
  return { hcl, piece: interpolation(hcl) };
}

/** A term inside an HCL template: literal text as HCL reads it back (escaped), an expression interpolated. */
function templatePart(t: Term): string {
  return t.literal !== undefined ? hclLiteral(t.literal).slice(1, -1) : `\${${t.hcl()}}`;
}

/** `arn:<partition>:mobiletargeting:<region>:<account>:`, inside an HCL template: where the trusted source ARNs are. */
function sourceArnPrefix(partition: Term, region: Term, accountId: Term): string {
  return `arn:${templatePart(partition)}:mobiletargeting:${templatePart(region)}:${templatePart(accountId)}:`;
}

/** `${<expression>}`, written at synth. */
function interpolation(hcl: () => string): string {
  return Lazy.stringValue({ produce: () => `\${${hcl()}}` });
}

const NULL: Term = { hcl: () => "null", piece: "" };

/**
 * Text that the construct builds from its place and props (an ARN), readable in another stack as
 * its other attributes are: a literal as it is; text that holds tokens (expressions of the role's
 * stack: its provider's data sources, its locals) as a token that, read in another stack, becomes
 * a cdktf cross-stack reference to a Terraform local of the role's stack that holds it. The role's
 * own stack reads the text itself, so its configuration does not change.
 */
function crossStackText(owner: Construct, id: string, text: string): string {
  return Token.isUnresolved(text) ? Token.asString(new CrossStackText(owner, id, text)) : text;
}

class CrossStackText implements IResolvable {
  readonly creationStack: string[] = [];
  private reference?: IResolvable;

  constructor(
    private readonly owner: Construct,
    private readonly id: string,
    private readonly text: string,
  ) {}

  resolve(context: IResolveContext): unknown {
    const origin = TerraformStack.of(this.owner);
    if (TerraformStack.of(context.scope) === origin) {
      // Inside an expression (a function's argument), the text is an HCL template string.
      return context.suppressBraces ? `"${this.text}"` : this.text;
    }
    // Made while cdktf prepares the stacks, as its own cross-stack outputs are.
    this.reference ??= ref(`local.${new TerraformLocal(this.owner, this.id, this.text).friendlyUniqueId}`, origin);
    return this.reference.resolve(context);
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** IAM's policy language version, known only when each local is (so that a read waits for them). */
function policyVersionAfter(locals: readonly TerraformLocal[]): string {
  return interpolation(
    () =>
      `can(jsonencode([${locals.map((l) => `local.${l.friendlyUniqueId}`).join(", ")}])) ? "2012-10-17" : "2012-10-17"`,
  );
}

/**
 * The IAM role that lets Amazon Pinpoint retrieve recommendations from one Amazon Personalize
 * campaign: a permissions policy and a trust policy (`aws_iam_policy_document`), the
 * `aws_iam_policy`, the `aws_iam_role` and their `aws_iam_role_policy_attachment`.
 *
 * Every prop is checked against AWS's rule before anything is made from it: a value known when
 * the app runs (a literal, or a `Lazy` that produces one) when the construct is made or at synth,
 * a value Terraform knows by a precondition of the permissions document, which every other block
 * of the role follows. Bad input throws an `Error` that names the construct, the prop, the rule
 * and the value, and adds nothing to the scope.
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

  /**
   * `arn:<partition>:personalize:<region>:<account>:campaign/<campaignId>`, Pinpoint's
   * `RecommendationProviderUri`. Built from the props and the provider's place, which the
   * permissions document checks: where a value is known only at apply, a consumer made in the same
   * apply should also depend on `attachment` (as for `roleArn`), so that it sees no value the checks
   * would refuse.
   */
  public readonly campaignArn: string;
  /**
   * `arn:<partition>:personalize:<region>:<account>:solution/<solutionId>`. What `campaignArn` says
   * of its consumers holds for it too.
   */
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
  public readonly importIds?: PinpointPersonalizeImportIds;

  constructor(scope: Construct, id: string, props: PinpointPersonalizeRoleProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    if (props !== null && typeof props === "object" && !Array.isArray(props)) {
      try {
        checkPropNames(props, ["provider", ...INPUTS.map((i) => i.prop)], "PinpointPersonalizeRoleProps");
      } catch (error) {
        throw error instanceof InputError ? new Error(`${path}: ${error.message}`) : error;
      }
    }
    // Each prop read once: what is checked is what is written, whatever a getter or Proxy gives later.
    const read = readOnce(props);
    const given = normalized(scope, path, read);
    // Before super(), so that bad input leaves the scope unchanged.
    try {
      checkCombinations(scope, given);
    } catch (error) {
      throw error instanceof InputError ? new Error(`${path}: ${error.message}`) : error;
    }
    super(scope, id);

    // Each value that holds a token is bound to one Terraform local: every block that uses the
    // value and every check of it read that local, so that what Terraform checks is what it uses.
    const terms = new Map<string, Term>();
    const locals: TerraformLocal[] = [];
    const term = (prop: keyof PinpointPersonalizeRoleProps): Term => terms.get(prop) ?? NULL;
    for (const input of INPUTS) {
      const value = given[input.prop];
      if (value === undefined || input.kind === "boolean") continue;
      if (!holdsToken(value)) {
        if (input.kind === "string") terms.set(input.prop, literalTerm(value as string));
        continue;
      }
      // Its literal text escaped, so that Terraform reads it as written.
      const written = eachString(value, templateText);
      const local = new TerraformLocal(
        this,
        input.prop,
        Lazy.anyValue({ produce: (c) => nullIfUndefined(c, written) }),
      );
      locals.push(local);
      terms.set(
        input.prop,
        expressionTerm(() => `local.${local.friendlyUniqueId}`),
      );
    }

    const provider = given.provider === undefined ? {} : { provider: given.provider };
    // The parts of the role's place that its provider gives, read from data sources (and checked).
    const providerReads: ProviderRead[] = [];
    const place = (part: PlacePart): Term => {
      const own = terms.get(part);
      if (own?.literal !== undefined) return own;
      const read = sourceRead(sharedSource(this, given.provider, part));
      providerReads.push({ part, read, own });
      // A token that Terraform gives as null reads as not given.
      return expressionTerm(own === undefined ? read : () => `${own.hcl()} == null ? ${read()} : ${own.hcl()}`);
    };
    const [partition, region, accountId] = (["partition", "region", "accountId"] as const).map(place);
    const arnPrefix = `arn:${partition.piece}:personalize:${region.piece}:${accountId.piece}`;
    this.solutionArn = crossStackText(this, "solutionArn", `${arnPrefix}:solution/${term("solutionId").piece}`);
    this.campaignArn = crossStackText(this, "campaignArn", `${arnPrefix}:campaign/${term("campaignId").piece}`);

    // An account given for the ARNs must be the provider's, which its caller identity gives.
    const accountGiven = terms.get("accountId");
    const identity = accountGiven && sharedSource(this, given.provider, "accountId");
    const accountCheck = (): Check[] =>
      accountGiven && identity
        ? [
            providerAccountCheck(sourceRead(identity)(), {
              hcl: accountGiven.hcl(),
              literal: accountGiven.literal,
            }),
          ]
        : [];
    // The names of this role and its policy against those of the stack's earlier roles on the same
    // provider, where either holds a token (two literals are compared at synth).
    const names = {
      roleName: nameExpression(term("roleName"), term("roleNamePrefix"), DEFAULT_ROLE_NAME),
      policyName: nameExpression(term("policyName"), term("policyNamePrefix"), DEFAULT_POLICY_NAME),
    };
    const providerAddress = providerAddressOf(given.provider);
    const earlier = (namesByStack.get(TerraformStack.of(this)) ?? []).filter(
      (r) => r.providerAddress === providerAddress,
    );
    const nameChecks = (): Check[] =>
      (["roleName", "policyName"] as const).flatMap((prop) => {
        const own = names[prop];
        return earlier.flatMap((other) => {
          const theirs = other.expressions[prop];
          if (own === undefined || theirs === undefined || (own.literal && theirs.literal)) return [];
          return [distinctNameCheck(prop, own.hcl(), theirs.hcl(), other.path)];
        });
      });
    const checks = (): Check[] => [
      ...planTimeChecks(given, term, { partition, region, accountId }, providerReads),
      ...accountCheck(),
      ...nameChecks(),
    ];
    const count = checks().length;
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
      // Every check of every input sits here: the one block that all the others follow. Terraform
      // reads a data source while it plans when its arguments are known, and checks its
      // preconditions then; a condition still unknown (a value from timestamp() or uuid(), which
      // no resource makes) would be skipped and never checked again. So its arguments read every
      // value the checks read: the version, always IAM's "2012-10-17", is unknown until each value
      // is known, which defers the read, and the checks, to apply, before anything that follows.
      version: locals.length === 0 ? undefined : policyVersionAfter(locals),
      lifecycle:
        count === 0
          ? undefined
          : {
              precondition: Array.from({ length: count }, (_, i) => ({
                condition: Lazy.stringValue({ produce: () => checks()[i].condition }),
                errorMessage: Lazy.stringValue({ produce: () => checks()[i].errorMessage }),
              })),
            },
    });

    const protect = given.confusedDeputyProtection ?? true;
    this.trustDocument = new DataAwsIamPolicyDocument(this, ROLE_CHILD_IDS.trustDocument, {
      ...provider,
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [PINPOINT_SERVICE_PRINCIPAL] }],
          condition: protect
            ? [
                { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId.piece] },
                {
                  test: "ArnLike",
                  variable: "aws:SourceArn",
                  values: sourceArns(given, term, partition, region, accountId),
                },
              ]
            : undefined,
        },
      ],
      // Read after the permissions document has passed its checks.
      dependsOn: [this.permissionsDocument],
    });

    this.permissionsPolicyJson = this.permissionsDocument.json;
    this.trustPolicyJson = this.trustDocument.json;

    const policyName = nameArguments(term("policyName"), term("policyNamePrefix"), DEFAULT_POLICY_NAME);
    this.policy = new IamPolicy(this, ROLE_CHILD_IDS.policy, {
      ...provider,
      ...policyName,
      path: argument(term("policyPath")),
      description: argument(term("policyDescription")),
      policy: this.permissionsPolicyJson,
      tags: tagsArgument(given.tags, term("tags")),
    });

    const roleName = nameArguments(term("roleName"), term("roleNamePrefix"), DEFAULT_ROLE_NAME);
    const session = term("maxSessionDuration");
    this.role = new IamRole(this, ROLE_CHILD_IDS.role, {
      ...provider,
      ...roleName,
      path: argument(term("rolePath")),
      description: argument(term("roleDescription")),
      assumeRolePolicy: this.trustPolicyJson,
      maxSessionDuration: terms.has("maxSessionDuration")
        ? Token.asNumber(Lazy.anyValue({ produce: () => `\${${session.hcl()}}` }))
        : given.maxSessionDuration,
      permissionsBoundary: argument(term("permissionsBoundary")),
      tags: tagsArgument(given.tags, term("tags")),
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
      const path = term("policyPath");
      const policyPath =
        path === NULL
          ? "/"
          : path.literal !== undefined
            ? path.piece
            : interpolation(() => `${path.hcl()} == null ? "/" : ${path.hcl()}`);
      const existingPolicyArn = `arn:${partition.piece}:iam::${accountId.piece}:policy${policyPath}${policyName.name}`;
      this.importIds = {
        role: roleName.name,
        policy: existingPolicyArn,
        attachment: `${roleName.name}/${existingPolicyArn}`,
      };
      if (given.adoptExisting) {
        this.role.importFrom(this.importIds.role);
        this.policy.importFrom(this.importIds.policy);
        this.attachment.importFrom(this.importIds.attachment);
        // An import that the plan would then replace (IAM finds a name in another letter case, and
        // the role's path or the policy's description differs) would destroy what it adopts.
        this.role.lifecycle = { preventDestroy: true };
        this.policy.lifecycle = { preventDestroy: true };
        // What the import would keep: other policies on the role, this policy on others.
        this.attachment.lifecycle = {
          precondition: adoptionChecks(
            "adoptExisting",
            "set adoptExisting to false",
            blockAddress(this.role) as string,
            blockAddress(this.policy) as string,
          ),
        };
      }
    }

    // At synth: a token that cdktf resolves to a constant (a Lazy) is checked as a literal, and a
    // Lazy that decided which blocks exist must still produce what it produced then.
    // A child that writes no block: it runs the checks when the stack is written (lib/synth-checks.ts).
    checkAtSynth(this, "SynthChecks", () => [
      ...resolvedConstantProblems(this, given),
      ...combinationProblems(atSynth(this, given)),
      ...changedDecisions(this, read, given),
      ...(given.confusedDeputyProtection === false
        ? [narrowingRemoved(this, given)].filter((p) => p !== undefined)
        : []),
    ]);

    // Its blocks' addresses are its own: another element of the stack at one of them is refused.
    claimAddresses(TerraformStack.of(this), this);

    registerForNameCheck(this, {
      provider: given.provider,
      expressions: names,
      accountId: term("accountId").literal,
      partition: term("partition").literal,
      // At synth, when a Lazy name has its value too.
      names: () => ({
        role: nameAtSynth(this, given, "roleName", "roleNamePrefix", DEFAULT_ROLE_NAME),
        policy: nameAtSynth(this, given, "policyName", "policyNamePrefix", DEFAULT_POLICY_NAME),
      }),
    });
  }
}

/** A resolved token that cdktf writes as nothing (a Lazy that produces undefined) as null. */
function nullIfUndefined(context: IResolveContext, value: unknown): unknown {
  const resolved: unknown = context.resolve(value);
  return resolved === undefined ? Token.nullValue() : value;
}

type Props = { -readonly [K in keyof PinpointPersonalizeRoleProps]?: PinpointPersonalizeRoleProps[K] };

/**
 * The props read once each, lists and maps copied with each element and entry read once
 * (`snapshot`): a getter or a Proxy that gives another value on another read cannot make the
 * construct write a value other than the one it checked. Anything but an object is left to
 * `normalized` to refuse.
 */
function readOnce(props: PinpointPersonalizeRoleProps): PinpointPersonalizeRoleProps {
  if (props === null || typeof props !== "object" || Array.isArray(props)) return props;
  const read: Record<string, unknown> = { provider: props.provider };
  for (const { prop } of INPUTS) read[prop] = snapshot(props[prop]);
  return read as unknown as PinpointPersonalizeRoleProps;
}

/**
 * The props, type-checked and each literal checked against its rule: an optional prop given as
 * null reads as not given, and number tokens written into text become string tokens, which stand
 * alone in the text cdktf writes.
 */
function normalized(scope: Construct, path: string, props: PinpointPersonalizeRoleProps | undefined): Props {
  const report = (error: unknown): never => {
    throw error instanceof InputError ? new Error(`${path}: ${error.message}`) : error;
  };
  if (props === null || typeof props !== "object" || Array.isArray(props)) {
    return report(
      new InputError(
        `props must be given: an object with at least campaignId and solutionId. Received ${props === undefined ? "undefined" : shown(props)}.`,
      ),
    );
  }
  const given: Props = {};
  try {
    checkProvider(props.provider);
    if (props.provider != null) given.provider = props.provider;
    for (const input of INPUTS) {
      let value: unknown = props[input.prop];
      // A prop that decides which blocks exist is needed now: a Lazy that produces a boolean gives it.
      if (input.kind === "boolean" && Tokenization.isResolvable(value)) value = resolvedNow(scope, value);
      checkInput(input, value);
      if (value === undefined || value === null) continue;
      (given as Record<string, unknown>)[input.prop] = eachString(value, withStringTokens);
    }
  } catch (error) {
    report(error);
  }
  return given;
}

/** What cdktf writes for a value now: each Lazy produced, each Terraform token as its expression. */
export function resolved(scope: Construct, value: unknown): unknown {
  const resolver = new DefaultTokenResolver(new StringConcat());
  return Tokenization.resolve(value, { scope, preparing: false, resolver }) as unknown;
}

/**
 * What a token for a boolean prop stands for when the app runs: the value a Lazy produces (a
 * boolean, or another constant that the boolean check then refuses as it is, such as "false"), or
 * the token itself when cdktf cannot tell it yet (a Terraform expression, or nothing produced).
 */
function resolvedNow(scope: Construct, value: unknown): unknown {
  const now = resolved(scope, value);
  // A Lazy that produces nothing (undefined or null) gives no value: the prop is not given.
  if (now === undefined || now === null) return undefined;
  return isConstant(now) ? now : value;
}

/**
 * The props that decide which blocks exist, given as a Lazy that produced a boolean when the
 * construct was made, and that produce another value at synth: the blocks follow the first.
 */
function changedDecisions(role: PinpointPersonalizeRole, props: PinpointPersonalizeRoleProps, given: Props): string[] {
  return INPUTS.filter((input) => input.kind === "boolean" && Tokenization.isResolvable(props[input.prop])).flatMap(
    (input) => {
      const then = given[input.prop] as boolean | undefined;
      const now = resolvedNow(role, props[input.prop]);
      return now === then
        ? []
        : [
            `${input.prop} must produce the same value at synth as when the construct was made: it decides ` +
              `which blocks the role has, and they were made when it produced ${String(then)}. ` +
              `Received ${typeof now === "boolean" ? String(now) : shown(now)} at synth.`,
          ];
    },
  );
}

/** The lists that narrow the trust's aws:SourceArn condition. */
const NARROWING_LISTS = ["pinpointApplicationIds", "trustedSourceArns"] as const;

/**
 * A list that narrows the trust's aws:SourceArn condition beside `confusedDeputyProtection: false`,
 * which removes that condition: the narrowing would be dropped. A list that holds nothing (a Lazy
 * that produces `[]` or nothing, read when the app runs and again at synth) narrows nothing.
 */
function narrowingRemoved(scope: Construct, given: Props): string | undefined {
  for (const prop of NARROWING_LISTS) {
    const list = given[prop];
    if (list === undefined) continue;
    const now = Token.isUnresolved(list) ? resolved(scope, list) : list;
    if (now === undefined || now === null || (Array.isArray(now) && now.length === 0)) continue;
    // A list Terraform gives (a variable that may be empty): checked at plan time (planTimeChecks).
    if (Token.isUnresolved(list) && !isConstant(now)) continue;
    return narrowingRemovedMessage(prop);
  }
  return undefined;
}

/** Each name prop and its name prefix prop, which conflict. */
const NAME_PAIRS = [
  ["roleName", "roleNamePrefix"],
  ["policyName", "policyNamePrefix"],
] as const;

/** Literal values that conflict with each other, refused before anything is added. */
function checkCombinations(scope: Construct, given: Props): void {
  const [problem] = combinationProblems(given);
  if (problem !== undefined) throw new InputError(problem);
  if (given.confusedDeputyProtection === false) {
    const removed = narrowingRemoved(scope, given);
    if (removed !== undefined) throw new InputError(removed);
  }
  checkProviderStack(scope, given.provider);
}

/**
 * What conflicts among the props whose values are literal: a name and its prefix, project IDs and
 * trusted source ARNs, a name prefix with `adoptExisting`, a trusted source ARN in another place
 * than the literal place of the role. Props that hold tokens are left to the plan-time checks.
 */
function combinationProblems(given: Props): string[] {
  const problems: string[] = [];
  const literal = (v: unknown) => v !== undefined && !holdsToken(v);
  for (const [a, b] of NAME_PAIRS) {
    if (literal(given[a]) && literal(given[b])) problems.push(conflictMessage(a, b));
  }
  const nonEmptyLiteral = (list: string[] | undefined) =>
    list !== undefined && !Token.isUnresolved(list) && list.length > 0;
  if (nonEmptyLiteral(given.pinpointApplicationIds) && nonEmptyLiteral(given.trustedSourceArns)) {
    problems.push(conflictMessage("pinpointApplicationIds", "trustedSourceArns"));
  }
  if (given.adoptExisting) {
    for (const [, prefix] of NAME_PAIRS) {
      if (literal(given[prefix])) problems.push(adoptionConflictMessage(prefix));
    }
  }
  // A literal trusted source ARN in another place than the literal place the role names.
  const [partition, region, accountId] = [given.partition, given.region, given.accountId];
  const trusted = given.trustedSourceArns;
  if (trusted !== undefined && !Token.isUnresolved(trusted) && [partition, region, accountId].every(literal)) {
    const prefix = `arn:${partition}:mobiletargeting:${region}:${accountId}:`;
    const elsewhere = trusted.filter((arn) => literal(arn) && !arn.startsWith(prefix));
    if (elsewhere.length > 0) {
      problems.push(`each of trustedSourceArns must be ${TRUSTED_SOURCE_PLACE}. Received ${shown(elsewhere)}.`);
    }
  }
  return problems;
}

/**
 * The props as they stand at synth: each value that holds a token which cdktf resolves to a
 * constant (a Lazy) is replaced by that constant, a null one by "not given"; the others are kept.
 * Combinations of Lazy values are checked on it, as literal ones are when the construct is made:
 * hashicorp/aws would otherwise refuse a Lazy name beside a Lazy name prefix in its own words, and
 * `terraform import` a Lazy name prefix with `adoptExisting` as an import ID of null.
 */
function atSynth(scope: Construct, given: Props): Props {
  const values: Record<string, unknown> = { ...given };
  for (const { prop, kind } of INPUTS) {
    const value = given[prop];
    if (value === undefined || !holdsToken(value)) continue;
    const now = resolved(scope, value);
    // A boolean prop only by a boolean: what else a token produces for one is refused elsewhere.
    if (kind === "boolean" ? typeof now === "boolean" : isConstant(now)) values[prop] = now ?? undefined;
  }
  return values;
}

/** A part of the role's place that its provider gives: the data source's value, and the prop's token if any. */
/** The expression that reads a shared data source's attribute, once its address is allocated. */
function sourceRead(source: ReturnType<typeof sharedSource>): () => string {
  return () => `${blockAddress(source.element) as string}.${source.attribute}`;
}

interface ProviderRead {
  readonly part: PlacePart;
  readonly read: () => string;
  readonly own?: Term;
}

/** How a message names what the provider gives. */
const PROVIDER_PLACE_LABELS: Record<PlacePart, string> = {
  partition: "the partition of the role's AWS provider",
  region: "the Region of the role's AWS provider",
  accountId: "the account ID of the role's AWS provider",
};

/**
 * The checks Terraform runs on the permissions document: every input that holds a token, and the
 * combinations that involve one.
 */
function planTimeChecks(
  given: Props,
  term: (prop: keyof PinpointPersonalizeRoleProps) => Term,
  place: Record<"partition" | "region" | "accountId", Term>,
  providerReads: readonly ProviderRead[],
): Check[] {
  const checks: Check[] = [];
  // What the provider gives goes into every ARN as the props would: the props' rules hold for it.
  for (const { part, read, own } of providerReads) {
    checks.push(...providerPlaceCheck(PROVIDER_PLACE_LABELS[part], read(), RULES[part], own?.hcl()));
  }
  const tokens = (prop: keyof PinpointPersonalizeRoleProps) => given[prop] !== undefined && holdsToken(given[prop]);
  // A list token beside confusedDeputyProtection: false narrows nothing only while it is empty.
  if (given.confusedDeputyProtection === false) {
    for (const prop of NARROWING_LISTS) {
      if (given[prop] !== undefined && Token.isUnresolved(given[prop])) {
        checks.push(narrowingRemovedCheck(prop, term(prop).hcl()));
      }
    }
  }
  for (const input of INPUTS) {
    if (tokens(input.prop)) checks.push(...planChecks(input, term(input.prop).hcl()));
  }
  for (const [a, b] of NAME_PAIRS) {
    if ((tokens(a) || tokens(b)) && given[a] !== undefined && given[b] !== undefined) {
      checks.push(valueConflictCheck(a, term(a).hcl(), b, term(b).hcl()));
    }
  }
  if (given.adoptExisting) {
    for (const [, prefix] of NAME_PAIRS) {
      if (tokens(prefix)) {
        checks.push({ condition: `\${${term(prefix).hcl()} == null}`, errorMessage: adoptionConflictMessage(prefix) });
      }
    }
  }
  const apps = given.pinpointApplicationIds;
  const trusted = given.trustedSourceArns;
  if (
    apps !== undefined &&
    trusted !== undefined &&
    (tokens("pinpointApplicationIds") || tokens("trustedSourceArns"))
  ) {
    const list = (prop: "pinpointApplicationIds" | "trustedSourceArns") =>
      tokens(prop) ? term(prop).hcl() : hclLiteral(given[prop]);
    checks.push(
      listConflictCheck(
        "pinpointApplicationIds",
        list("pinpointApplicationIds"),
        "trustedSourceArns",
        list("trustedSourceArns"),
      ),
    );
  }
  const placeKnown = [place.partition, place.region, place.accountId].every((t) => t.literal !== undefined);
  if (trusted !== undefined && (tokens("trustedSourceArns") || !placeKnown)) {
    const prefix = `"${sourceArnPrefix(place.partition, place.region, place.accountId)}"`;
    const x = tokens("trustedSourceArns") ? term("trustedSourceArns").hcl() : hclLiteral(trusted);
    checks.push(trustedSourcePlaceCheck("trustedSourceArns", x, prefix));
  }
  return checks;
}

/** The name a role or policy certainly has when the app runs, if any. */
function nameAtSynth(
  scope: Construct,
  given: Props,
  nameProp: "roleName" | "policyName",
  prefixProp: "roleNamePrefix" | "policyNamePrefix",
  defaultName: string,
): string | undefined {
  // A string: the value known at synth (a literal, or a Lazy resolved); null: not given; undefined: Terraform's.
  const atSynth = (value: unknown): string | null | undefined => {
    if (value === undefined) return null;
    if (!holdsToken(value)) return value as string;
    const now = resolved(scope, value);
    if (now === undefined || now === null) return null;
    return typeof now === "string" && isConstant(now) ? now : undefined;
  };
  const name = atSynth(given[nameProp]);
  if (name !== null) return name;
  return atSynth(given[prefixProp]) === null ? defaultName : undefined;
}

/** A string argument: literal text escaped, a token as its local, absent as undefined. */
function argument(value: Term): string | undefined {
  return value === NULL ? undefined : value.piece;
}

/**
 * The name and name prefix arguments: a name, or a prefix, or else the default name, decided in
 * JavaScript when both are known and by Terraform when either holds a token (null reads as not given).
 */
function nameArguments(name: Term, prefix: Term, defaultName: string): { name?: string; namePrefix?: string } {
  const known = (t: Term) => t === NULL || t.literal !== undefined;
  if (known(name) && known(prefix)) {
    if (prefix !== NULL) return { name: argument(name), namePrefix: argument(prefix) };
    return { name: argument(name) ?? templateText(defaultName) };
  }
  return {
    name: interpolation(
      () => `${name.hcl()} == null && ${prefix.hcl()} == null ? ${hclLiteral(defaultName)} : ${name.hcl()}`,
    ),
    namePrefix: argument(prefix),
  };
}

/** Tags as Terraform must receive them: a literal map with its text escaped, else the local. */
function tagsArgument(tags: Props["tags"], value: Term): { [key: string]: string } | undefined {
  if (tags === undefined) return undefined;
  if (value !== NULL) return Token.asStringMap(Lazy.anyValue({ produce: () => `\${${value.hcl()}}` }));
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [templateText(k), templateText(v)]));
}

/**
 * The accepted `aws:SourceArn` values: `trustedSourceArns` if given, else one `apps/<id>` per
 * Pinpoint project, else `apps/*`; decided by Terraform's `coalescelist` when a list holds a
 * token (null read as empty).
 */
function sourceArns(
  given: Props,
  term: (prop: keyof PinpointPersonalizeRoleProps) => Term,
  partition: Term,
  region: Term,
  accountId: Term,
): string[] {
  const apps = given.pinpointApplicationIds;
  const trusted = given.trustedSourceArns;
  const listTokens = [apps, trusted].some((l) => l !== undefined && holdsToken(l));
  if (!listTokens) {
    const appArn = (app: string) =>
      `arn:${partition.piece}:mobiletargeting:${region.piece}:${accountId.piece}:apps/${templateText(app)}`;
    const candidates = [(trusted ?? []).map((arn) => templateText(arn)), (apps ?? []).map(appArn), [appArn("*")]];
    return candidates.find((list) => list.length > 0) as string[];
  }
  const list = (prop: "pinpointApplicationIds" | "trustedSourceArns", value: string[] | undefined) => {
    if (value === undefined) return "tolist([])";
    if (!holdsToken(value)) return `tolist(${hclLiteral(value)})`;
    const x = term(prop).hcl();
    return `(${x} == null ? tolist([]) : tolist(${x}))`;
  };
  const arn = (app: string) => `"${sourceArnPrefix(partition, region, accountId)}apps/${app}"`;
  return Token.asList(
    Lazy.anyValue({
      produce: () =>
        `\${coalescelist(${list("trustedSourceArns", trusted)}, ` +
        `[for app in ${list("pinpointApplicationIds", apps)} : ${arn("${app}")}], [${arn("*")}])}`,
    }),
  );
}

/**
 * Text that Terraform converts to a number (cty parses it as Go's big.ParseFloat does in base 10):
 * a sign, digits with a decimal point anywhere or none, an exponent (`+7200`, `7200.`, `.72e4`).
 */
const TERRAFORM_NUMBER = /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/;

/**
 * A constant as Terraform reads it where the prop's type is expected.
 * - A number token that resolves to text (`Token.asNumber("7200")`): Terraform converts text that
 *   spells a number to that number, as the plan-time check reads it (`tonumber`).
 * - Text that resolves to a number (`Token.asString(Lazy.numberValue(...))`), alone, in a list or
 *   as a tag's value: Terraform converts it to its decimal text, which is also what cdktf writes
 *   where the token is part of a longer text (an ARN), for every number JavaScript writes without
 *   an exponent. A number JavaScript writes with one (`1e+21`) is left a number, which the prop's
 *   check refuses: the two texts would differ (cdktf's `1e+21`, Terraform's
 *   `1000000000000000000000`), and cdktf 0.21 fails to resolve such a token in text anyway.
 */
function asTerraformReads(kind: Kind, atSynth: unknown): unknown {
  const text = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value) && !/e/i.test(String(value)) ? String(value) : value;
  switch (kind) {
    case "number":
      return typeof atSynth === "string" && TERRAFORM_NUMBER.test(atSynth) ? Number(atSynth) : atSynth;
    case "string":
      return text(atSynth);
    case "list":
      return Array.isArray(atSynth) ? atSynth.map(text) : atSynth;
    case "tags":
      return atSynth !== null && typeof atSynth === "object" && !Array.isArray(atSynth)
        ? Object.fromEntries(Object.entries(atSynth).map(([key, value]) => [key, text(value)]))
        : atSynth;
    default:
      return atSynth;
  }
}

/** The problems of the values that cdktf resolves to constants at synth (a Lazy), checked as literals. */
function resolvedConstantProblems(role: PinpointPersonalizeRole, given: Props): string[] {
  const problems: string[] = [];
  for (const input of INPUTS) {
    const value = given[input.prop];
    if (value === undefined || input.kind === "boolean" || !holdsToken(value)) continue;
    const atSynth = resolved(role, value);
    if (!isConstant(atSynth)) continue;
    const read = asTerraformReads(input.kind, atSynth);
    try {
      checkInput(input, read ?? undefined);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
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
  /** The role's and the policy's names, when known at synth. */
  readonly names: () => { readonly role?: string; readonly policy?: string };
  /** The role's and the policy's names as Terraform expressions; undefined for a generated one. */
  readonly expressions: { readonly roleName?: NameExpression; readonly policyName?: NameExpression };
}

/** An IAM name as a Terraform expression, and whether it is a literal. */
interface NameExpression {
  readonly hcl: () => string;
  readonly literal: boolean;
}

/**
 * The name IAM gets as an expression: the given name, else the default where no prefix is given;
 * undefined where a literal prefix makes the provider generate it (no other name can be it). With
 * tokens, null where a prefix is given.
 */
function nameExpression(name: Term, prefix: Term, defaultName: string): NameExpression | undefined {
  if (prefix !== NULL && prefix.literal !== undefined) return undefined;
  if (prefix === NULL && name === NULL) return { hcl: () => hclLiteral(defaultName), literal: true };
  if (prefix === NULL && name.literal !== undefined) return { hcl: name.hcl, literal: true };
  return {
    hcl: () => `(${name.hcl()} == null && ${prefix.hcl()} == null ? ${hclLiteral(defaultName)} : ${name.hcl()})`,
    literal: false,
  };
}

/** Terraform's identity of a provider configuration: a provider without alias is the default one. */
function providerAddressOf(provider: TerraformProvider | undefined): string {
  return provider?.alias === undefined ? "aws" : `aws.${provider.alias}`;
}
const namesByStack = new WeakMap<TerraformStack, NamedRole[]>();

function registerForNameCheck(
  construct: Construct,
  names: {
    provider?: TerraformProvider;
    accountId?: string;
    partition?: string;
    names: () => { readonly role?: string; readonly policy?: string };
    expressions: NamedRole["expressions"];
  },
): void {
  const stack = TerraformStack.of(construct);
  let roles = namesByStack.get(stack);
  if (roles === undefined) {
    const all: NamedRole[] = [];
    namesByStack.set(stack, all);
    checkAtSynth(stack, "PinpointPersonalizeNameChecks", () => nameCollisions(all));
    roles = all;
  }
  const { provider, ...rest } = names;
  roles.push({ path: construct.node.path, providerAddress: providerAddressOf(provider), ...rest });
}

/**
 * Whether two roles are certainly in the same account: the same provider configuration (whose
 * credentials decide the account), or the same literal account ID in the same partition (or one
 * not given literally). Otherwise (two providers, an account read at plan time) it cannot be
 * known at synth, and IAM has the last word.
 */
function sameAccount(a: NamedRole, b: NamedRole): boolean {
  if (a.providerAddress === b.providerAddress) return true;
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
    throw new InputError(
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
function nameCollisions(registered: readonly NamedRole[]): string[] {
  const roles = registered.map((r) => ({ ...r, ...r.names() }));
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
