import { ConfigExpression, ConfigModule, ConfigResource, ModuleCall, PlanModule, TerraformPlan } from "./offline-plan";

// The plan as the review reads it: every resource instance of one side of the change (what the
// plan will apply, or what exists before it) with its values and which of them are unknown until
// apply, and the configuration's references, followed across module calls, module outputs and
// count/for_each keys to the resource instances they name.

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

function instanceAddress(parent: string, name: string, key?: string | number): string {
  const own = `module.${name}${key === undefined ? "" : `[${JSON.stringify(key)}]`}`;
  return parent === "" ? own : `${parent}.${own}`;
}

/** The parent module instance, the call's name and the instance's key of a module instance. */
function splitModule(moduleAddress: string): { parent: string; name: string; key?: string | number } | undefined {
  const calls = moduleCalls(moduleAddress);
  const last = calls.pop();
  if (last === undefined) return undefined;
  return { parent: calls.reduce((p, c) => instanceAddress(p, c.name, c.key), ""), ...last };
}

/** One parsed reference: `aws_iam_role.fe["a"].name` is `["aws_iam_role", "fe", { key: "a" }, "name"]`. */
type Part = string | { readonly key: string | number };

/** A part's name, or "" for an index. */
const nameOf = (part: Part | undefined): string => (typeof part === "string" ? part : "");

function parseReference(reference: string): Part[] {
  const parts: Part[] = [];
  for (const m of reference.matchAll(/\.?([A-Za-z_][A-Za-z0-9_-]*)|\[("(?:[^"\\]|\\.)*"|\d+)\]/g)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined)
      parts.push({ key: m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : Number(m[2]) });
  }
  return parts;
}

/** What a set of references names: the instances of the wanted types, and what could not be followed. */
export interface Resolution {
  readonly targets: Instance[];
  /** Each reference that could not be followed, and why: the value may come from it. */
  readonly unresolved: string[];
}

/** Follows the configuration's references to resource instances. */
export class References {
  private readonly byModule = new Map<string, Instance[]>();

  constructor(
    private readonly plan: TerraformPlan,
    instances: readonly Instance[],
  ) {
    for (const i of instances) this.byModule.set(i.moduleAddress, [...(this.byModule.get(i.moduleAddress) ?? []), i]);
  }

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

  /** The expression of one of a resource instance's configured arguments. */
  expression(instance: Instance, attribute: string): ConfigExpression | undefined {
    const expression = this.configOf(instance)?.expressions?.[attribute];
    return expression !== null && typeof expression === "object" && !Array.isArray(expression) ? expression : undefined;
  }

  /** Whether an argument (or block) is written in the resource's configuration. */
  configured(instance: Instance, attribute: string): boolean {
    return attribute in (this.configOf(instance)?.expressions ?? {});
  }

  /** The source path a module instance was called with, for each module call down to it (root first). */
  moduleSources(moduleAddress: string): string[] {
    const sources: string[] = [];
    let module: ConfigModule | undefined = this.plan.configuration.root_module;
    for (const call of moduleCalls(moduleAddress)) {
      const c: ModuleCall | undefined = module?.module_calls?.[call.name];
      if (c?.source !== undefined) sources.push(c.source);
      module = c?.module;
    }
    return sources;
  }

  /**
   * The instances of `types` (e.g. `aws_iam_role`, `data.aws_iam_policy`) that an argument's
   * references name, in the module instance `moduleAddress` of an instance keyed `key`.
   */
  resolve(
    moduleAddress: string,
    key: string | number | undefined,
    references: readonly string[],
    types: readonly string[],
    depth = 0,
  ): Resolution {
    if (depth > 32) return { targets: [], unresolved: ["a chain of references more than 32 deep"] };
    const parsed = references.map(parseReference);
    const hints = new Set(parsed.map((p) => `${nameOf(p[0])}.${nameOf(p[1])}`));
    // The same key as the referring instance: `aws_iam_role.x[each.key]`, `module.m[count.index]`.
    const ownKey = hints.has("each.key") || hints.has("count.index") ? key : undefined;
    // The most specific reference of each thing referred to.
    const specific = new Map<string, Part[]>();
    for (const parts of parsed) {
      const head = parts[0];
      if (typeof head !== "string") continue;
      const baseLength = head === "data" ? 3 : 2;
      const names = parts.slice(0, baseLength);
      if (names.some((p) => typeof p !== "string")) continue;
      const base = names.map(nameOf).join(".");
      if ((specific.get(base)?.length ?? 0) < parts.length) specific.set(base, parts);
    }
    const targets: Instance[] = [];
    const unresolved: string[] = [];
    const add = (r: Resolution) => {
      targets.push(...r.targets);
      unresolved.push(...r.unresolved);
    };
    for (const [base, parts] of specific) {
      const head = parts[0] as string;
      if (["each", "count", "path", "terraform", "self"].includes(head)) continue;
      if (head === "local") {
        unresolved.push(`${base} (a plan's JSON does not describe locals)`);
      } else if (head === "var") {
        add(this.variable(moduleAddress, parts[1] as string, types, depth));
      } else if (head === "module") {
        add(this.moduleOutput(moduleAddress, parts, ownKey, types, depth));
      } else {
        const type = head === "data" ? `data.${nameOf(parts[1])}` : head;
        if (!types.includes(type)) continue;
        const name = parts[head === "data" ? 2 : 1] as string;
        const index = parts[head === "data" ? 3 : 2];
        const all = (this.byModule.get(moduleAddress) ?? []).filter(
          (i) => `${i.mode === "data" ? "data." : ""}${i.type}` === type && i.name === name,
        );
        const literal = typeof index === "object" ? index.key : undefined;
        const chosen =
          literal !== undefined
            ? all.filter((i) => i.index === literal)
            : ownKey !== undefined && all.some((i) => i.index === ownKey)
              ? all.filter((i) => i.index === ownKey)
              : all;
        targets.push(...chosen);
      }
    }
    return { targets: [...new Set(targets)], unresolved };
  }

  /** `var.name` in a module instance: the expression its call passes, in the calling module instance. */
  private variable(moduleAddress: string, name: string, types: readonly string[], depth: number): Resolution {
    const call = splitModule(moduleAddress);
    // A root module's variables are given values before the plan: none names a resource.
    if (call === undefined) return { targets: [], unresolved: [] };
    const expression = this.configModule(call.parent)?.module_calls?.[call.name]?.expressions?.[name];
    if (expression?.references === undefined) return { targets: [], unresolved: [] };
    return this.resolve(call.parent, call.key, expression.references, types, depth + 1);
  }

  /** `module.m[...].output` in a module instance: the output's expression, in each instance it may be. */
  private moduleOutput(
    moduleAddress: string,
    parts: Part[],
    ownKey: string | number | undefined,
    types: readonly string[],
    depth: number,
  ): Resolution {
    const name = parts[1] as string;
    const index = parts[2];
    const literal = typeof index === "object" ? index.key : undefined;
    const output = parts.find((p, i) => i >= 2 && typeof p === "string") as string | undefined;
    const call = this.configModule(moduleAddress)?.module_calls?.[name];
    if (call?.module === undefined) return { targets: [], unresolved: [`module.${name} (not in the configuration)`] };
    const repeated = call.for_each_expression !== undefined || call.count_expression !== undefined;
    const prefix = instanceAddress(moduleAddress, name);
    const known = [...this.byModule.keys()]
      .filter((m) => m === prefix || m.startsWith(`${prefix}[`) || m.startsWith(`${prefix}.`))
      .map((m) => {
        const rest = m.slice(moduleAddress === "" ? 0 : moduleAddress.length + 1);
        const first = moduleCalls(rest)[0];
        return instanceAddress(moduleAddress, name, first?.key);
      });
    const instances =
      literal !== undefined
        ? [instanceAddress(moduleAddress, name, literal)]
        : !repeated
          ? [prefix]
          : ownKey !== undefined
            ? [instanceAddress(moduleAddress, name, ownKey)]
            : [...new Set(known)];
    if (instances.length === 0) return { targets: [], unresolved: [`module.${name} (no instance of it in the plan)`] };
    const outputs = output !== undefined ? [output] : Object.keys(call.module.outputs ?? {});
    const targets: Instance[] = [];
    const unresolved: string[] = [];
    for (const instance of instances) {
      for (const o of outputs) {
        const expression = call.module.outputs?.[o]?.expression;
        if (expression === undefined) {
          unresolved.push(`module.${name}.${o} (no such output)`);
          continue;
        }
        const r = this.resolve(instance, undefined, expression.references ?? [], types, depth + 1);
        targets.push(...r.targets);
        unresolved.push(...r.unresolved);
      }
    }
    return { targets, unresolved };
  }
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
