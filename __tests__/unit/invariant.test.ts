import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Lazy, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { PinpointPersonalizeRole, PinpointPersonalizeRoleProps, PinpointPersonalizeStack } from "../../lib";
import { INPUTS } from "../../lib/inputs";
import { Block, Json, TerraformJson } from "../../test-support/synth";
import { ModuleHcl, moduleHcl } from "../../tools/module";

// The construct's invariant, proven on the synthesized configuration: no resource or data source
// is made from a value before the value has passed its rule. For every prop and every shape of
// value, the walk finds the value's one local, every block that reads it, and the precondition
// that checks it, and shows that each reader is the checking block or depends on it (through its
// expressions and depends_on); and that no block of the role reads the value's source another way.

/** Every address a configuration's text refers to. */
const REFERENCE = /\b(?:data\.[a-z0-9_]+\.[\w-]+|local\.[\w-]+|var\.[\w-]+|(?:aws|terraform)_[a-z0-9_]+\.[\w-]+)/g;

function references(value: Json | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (v: Json | undefined): void => {
    if (typeof v === "string") for (const m of v.matchAll(REFERENCE)) found.add(m[0]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.entries(v).forEach(([k, x]) => (walk(k), walk(x)));
  };
  walk(value);
  return found;
}

interface Walk {
  /** Each block's address and what it reads: expressions, depends_on (lifecycle checks apart). */
  readonly reads: Map<string, Set<string>>;
  readonly checks: Map<string, Block[]>;
  /** Whether `from` depends on `to`, directly or through other blocks and locals. */
  readonly dependsOn: (from: string, to: string) => boolean;
}

function walk(json: TerraformJson): Walk {
  const reads = new Map<string, Set<string>>();
  const checks = new Map<string, Block[]>();
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const { lifecycle, ...rest } = block;
        const address = `${prefix}${type}.${name}`;
        reads.set(address, references(rest));
        checks.set(address, (((lifecycle as Block | undefined)?.precondition ?? []) as Block[]).flat());
      }
    }
  }
  for (const [name, value] of Object.entries(json.locals ?? {})) reads.set(`local.${name}`, references(value));
  const dependsOn = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (seen.has(from)) return false;
    seen.add(from);
    return [...(reads.get(from) ?? [])].some((r) => r === to || dependsOn(r, to, seen));
  };
  return { reads, checks, dependsOn };
}

/**
 * For one local (a prop's value): the blocks that read it, the checks that name `prop`, and the
 * proof that each reader follows a block that holds them.
 */
function prove(w: Walk, local: string, prop: string, blocks: readonly string[]) {
  const readers = blocks.filter((b) => w.reads.get(b)?.has(local));
  const label = new RegExp(`^(each of |each entry of |the number of |the keys of )?${prop} (must|is required)`);
  const checking = blocks.filter((b) =>
    (w.checks.get(b) ?? []).some(
      (c) => JSON.stringify(c.condition).includes(local) && label.test(c.error_message as string),
    ),
  );
  const unchecked = readers.filter((r) => !checking.some((c) => c === r || w.dependsOn(r, c)));
  return { readers, checking, unchecked };
}

/** A value each prop accepts, for the shapes that cdktf resolves at synth. */
const VALID: Record<string, string> = {
  partition: "aws",
  region: "us-east-1",
  accountId: "111122223333",
  trustedSourceArns: "arn:aws:mobiletargeting:us-east-1:111122223333:apps/*",
  rolePath: "/",
  policyPath: "/",
  permissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
};

/** Values of every shape for a prop, made in the stack. */
function shapes(stack: TerraformStack, prop: string, kind: string): Record<string, unknown> {
  const v = (id: string, type: string, nullable = false) =>
    new TerraformVariable(stack, `${prop}_${id}`, { type, nullable });
  // A value known only at apply: a terraform_data resource's output. Made as a plain resource of
  // that type, as cdktf's DataResource would write it, without the synth-time check DataResource
  // adds (it runs `terraform version`; this suite runs no Terraform).
  const later = (id: string) => {
    const data = new TerraformResource(stack, `${prop}_${id}_later`, { terraformResourceType: "terraform_data" });
    data.addOverride("input", v(`${id}_in`, "string").value);
    return data.getStringAttribute("output");
  };
  switch (kind) {
    case "string":
      return {
        token: v("token", "string").stringValue,
        joined: `${v("joined", "string").stringValue}x`,
        lazy: Lazy.stringValue({ produce: () => VALID[prop] ?? "abc" }),
        nullable: v("nullable", "string", true).stringValue,
        later: later("later"),
      };
    case "number":
      return {
        token: v("token", "number").numberValue,
        lazy: Lazy.numberValue({ produce: () => 7200 }),
        nullable: v("nullable", "number", true).numberValue,
      };
    case "list":
      return {
        token: v("token", "list(string)").listValue,
        element: [v("element", "string").stringValue],
        lazy: Lazy.listValue({ produce: () => [VALID[prop] ?? "abc"] }),
        nullable: v("nullable", "list(string)", true).listValue,
        later: [later("later")],
      };
    default:
      return {
        token: Token.asStringMap(v("token", "map(string)").value),
        key: { [v("key", "string").stringValue]: "v" },
        value: { team: v("value", "string").stringValue },
        nullable: Token.asStringMap(v("nullable", "map(string)", true).value),
        later: { team: later("later") },
      };
  }
}

const BASE: PinpointPersonalizeRoleProps = { campaignId: "books", solutionId: "books-solution" };

describe("every prop, every shape of value, checked before any block reads it", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, "shapes");
  const providers = [
    new AwsProvider(stack, "aws", { region: "us-east-1" }),
    new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" }),
  ];
  const roles: { id: string; prop: string; shape: string }[] = [];
  for (const input of INPUTS.filter((i) => i.kind !== "boolean")) {
    for (const [shape, value] of Object.entries(shapes(stack, input.prop, input.kind))) {
      for (const [p, provider] of providers.entries()) {
        const id = `${input.prop}${shape}${p}`;
        const props: Record<string, unknown> = { ...BASE, [input.prop]: value, provider };
        // Props that may not be set together with the one under test.
        if (input.prop === "roleNamePrefix") props.roleName = undefined;
        if (input.prop === "policyNamePrefix") props.policyName = undefined;
        new PinpointPersonalizeRole(stack, id, {
          ...(props as unknown as PinpointPersonalizeRoleProps),
          roleName: input.prop.startsWith("roleName") ? (props.roleName as string) : `R-${id}`.slice(0, 64),
          policyName: input.prop.startsWith("policyName") ? (props.policyName as string) : `P-${id}`,
        });
        roles.push({ id, prop: input.prop, shape });
      }
    }
  }
  const json = JSON.parse(Testing.synth(stack, true)) as TerraformJson;
  const w = walk(json);
  const addresses = [...w.reads.keys()].filter((a) => !a.startsWith("local."));

  test.each(roles.map((r) => [r.id, r.prop, r.shape] as const))("%s", (id, prop) => {
    const blocks = addresses.filter((a) => a.split(".").at(-1)?.startsWith(`${id}_`));
    const locals = Object.keys(json.locals ?? {}).filter((n) => n.startsWith(`${id}_${prop}_`));
    expect(locals).toHaveLength(1);
    const local = `local.${locals[0]}`;
    const { readers, checking, unchecked } = prove(w, local, prop, blocks);
    expect(readers.length).toBeGreaterThan(0);
    expect(checking.length).toBeGreaterThan(0);
    expect(unchecked).toEqual([]);
    // The role's blocks read the user's values only through their locals.
    for (const block of blocks) {
      const direct = [...(w.reads.get(block) ?? [])].filter(
        (r) => r.startsWith("var.") || r.startsWith("terraform_data."),
      );
      expect([block, direct]).toEqual([block, []]);
    }
  });

  test("every block of every role follows its checking block, whichever prop holds a token", () => {
    for (const { id } of roles) {
      const blocks = addresses.filter((a) => a.split(".").at(-1)?.startsWith(`${id}_`));
      const gate = blocks.find((b) => b.includes("_PermissionsDocument_")) as string;
      expect(blocks.filter((b) => b !== gate && !w.dependsOn(b, gate))).toEqual([]);
    }
  });
});

describe("the stack", () => {
  const stackJson = JSON.parse(
    Testing.synth(
      new PinpointPersonalizeStack(new App({ outdir: Testing.app().outdir }), "pinpoint-personalize"),
      true,
    ),
  ) as TerraformJson;

  test("every variable reaches the role only through a checked local", () => {
    const w = walk(stackJson);
    const blocks = [...w.reads.keys()].filter((a) => !a.startsWith("local."));
    const props = new Map(INPUTS.map((i) => [i.prop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), i.prop]));
    const locals = Object.keys(stackJson.locals ?? {});
    expect(locals.length).toBeGreaterThan(10);
    for (const name of locals) {
      const { readers, unchecked, checking } = prove(w, `local.${name}`, props.get(name) as string, blocks);
      expect([name, readers.length > 0, checking, unchecked]).toEqual([
        name,
        true,
        ["data.aws_iam_policy_document.permissions"],
        [],
      ]);
    }
    // Adoption's switch, a bool that decides which blocks exist (the import blocks, and the read of
    // the role to adopt), is the one variable a block reads itself.
    const reads = (block: string) =>
      [...(w.reads.get(block) ?? [])].filter((r) => r.startsWith("var.") && r !== "var.adopt_existing_resources");
    for (const block of blocks) {
      expect([block, reads(block)]).toEqual([block, []]);
    }
    expect(w.reads.get("data.aws_iam_role.adopted")).toContain("var.adopt_existing_resources");
  });
});

// The same invariant on the Terraform module in HCL, which checks a value where its authors do:
// each variable's rules in its own validation blocks, which Terraform runs before any block reads
// the variable (it makes every reference to var.x wait for x's validation: hashicorp/terraform,
// internal/terraform/transform_variable_validation.go, "to prevent downstream nodes from relying
// on unvalidated values"), and the one rule that needs the provider as a precondition.
describe("the Terraform module in HCL", () => {
  let hcl: ModuleHcl;
  let w: Walk;
  let blocks: string[];

  beforeAll(async () => {
    hcl = await moduleHcl();
    // hcl2json writes a lifecycle block as a list of bodies; the walk reads one body.
    const single = (byType: Record<string, Record<string, Block>> | undefined) =>
      Object.fromEntries(
        Object.entries(byType ?? {}).map(([type, byName]) => [
          type,
          Object.fromEntries(
            Object.entries(byName).map(([name, { lifecycle, ...body }]) => [
              name,
              lifecycle === undefined
                ? body
                : { ...body, lifecycle: (lifecycle as Block[]).reduce<Block>((all, l) => ({ ...all, ...l }), {}) },
            ]),
          ),
        ]),
      );
    w = walk({ data: single(hcl.data), resource: single(hcl.resource), locals: hcl.locals });
    blocks = [...w.reads.keys()].filter((a) => !a.startsWith("local."));
  });

  /** The variables a block reads, directly or through locals. */
  const variablesOf = (block: string) => Object.keys(hcl.variable ?? {}).filter((v) => w.dependsOn(block, `var.${v}`));

  test("every variable a resource or data source reads has its rules in validation blocks, or is a bool", () => {
    const read = [...new Set(blocks.flatMap(variablesOf))].sort();
    expect(read).toEqual(Object.keys(hcl.variable ?? {}).sort());
    for (const name of read) {
      const v = hcl.variable?.[name] ?? {};
      const rules = ((v.validation ?? []) as Block[]).length;
      expect({ name, checked: rules > 0 || v.type === "${bool}" }).toEqual({ name, checked: true });
    }
  });

  test("the precondition sits on a block that every resource, and every block reading what it checks, follows", () => {
    const checking = blocks.filter((b) => (w.checks.get(b) ?? []).length > 0);
    expect(checking).toEqual(["data.aws_iam_policy_document.trust"]);
    for (const block of checking) {
      const checked = (w.checks.get(block) ?? []).flatMap((c) => [...references(c.condition)]);
      const variables = checked.filter((r) => r.startsWith("var."));
      expect(variables).toEqual(["var.trusted_source_arns"]);
      const readers = blocks.filter((b) => variables.some((v) => w.dependsOn(b, v)));
      expect(readers).toEqual(expect.arrayContaining(["aws_iam_role.this", "aws_iam_role_policy_attachment.this"]));
      expect(readers.filter((r) => r !== block && !w.dependsOn(r, block))).toEqual([]);
      // And every resource, so that a check known only at apply that fails leaves nothing behind.
      expect(blocks.filter((b) => !b.startsWith("data.") && !w.dependsOn(b, block))).toEqual([]);
    }
  });
});
