import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformElement, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct, Node } from "constructs";
import { blockAddress, claimAddresses } from "./addresses";
import { addBackend, CloudStateBackend, LocalStateBackend, S3StateBackend } from "./backend";
import {
  DEFAULT_POLICY_NAME,
  DEFAULT_ROLE_NAME,
  PinpointPersonalizeRole,
  resolved,
  ROLE_CHILD_IDS,
} from "./pinpoint-personalize-role";
import { checkInput, checkPropNames, holdsToken, InputError, INPUTS, isConstant } from "./inputs";
import { checkAtSynth } from "./synth-checks";
import { SHARED_DATA_SOURCE_IDS } from "./place";
import {
  adoptionChecks,
  Check,
  listConflictCheck,
  MAX_SESSION_DURATION,
  numberChecks,
  RULES,
  stringChecks,
  stringListChecks,
  tagChecks,
} from "./rules";

/** The stack's region: the construct's rule for a Region (a string; a literal one a Region code). */
function checkStackRegion(region: unknown): void {
  const input = INPUTS.find((i) => i.prop === "region");
  if (input === undefined) throw new Error("The construct's inputs have no region.");
  checkInput(input, region);
}

export interface PinpointPersonalizeStackProps {
  /**
   * AWS Region of the provider: where the role's campaign and Pinpoint project are.
   *
   * @default - the provider's environment (`AWS_REGION`, the profile)
   */
  readonly region?: string;

  /**
   * Where the state lives: a `LocalStateBackend`, an `S3StateBackend` or a `CloudStateBackend`.
   *
   * @default - a local file in the project directory, outside cdktf.out
   */
  readonly backend?: LocalStateBackend | S3StateBackend | CloudStateBackend;
}

/**
 * The Terraform address of each resource and data source: what a reviewer reads in a plan, and
 * what must never change by accident, since a new address for the role destroys and recreates
 * it.
 */
const TERRAFORM_ADDRESSES = {
  partition: "data.aws_partition.current",
  region: "data.aws_service.personalize",
  callerIdentity: "data.aws_caller_identity.current",
  permissionsDocument: "data.aws_iam_policy_document.permissions",
  trustDocument: "data.aws_iam_policy_document.trust",
  policy: "aws_iam_policy.this",
  role: "aws_iam_role.this",
  attachment: "aws_iam_role_policy_attachment.this",
} as const satisfies Record<keyof typeof ROLE_CHILD_IDS | keyof typeof SHARED_DATA_SOURCE_IDS, string>;

const ROLE_ID = "PinpointPersonalizeRole";

/** The stack's constructs by path below the stack, to their addresses. */
const ADDRESS_BY_PATH = new Map<string, string>([
  ...Object.entries(ROLE_CHILD_IDS).map(
    ([key, id]) => [`${ROLE_ID}/${id}`, TERRAFORM_ADDRESSES[key as keyof typeof ROLE_CHILD_IDS]] as const,
  ),
  ...Object.entries(SHARED_DATA_SOURCE_IDS).map(
    ([key, id]) => [id, TERRAFORM_ADDRESSES[key as keyof typeof SHARED_DATA_SOURCE_IDS]] as const,
  ),
]);

/** Terraform 1.9 is the first to let a variable's validation refer to another variable. */
const REQUIRED_TERRAFORM_VERSION = ">= 1.9.0";

/**
 * A root Terraform configuration for one Pinpoint role: Terraform variables with the AWS rules
 * as validation blocks, the `PinpointPersonalizeRole` at stable addresses, optional adoption of
 * existing resources, its outputs, the AWS provider and the state backend (by default a local
 * file beside `cdktf.out`, never inside it).
 */
export class PinpointPersonalizeStack extends TerraformStack {
  public readonly role: PinpointPersonalizeRole;

  /**
   * Gives the role's resources and data sources the addresses in `TERRAFORM_ADDRESSES` instead
   * of cdktf's `<construct>_<id>_<hash>`. cdktf allocates an ID the first time a resource is
   * referenced, inside the construct's constructor, so this is the one place to set it.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    // The role's locals (the inputs it checks) by the prop's name in snake case: campaign_id.
    if (path[0] === ROLE_ID && path.length === 2 && element instanceof TerraformLocal) {
      return path[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    }
    if (path[0] === ROLE_ID || ADDRESS_BY_PATH.has(path.join("/"))) {
      const address = ADDRESS_BY_PATH.get(path.join("/"));
      if (address === undefined) {
        throw new Error(`${node.path} has no entry in TERRAFORM_ADDRESSES: give it a stable Terraform address.`);
      }
      return address.slice(address.lastIndexOf(".") + 1);
    }
    return super.allocateLogicalId(element);
  }

  constructor(scope: Construct, id: string, props: PinpointPersonalizeStackProps = {}) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    // Null reads as not given, as for the construct's props; the types are checked as jsii's
    // other languages check them, before anything is added to the scope.
    const given = props ?? {};
    if (typeof given !== "object" || Array.isArray(given)) {
      throw new Error(`${path}: props must be an object (PinpointPersonalizeStackProps). Received ${String(given)}.`);
    }
    const region = given.region ?? undefined;
    try {
      checkPropNames(given, ["region", "backend"], "PinpointPersonalizeStackProps");
      checkStackRegion(region);
    } catch (error) {
      throw error instanceof Error ? new Error(`${path}: ${error.message}`) : error;
    }
    super(scope, id);
    // A Region that cdktf resolves at synth (a Lazy) is checked then, as a literal one is now.
    if (holdsToken(region)) {
      checkAtSynth(this, "PinpointPersonalizeRegionCheck", () => {
        const atSynth = resolved(this, region);
        if (!isConstant(atSynth)) return [];
        try {
          checkStackRegion(atSynth ?? undefined);
          return [];
        } catch (error) {
          if (error instanceof InputError) return [error.message];
          throw error;
        }
      });
    }
    new AwsProvider(this, "aws", { region });
    const backendVersion = addBackend(this, given.backend ?? {});
    this.addOverride("terraform.required_version", backendVersion ?? REQUIRED_TERRAFORM_VERSION);

    const v = declareVariables(this);
    this.role = new PinpointPersonalizeRole(this, ROLE_ID, {
      campaignId: v.campaign_id.stringValue,
      solutionId: v.solution_id.stringValue,
      pinpointApplicationIds: v.pinpoint_application_ids.listValue,
      trustedSourceArns: v.trusted_source_arns.listValue,
      ...nameOrPrefix(v.name, v.use_name_prefix, "roleName", "roleNamePrefix"),
      rolePath: v.path.stringValue,
      roleDescription: v.description.stringValue,
      maxSessionDuration: v.max_session_duration.numberValue,
      permissionsBoundary: v.permissions_boundary.stringValue,
      ...nameOrPrefix(v.policy_name, v.policy_use_name_prefix, "policyName", "policyNamePrefix"),
      policyPath: v.policy_path.stringValue,
      policyDescription: v.policy_description.stringValue,
      tags: Token.asStringMap(v.tags.value),
    });

    // Adoption is a plan-time choice: one import block per resource, with for_each on the variable
    // (Terraform 1.7 or later), so that false leaves no import at all.
    // The stack passes names as tokens, never a literal prefix, so the IDs always exist.
    const ids = this.role.importIds as NonNullable<PinpointPersonalizeRole["importIds"]>;
    this.addOverride(
      "import",
      (
        [
          [this.role.role, ids.role],
          [this.role.policy, ids.policy],
          [this.role.attachment, ids.attachment],
        ] as const
      ).map(([resource, id]) => ({
        for_each: `\${${Token.asString(v.adopt_existing_resources.booleanValue)} ? toset(["adopt"]) : toset([])}`,
        to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
        id,
      })),
    );

    // The role that adoption imports, as IAM has it: IAM finds a role by its name in any letter
    // case, and Terraform would then replace one whose name differs in case, or whose path differs,
    // destroying what it adopts. (The construct's adoptExisting sets prevent_destroy, which takes
    // no variable.) Read only while adoption is on.
    const adopt = `var.${v.adopt_existing_resources.friendlyUniqueId}`;
    const adopted = new DataAwsIamRole(this, "adopted", {
      count: Token.asNumber(`\${${adopt} ? 1 : 0}`),
      name: ids.role,
      // Read after the name is checked, as every block that reads an input is.
      dependsOn: [this.role.permissionsDocument],
    });
    const role = blockAddress(this.role.role) as string;
    // Terraform evaluates both sides of ||: a for expression over the read, empty while adoption is
    // off, rather than an index into it.
    const adoptedRoles = blockAddress(adopted) as string;
    // What the import would keep, refused while adoption is on: other policies on the role, this
    // policy on others; and an import that would replace the role.
    this.role.attachment.lifecycle = {
      precondition: [
        ...adoptionChecks(
          "adopt_existing_resources",
          "leave adopt_existing_resources out",
          role,
          blockAddress(this.role.policy) as string,
          adopt,
        ),
        {
          condition: `\${!(${adopt}) || (alltrue([for r in ${adoptedRoles} : r.name == ${role}.name && r.path == ${role}.path]))}`,
          errorMessage:
            `adopt_existing_resources: the existing role is \${join(", ", [for r in ${adoptedRoles} : "\${r.path}\${r.name}"])}, ` +
            `and this configuration's is \${${role}.path}\${${role}.name}: importing it would replace it, destroying ` +
            "the role. Set name and path to the existing role's, letter case included.",
        },
      ],
    };

    // Outputs that name the role wait for the attachment: whatever consumes role_arn (a recommender
    // created in the same apply) never sees the role without its permissions.
    // cdktf renders an output's dependsOn as "${...}", which Terraform refuses there ("a single
    // static variable reference is required"): the bare address goes in by override.
    const attached = [`${this.role.attachment.terraformResourceType}.${this.role.attachment.friendlyUniqueId}`];
    const outputs: Record<string, [value: string, description: string, dependsOn?: string[]]> = {
      role_arn: [
        this.role.roleArn,
        "ARN of the IAM role: Amazon Pinpoint's RecommendationProviderRoleArn for the recommender model.",
        attached,
      ],
      role_name: [this.role.roleName, "Name of the IAM role.", attached],
      role_unique_id: [this.role.role.uniqueId, "Stable, unique ID of the IAM role.", attached],
      policy_arn: [this.role.policyArn, "ARN of the IAM policy that grants access to the campaign."],
      policy_name: [this.role.policy.name, "Name of the IAM policy."],
      campaign_arn: [
        this.role.campaignArn,
        "ARN of the Amazon Personalize campaign: Amazon Pinpoint's RecommendationProviderUri.",
      ],
      solution_arn: [this.role.solutionArn, "ARN of the Amazon Personalize solution that the campaign deploys."],
    };
    for (const [name, [value, description, dependsOn]] of Object.entries(outputs)) {
      // Outputs share the construct namespace with variables (policy_name is both).
      const output = new TerraformOutput(this, `output_${name}`, { value, description });
      output.overrideLogicalId(name);
      if (dependsOn) output.addOverride("depends_on", dependsOn);
      claimAddresses(this, output);
    }
    // The variables' addresses too (a local or output of the user's may share a name with them).
    claimAddresses(this, ...Object.values(v));
  }
}

/** `name` goes to the name or to the name prefix, as `use_name_prefix` says; the other gets null. */
function nameOrPrefix<N extends string, P extends string>(
  name: TerraformVariable,
  usePrefix: TerraformVariable,
  nameProp: N,
  prefixProp: P,
): Record<N | P, string> {
  const pick = (whenPrefix: unknown, otherwise: unknown) =>
    Token.asString(Fn.conditional(usePrefix.booleanValue, whenPrefix, otherwise));
  return {
    [nameProp]: pick(Token.nullValue(), name.stringValue),
    [prefixProp]: pick(name.stringValue, Token.nullValue()),
  } as Record<N | P, string>;
}

interface VariableSpec {
  readonly type: string;
  readonly description: string;
  /** Omitted for a required variable. */
  readonly default?: unknown;
  /** The variable's validations, from the variables (a rule may look at another variable). */
  readonly checks: () => Check[];
}

type VariableName =
  | "campaign_id"
  | "solution_id"
  | "pinpoint_application_ids"
  | "trusted_source_arns"
  | "name"
  | "use_name_prefix"
  | "path"
  | "description"
  | "max_session_duration"
  | "permissions_boundary"
  | "policy_name"
  | "policy_use_name_prefix"
  | "policy_path"
  | "policy_description"
  | "adopt_existing_resources"
  | "tags";
type Variables = Record<VariableName, TerraformVariable>;

/** The check, passing without a look at the value when `skip` (an HCL condition) holds. */
function unless(skip: string, check: Check): Check {
  return { ...check, condition: `\${${skip} ? true : (${check.condition.slice(2, -1)})}` };
}

/** The stack's variables, named as in terraform-aws-modules/iam, each with its AWS rule. */
const VARIABLES: Record<VariableName, VariableSpec> = {
  campaign_id: {
    type: "string",
    description: `Name of the Amazon Personalize campaign to read recommendations from (the part after "campaign/" in its ARN).`,
    checks: () => stringChecks("campaign_id", "var.campaign_id", RULES.campaignId, true),
  },
  solution_id: {
    type: "string",
    description: "Name of the Amazon Personalize solution that the campaign deploys.",
    checks: () => stringChecks("solution_id", "var.solution_id", RULES.solutionId, true),
  },
  pinpoint_application_ids: {
    type: "list(string)",
    description:
      "Amazon Pinpoint project IDs allowed to use the role (aws:SourceArn apps/<id>). Empty allows every project of the account (apps/*).",
    default: [],
    checks: () =>
      stringListChecks("pinpoint_application_ids", "var.pinpoint_application_ids", RULES.pinpointApplicationId),
  },
  trusted_source_arns: {
    type: "list(string)",
    description:
      "Replaces the accepted aws:SourceArn values, e.g. arn:aws:mobiletargeting:<region>:<account>:recommenders/*. Conflicts with pinpoint_application_ids.",
    default: [],
    checks: () => [
      ...stringListChecks("trusted_source_arns", "var.trusted_source_arns", RULES.trustedSourceArn),
      listConflictCheck(
        "pinpoint_application_ids",
        "var.pinpoint_application_ids",
        "trusted_source_arns",
        "var.trusted_source_arns",
      ),
    ],
  },
  name: {
    type: "string",
    description: "Name of the IAM role, or its prefix when use_name_prefix is true.",
    default: DEFAULT_ROLE_NAME,
    checks: () => [
      ...stringChecks("name", "var.name", RULES.roleName).map((c) => unless("var.use_name_prefix", c)),
      ...stringChecks("name (with use_name_prefix)", "var.name", RULES.roleNamePrefix).map((c) =>
        unless("!var.use_name_prefix", c),
      ),
    ],
  },
  use_name_prefix: {
    type: "bool",
    description: "Whether name is a prefix for a unique role name that Terraform generates.",
    default: false,
    checks: () => [],
  },
  path: {
    type: "string",
    description: "Path of the IAM role.",
    default: "/",
    checks: () => stringChecks("path", "var.path", RULES.rolePath),
  },
  description: {
    type: "string",
    description: "Description of the IAM role.",
    default: null,
    checks: () => stringChecks("description", "var.description", RULES.roleDescription),
  },
  max_session_duration: {
    type: "number",
    description: "Maximum session duration of the IAM role, in seconds.",
    default: 3600,
    checks: () => numberChecks("max_session_duration", "var.max_session_duration", MAX_SESSION_DURATION),
  },
  permissions_boundary: {
    type: "string",
    description: "ARN of the managed policy that sets the permissions boundary of the IAM role.",
    default: null,
    checks: () => stringChecks("permissions_boundary", "var.permissions_boundary", RULES.permissionsBoundary),
  },
  policy_name: {
    type: "string",
    description: "Name of the IAM policy, or its prefix when policy_use_name_prefix is true.",
    default: DEFAULT_POLICY_NAME,
    checks: () => [
      ...stringChecks("policy_name", "var.policy_name", RULES.policyName).map((c) =>
        unless("var.policy_use_name_prefix", c),
      ),
      ...stringChecks("policy_name (with policy_use_name_prefix)", "var.policy_name", RULES.policyNamePrefix).map((c) =>
        unless("!var.policy_use_name_prefix", c),
      ),
    ],
  },
  policy_use_name_prefix: {
    type: "bool",
    description: "Whether policy_name is a prefix for a unique policy name that Terraform generates.",
    default: false,
    checks: () => [],
  },
  policy_path: {
    type: "string",
    description: "Path of the IAM policy.",
    default: "/",
    checks: () => stringChecks("policy_path", "var.policy_path", RULES.policyPath),
  },
  policy_description: {
    type: "string",
    description: "Description of the IAM policy. IAM cannot change it in place: a new value replaces the policy.",
    default: null,
    checks: () => stringChecks("policy_description", "var.policy_description", RULES.policyDescription),
  },
  adopt_existing_resources: {
    type: "bool",
    description:
      "Import a role, a policy and an attachment that already exist under these names (made by hand with AWS's guide) instead of creating them.",
    default: false,
    checks: () => [
      {
        condition: "${!var.adopt_existing_resources || (!var.use_name_prefix && !var.policy_use_name_prefix)}",
        errorMessage:
          "adopt_existing_resources must be false when use_name_prefix or policy_use_name_prefix is true: a generated name belongs to no existing resource.",
      },
    ],
  },
  tags: {
    type: "map(string)",
    description: "Tags for the IAM role and the IAM policy.",
    default: {},
    checks: () => tagChecks("tags", "var.tags"),
  },
};

function declareVariables(scope: Construct): Variables {
  const entries = Object.entries(VARIABLES).map(([name, spec]) => {
    const variable = new TerraformVariable(scope, name, {
      type: spec.type,
      description: spec.description,
      // cdktf cannot render a literal null default.
      default: spec.default === null ? Token.nullValue() : spec.default,
      // A variable with a default falls back to it when given null; only descriptions and the
      // permissions boundary are optional values.
      nullable: spec.default === null,
    });
    return [name, variable] as const;
  });
  const variables = Object.fromEntries(entries) as Variables;
  // Once all exist: a variable's validation may refer to another variable (Terraform 1.9).
  for (const [name, spec] of Object.entries(VARIABLES) as [keyof Variables, VariableSpec][]) {
    for (const check of spec.checks()) variables[name].addValidation(check);
  }
  return variables;
}
