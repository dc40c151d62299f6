import { ConfigModule, ConfigResource, PlanModule, TerraformPlan } from "./offline-plan";

// The plan as the review reads it: every resource instance of one side of the change (what the
// plan will apply, or what exists before it) with its values and which of them are unknown until
// apply, and the configuration the plan's JSON describes (which arguments a resource writes, its
// provider). What an expression evaluates to is read from the configuration's own text (source.ts).

/** Which side of the plan's change: what it will apply, or the prior state. */
export type Side = "after" | "before";

/** A resource instance on one side of the plan. */
export interface Instance {
  readonly address: string;
  /** The module instance, `module.a["x"].module.b`; "" for the root module. */
  readonly moduleAddress: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** The count or for_each key of this instance, if any. */
  readonly index?: string | number;
  /** Its values on this side; an attribute unknown until apply is absent. */
  readonly values: Record<string, unknown>;
  /** `after_unknown` of the plan's change (after side only): `true` where a value is unknown until apply. */
  readonly unknown: Record<string, unknown>;
  /** The change's actions (`create`, `update`, `delete`, `no-op`, `read`...); none for data sources read. */
  readonly actions: readonly string[];
}

function moduleInstances(module: PlanModule | undefined): Omit<Instance, "unknown" | "actions">[] {
  if (module === undefined) return [];
  return [
    ...(module.resources ?? []).map((r) => ({
      address: r.address,
      moduleAddress: module.address ?? "",
      mode: r.mode,
      type: r.type,
      name: r.name,
      ...(r.index === undefined ? {} : { index: r.index }),
      // Terraform leaves `values` out when every attribute is unknown until apply.
      values: r.values ?? {},
    })),
    ...(module.child_modules ?? []).flatMap(moduleInstances),
  ];
}

/**
 * Every resource instance of one side: managed resources as planned (after) or as they exist
 * (before), and the data sources read during the plan (both sides).
 */
export function sideInstances(plan: TerraformPlan, side: Side): Instance[] {
  const changes = new Map((plan.resource_changes ?? []).map((c) => [c.address, c.change]));
  const prior = moduleInstances(plan.prior_state?.values?.root_module);
  const data = prior.filter((r) => r.mode === "data").map((r) => ({ ...r, unknown: {}, actions: [] }));
  const managed = (side === "after" ? moduleInstances(plan.planned_values.root_module) : prior).filter(
    (r) => r.mode === "managed",
  );
  return [
    ...data,
    ...managed.map((r) => {
      const change = changes.get(r.address);
      const unknown = side === "after" ? (change?.after_unknown ?? {}) : {};
      return { ...r, unknown, actions: change?.actions ?? ["no-op"] };
    }),
  ];
}

/** `module.a["x"].module.b[0]` as its calls: `[{ name: "a", key: "x" }, { name: "b", key: 0 }]`. */
export function moduleCalls(moduleAddress: string): { name: string; key?: string | number }[] {
  const calls: { name: string; key?: string | number }[] = [];
  for (const m of moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?/g)) {
    const key = m[2];
    calls.push({
      name: m[1],
      ...(key === undefined ? {} : { key: key.startsWith('"') ? (JSON.parse(key) as string) : Number(key) }),
    });
  }
  return calls;
}

/** The configuration of the plan's module instances and resources, as its JSON gives it. */
export class PlanConfiguration {
  constructor(private readonly plan: TerraformPlan) {}

  /** The configuration of a module instance. */
  configModule(moduleAddress: string): ConfigModule | undefined {
    let module: ConfigModule | undefined = this.plan.configuration.root_module;
    for (const call of moduleCalls(moduleAddress)) module = module?.module_calls?.[call.name]?.module;
    return module;
  }

  /** The configuration of a resource instance. */
  configOf(instance: Instance): ConfigResource | undefined {
    const address = `${instance.mode === "data" ? "data." : ""}${instance.type}.${instance.name}`;
    return this.configModule(instance.moduleAddress)?.resources?.find((r) => r.address === address);
  }

  /** Whether an argument (or block) is written in the resource's configuration. */
  configured(instance: Instance, attribute: string): boolean {
    return attribute in (this.configOf(instance)?.expressions ?? {});
  }

  /**
   * Whether an expression of a module instance refers to a resource instance, directly or through
   * what it reads: the data sources and module outputs of the configuration, and the arguments of
   * a module's call (which the plan's JSON describes; locals it does not).
   */
  refersTo(
    moduleAddress: string,
    expression: unknown,
    target: Instance,
    /** A local's value in Terraform's JSON syntax, from the configuration's files; absent with a plan alone. */
    local?: (moduleAddress: string, name: string) => unknown,
    depth = 0,
  ): boolean {
    if (depth > 16) return true;
    // Module instances compared by their calls: the configuration is the same for every instance.
    const calls = (address: string) =>
      moduleCalls(address)
        .map((c) => `module.${c.name}`)
        .join(".");
    const targetModule = calls(target.moduleAddress);
    const here = calls(moduleAddress);
    const module = this.configModule(moduleAddress);
    for (const reference of references(expression)) {
      const [head, second, third] = reference.split(".");
      if (head === undefined || second === undefined) continue;
      if (here === targetModule && head === target.type && second.replace(/\[.*$/, "") === target.name) return true;
      if (head === "local") {
        // The plan's JSON does not describe locals: the files do, or the local may refer to anything.
        if (local === undefined) return true;
        const value = local(moduleAddress, second.replace(/\[.*$/, ""));
        if (this.refersTo(moduleAddress, { references: templateReferences(value) }, target, local, depth + 1))
          return true;
      }
      if (head === "data" && third !== undefined) {
        const data = module?.resources?.find((r) => r.address === `data.${second}.${third.replace(/\[.*$/, "")}`);
        if (data && this.refersTo(moduleAddress, data.expressions, target, local, depth + 1)) return true;
      }
      if (head === "module") {
        const name = second.replace(/\[.*$/, "");
        const call = module?.module_calls?.[name];
        const output = third?.replace(/\[.*$/, "");
        const outputs =
          output !== undefined ? [call?.module?.outputs?.[output]] : Object.values(call?.module?.outputs ?? {});
        const inner = here === "" ? `module.${name}` : `${here}.module.${name}`;
        for (const o of outputs) if (o && this.refersTo(inner, o.expression, target, local, depth + 1)) return true;
      }
      // Another resource of the module: whatever its arguments refer to, its attributes may carry
      // (`terraform_data.who.output` holding the role's ARN).
      if (!["var", "local", "data", "module", "each", "count", "path", "terraform", "self"].includes(head)) {
        const other = module?.resources?.find((r) => r.address === `${head}.${second.replace(/\[.*$/, "")}`);
        if (other && this.refersTo(moduleAddress, other.expressions, target, local, depth + 1)) return true;
      }
      if (head === "var") {
        const path = moduleCalls(moduleAddress);
        const call = path.pop();
        if (call === undefined) continue;
        const parent = path.map((c) => `module.${c.name}`).join(".");
        const argument = this.configModule(parent)?.module_calls?.[call.name]?.expressions?.[second];
        if (argument && this.refersTo(parent, argument, target, local, depth + 1)) return true;
      }
    }
    return false;
  }
}

/** The references a value in Terraform's JSON syntax reads: every `name.name` inside its `${...}`. */
function templateReferences(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  return [...text.matchAll(/\$\{([^}]*)\}/g)].flatMap((m) =>
    [...(m[1] ?? "").matchAll(/(?<![\w.])((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?)/g)].map(
      (r) => r[1],
    ),
  );
}

/** Every reference an expression of the plan's configuration reads, nested blocks included. */
function references(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(references);
  if (expression === null || typeof expression !== "object") return [];
  const own = (expression as { references?: unknown }).references;
  return [
    ...(Array.isArray(own) ? own.filter((r): r is string => typeof r === "string") : []),
    ...Object.entries(expression)
      .filter(([k]) => k !== "references")
      .flatMap(([, v]) => references(v)),
  ];
}

/** Whether an attribute's value is known on this side (not unknown until apply, not absent). */
export function isKnown(instance: Instance, attribute: string): boolean {
  return instance.values[attribute] !== undefined;
}

/**
 * A list (or set) attribute's elements, each `undefined` where unknown until apply; undefined
 * when the whole list is unknown.
 */
export function knownElements(instance: Instance, attribute: string): unknown[] | undefined {
  const values = instance.values[attribute];
  const unknown = instance.unknown[attribute];
  // Terraform leaves a value unknown until apply out of the planned values.
  if (values === undefined) return unknown === true ? undefined : [];
  if (values === null) return [];
  if (!Array.isArray(values)) return [values];
  return (values as unknown[]).map((v, i) => (Array.isArray(unknown) && unknown[i] === true ? undefined : v));
}
