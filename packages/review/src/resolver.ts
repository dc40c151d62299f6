import { Instance, moduleCalls } from "./plan-model";
import { Body, ConfigurationSource, Index, Traversal, traversal } from "./source";

// Which resource instances an argument names when its value is unknown until apply (a generated
// role name, a policy's ARN before it exists): the argument's expression, read from the
// configuration, must be a reference and nothing else, followed through module outputs, module
// arguments, locals and data sources to a resource of the wanted type. Anything else (a function
// of a reference, a conditional, a reference to something the review does not follow) cannot be
// told, and is reported as such: the review never guesses what an expression evaluates to.

/** What an argument names: the instances of the wanted types, and why it could not be told, if it could not. */
export interface Resolution {
  readonly targets: Instance[];
  readonly unresolved: string[];
  /** Whether part of the value is known at plan time without naming a resource (a literal, a root variable): the plan's values tell it. */
  readonly known?: boolean;
  /** Roles it names by an attribute that IAM refuses where it takes a role's name (an ARN, a unique ID), and why. */
  readonly refused?: readonly { readonly roles: Instance[]; readonly why: string }[];
}

/**
 * The attributes of each type that say which object it is (IAM: a role's name, ARN or unique ID;
 * a policy's ARN): a reference to any other attribute (`aws_iam_role.x.tags["t"]`,
 * `aws_iam_policy.x.description`) holds whatever that attribute was given, not the object.
 */
const IDENTIFYING: Readonly<Record<string, readonly string[]>> = {
  // A role is named where IAM takes its name (RoleName: AttachRolePolicy, PutRolePolicy and the
  // exclusive managers' calls); its `id` is its name. Its ARN or unique ID there is refused by IAM.
  aws_iam_role: ["name", "id"],
  "data.aws_iam_role": ["name", "id"],
  aws_iam_policy: ["arn", "id"],
  "data.aws_iam_policy": ["arn", "id"],
};

/** Attributes that identify a role but that IAM refuses where it takes the role's name. */
const NOT_A_ROLE_NAME = ["arn", "unique_id"];

/** Whether what follows a resource's name and index is one attribute that identifies it. */
function identifies(type: string, rest: Traversal): boolean {
  const [attribute, ...more] = rest;
  const name =
    typeof attribute === "string"
      ? attribute
      : attribute?.kind === "literal" && typeof attribute.key === "string"
        ? attribute.key
        : undefined;
  return more.length === 0 && name !== undefined && (IDENTIFYING[type] ?? []).includes(name);
}

/** A value known at plan time that names no resource of the plan. */
const KNOWN: Resolution = { targets: [], unresolved: [], known: true };

function union(list: readonly Resolution[]): Resolution {
  const refused = list.flatMap((r) => r.refused ?? []);
  return {
    targets: [...new Set(list.flatMap((r) => r.targets))],
    unresolved: list.flatMap((r) => r.unresolved),
    ...(list.some((r) => r.known) ? { known: true } : {}),
    ...(refused.length > 0 ? { refused } : {}),
  };
}

function instanceAddress(parent: string, name: string, key?: string | number): string {
  const own = `module.${name}${key === undefined ? "" : `[${JSON.stringify(key)}]`}`;
  return parent === "" ? own : `${parent}.${own}`;
}

export class Resolver {
  private readonly byModule = new Map<string, Instance[]>();

  constructor(
    instances: readonly Instance[],
    /** The configuration's files; undefined with a plan alone. */
    private readonly source: ConfigurationSource | undefined,
    /** The root module's variables, as the plan gives their values. */
    private readonly rootVariables: Readonly<Record<string, unknown>> = {},
  ) {
    for (const i of instances) this.byModule.set(i.moduleAddress, [...(this.byModule.get(i.moduleAddress) ?? []), i]);
  }

  /** Whether the review has only a plan: what an expression names then cannot be read. */
  get planOnly(): boolean {
    return this.source === undefined;
  }

  /** The instances of `types` (`aws_iam_role`, `data.aws_iam_policy`) that an argument of a resource instance names. */
  argument(instance: Instance, attribute: string, types: readonly string[]): Resolution {
    const where = `${instance.address}.${attribute}`;
    if (this.source === undefined) {
      return {
        targets: [],
        unresolved: [
          `${where} is unknown until apply, and with a plan alone the review cannot tell what it names ` +
            "(a plan's JSON gives the references of an expression, not the expression)",
        ],
      };
    }
    const module = this.source.module(instance.moduleAddress);
    const body = module?.resources.get(`${instance.mode === "data" ? "data." : ""}${instance.type}.${instance.name}`);
    if (body === undefined) return { targets: [], unresolved: [`${where}: the configuration's files do not write it`] };
    // In this resource's own arguments, each.value is its for_each's member of the instance's key.
    const each = body.for_each === undefined ? undefined : { forEach: body.for_each };
    return this.value(instance.moduleAddress, instance.index, body[attribute], [], types, where, 0, each);
  }

  /**
   * What a value of the configuration names, with `path` (attributes, keys, indexes) still to
   * apply to it: a list's or an object's members, or the reference a string is.
   */
  private value(
    moduleAddress: string,
    key: string | number | undefined,
    value: unknown,
    path: Traversal,
    types: readonly string[],
    where: string,
    depth: number,
    /** The resource's for_each, while its own arguments are read (each.value refers to it). */
    each?: { readonly forEach: unknown },
  ): Resolution {
    if (depth > 32) return { targets: [], unresolved: [`${where}: references more than 32 deep`] };
    const next = (v: unknown, rest: Traversal) =>
      this.value(moduleAddress, key, v, rest, types, where, depth + 1, each);
    const [step, ...rest] = path;
    if (Array.isArray(value) || (value !== null && typeof value === "object")) {
      const members = Object.entries(value as Record<string, unknown>);
      // The whole collection, or every member of it (`[*]`): what each member names.
      if (step === undefined || (typeof step !== "string" && step.kind === "all")) {
        return union(members.map(([, v]) => next(v, step === undefined ? [] : rest)));
      }
      // One member, by a key the review reads as Terraform converts it: a list's index is a number,
      // an object's key a string. Where it cannot tell which (an index it does not evaluate, a key
      // the configuration computes), it does not guess: any one member may name something the
      // others do not, a Deny among them.
      const index = typeof step === "string" ? step : this.evaluated(moduleAddress, step);
      const wanted =
        typeof index === "string"
          ? index
          : index.kind === "literal"
            ? index.key
            : index.kind === "own"
              ? key
              : undefined;
      const found =
        wanted === undefined
          ? undefined
          : members.find(([k]) => (Array.isArray(value) ? sameKey(Number(k), wanted) : k === String(wanted)));
      // A key the configuration computes (`(local.k) = ...`) may be any, the one taken among them:
      // a later entry of the same key wins.
      const computed = !Array.isArray(value) && members.some(([k]) => k.includes("${"));
      if (found !== undefined && !computed) return next(found[1], rest);
      if (members.length === 1 && members[0] !== undefined && !computed) return next(members[0][1], rest);
      const shown =
        typeof step === "string" ? `.${step}` : `[${step.kind === "expression" ? step.text : JSON.stringify(wanted)}]`;
      return {
        targets: [],
        unresolved: [
          `${where} takes one of ${members.length} members by ${shown}, which the review cannot match to one of them`,
        ],
      };
    }
    if (typeof value !== "string" || !value.includes("${")) {
      // A literal: known at plan time, and naming no resource of the plan.
      return value === undefined ? { targets: [], unresolved: [`${where} is not written`] } : KNOWN;
    }
    const t = traversal(value);
    if (t === undefined) {
      return {
        targets: [],
        unresolved: [
          `${where} is the expression ${JSON.stringify(value)}, not a reference alone: what it evaluates to cannot be told`,
        ],
      };
    }
    return this.reference(moduleAddress, key, [...t, ...path], types, where, depth + 1, each);
  }

  /** What a reference names, given as its parts. */
  private reference(
    moduleAddress: string,
    key: string | number | undefined,
    parts: Traversal,
    types: readonly string[],
    where: string,
    depth: number,
    each?: { readonly forEach: unknown },
  ): Resolution {
    const [head, second, ...after] = parts;
    const name = typeof second === "string" ? second : undefined;
    const indexed = (list: Traversal): { index?: Index; rest: Traversal } =>
      list[0] !== undefined && typeof list[0] !== "string"
        ? { index: this.evaluated(moduleAddress, list[0]), rest: list.slice(1) }
        : { rest: list };
    const value = (m: string, k: string | number | undefined, v: unknown, path: Traversal, w: string) =>
      this.value(m, k, v, path, types, w, depth + 1);
    switch (typeof head === "string" && name !== undefined ? head : undefined) {
      case "module": {
        // module.NAME[index].OUTPUT...: the index, if any, selects the module's instances.
        const { index, rest } = indexed(after);
        const [output, ...path] = rest;
        if (typeof output !== "string") break;
        const settled = this.settled(moduleAddress, key, path);
        return union(
          this.moduleInstances(moduleAddress, name as string, index, key).map((instance) => {
            const body = this.source?.module(instance)?.outputs.get(output);
            return body === undefined
              ? { targets: [], unresolved: [`${instance}.${output}: the configuration's files do not write it`] }
              : value(instance, undefined, body.value, settled, `${instance}.${output}`);
          }),
        );
      }
      case "var": {
        const calls = moduleCalls(moduleAddress);
        const call = calls.pop();
        // A root module's variable is known before the plan: it names no resource.
        if (call === undefined) return KNOWN;
        const parent = calls.reduce((p, c) => instanceAddress(p, c.name, c.key), "");
        const body: Body | undefined = this.source?.module(parent)?.calls.get(call.name);
        if (body === undefined)
          return { targets: [], unresolved: [`module.${call.name}: the configuration's files do not call it`] };
        return body[name as string] === undefined
          ? KNOWN
          : value(
              parent,
              call.key,
              body[name as string],
              this.settled(moduleAddress, key, after),
              `${moduleAddress}.var.${name}`,
            );
      }
      case "local": {
        const local = this.source?.module(moduleAddress)?.locals.get(name as string);
        return value(moduleAddress, key, local, after, `${moduleAddress ? `${moduleAddress}.` : ""}local.${name}`);
      }
      case "data": {
        const [dataName, ...afterName] = after;
        if (typeof dataName !== "string") break;
        const type = `data.${name}`;
        const { index, rest } = indexed(afterName);
        if (!identifies(type, rest)) break;
        if (types.includes(type)) return this.selected(moduleAddress, type, dataName, index, key, where);
        // A data source that reads a role by name names the role its name argument names.
        if (type === "data.aws_iam_role" && types.includes("aws_iam_role")) {
          const body = this.source?.module(moduleAddress)?.resources.get(`${type}.${dataName}`);
          return value(moduleAddress, key, body?.name, [], `${type}.${dataName}.name`);
        }
        break;
      }
      case "each": {
        // each.key is known at plan time; each.value is the for_each's member of the instance's key.
        if (name === "key") return KNOWN;
        if (name !== "value" || each === undefined || key === undefined) break;
        return this.value(
          moduleAddress,
          key,
          each.forEach,
          [{ kind: "literal", key }, ...after],
          types,
          where,
          depth + 1,
        );
      }
      default: {
        if (typeof head !== "string" || name === undefined) break;
        if (["count", "path", "terraform", "self"].includes(head)) break;
        const { index, rest } = indexed(after);
        if (types.includes(head) && identifies(head, rest)) {
          return this.selected(moduleAddress, head, name, index, key, where);
        }
      }
    }
    const text = parts
      .map((p) =>
        typeof p === "string"
          ? `.${p}`
          : `[${p.kind === "literal" ? JSON.stringify(p.key) : p.kind === "expression" ? p.text : p.kind}]`,
      )
      .join("")
      .slice(1);
    // A role of the plan named by its ARN or unique ID where IAM takes its name: the call fails.
    const { index, rest } = indexed(after);
    const [attribute, ...more] = rest;
    if (
      head === "aws_iam_role" &&
      types.includes("aws_iam_role") &&
      more.length === 0 &&
      typeof attribute === "string" &&
      NOT_A_ROLE_NAME.includes(attribute)
    ) {
      return {
        targets: [],
        unresolved: [],
        refused: [
          {
            roles: this.instances(moduleAddress, head, name as string, index, key),
            why: `${where} gives ${text}, the role's ${attribute}, where IAM takes its name (RoleName) and refuses anything else`,
          },
        ],
      };
    }
    return {
      targets: [],
      unresolved: [`${where} comes from ${text}, which names no ${types.join(" or ")} the review can follow`],
    };
  }

  /**
   * An index as the review reads it: a variable (`var.k`) whose value the configuration says plainly
   * (`variableValue`) is that value, a string or a number; any other expression stays one.
   */
  private evaluated(moduleAddress: string, index: Index): Index {
    if (index.kind !== "expression") return index;
    const name = /^var\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(index.text)?.[1];
    const value = name === undefined ? undefined : this.variableValue(moduleAddress, name, 0);
    if (typeof value === "string") return { kind: "literal", key: value };
    if (typeof value === "number" && Number.isSafeInteger(value)) return { kind: "literal", key: value };
    return index;
  }

  /**
   * A path read in one module made ready to be read in another (a module's output, its caller's
   * argument): each index that depends on where it is written (`each.key`, `count.index`, a
   * variable) taken as it is there, or left as one that the other module cannot read.
   */
  private settled(moduleAddress: string, key: string | number | undefined, path: Traversal): Traversal {
    return path.map((step): Traversal[number] => {
      if (typeof step === "string") return step;
      if (step.kind === "own")
        return key === undefined ? { kind: "expression", text: "the referrer's own key" } : { kind: "literal", key };
      if (step.kind !== "expression") return step;
      const read = this.evaluated(moduleAddress, step);
      return read.kind === "expression"
        ? { kind: "expression", text: `${step.text} of ${moduleAddress || "the root module"}` }
        : read;
    });
  }

  /**
   * A variable's value where the configuration says it plainly: a root module's, from the plan; a
   * child module's, from its call's argument (a literal, or the calling module's variable) or else
   * its default. Undefined otherwise.
   */
  private variableValue(moduleAddress: string, name: string, depth: number): unknown {
    // As Terraform converts it to the variable's type: text "01" is the number 1.
    const type = this.source?.module(moduleAddress)?.variables.get(name)?.type;
    return asType(type, this.givenValue(moduleAddress, name, depth));
  }

  private givenValue(moduleAddress: string, name: string, depth: number): unknown {
    if (moduleAddress === "") return this.rootVariables[name];
    if (depth > 32) return undefined;
    const calls = moduleCalls(moduleAddress);
    const call = calls.pop();
    if (call === undefined) return undefined;
    const parent = calls.reduce((p, c) => instanceAddress(p, c.name, c.key), "");
    const argument = this.source?.module(parent)?.calls.get(call.name)?.[name];
    if (argument === undefined) {
      const given = this.source?.module(moduleAddress)?.variables.get(name)?.default;
      return typeof given === "string" && given.includes("${") ? undefined : given;
    }
    if (typeof argument === "number") return argument;
    if (typeof argument !== "string") return undefined;
    if (!argument.includes("${")) return argument;
    const outer = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(argument)?.[1];
    return outer === undefined ? undefined : this.variableValue(parent, outer, depth + 1);
  }

  /**
   * The literal text an argument's value starts with, when the configuration writes it as a
   * template (`"pinpoint-${...}"`): what every value it takes starts with.
   */
  literalPrefix(instance: Instance, attribute: string): string | undefined {
    const body = this.source
      ?.module(instance.moduleAddress)
      ?.resources.get(`${instance.mode === "data" ? "data." : ""}${instance.type}.${instance.name}`);
    const value = body?.[attribute];
    if (typeof value !== "string") return undefined;
    const prefix = value.split(/\$\{|%\{/)[0] ?? "";
    return prefix.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  }

  /** The instances of a resource that an index selects. */
  /**
   * The instances a reference selects. An index the review does not evaluate (`r[var.k]`,
   * `r[element(names, 3)]`) selects one instance it cannot tell: left unresolved where several
   * could be it, so that what the argument names is read from the plan's value, or the resource
   * is not placed (a Deny put on every instance would hide what the others grant).
   */
  private selected(
    moduleAddress: string,
    type: string,
    name: string,
    index: Index | undefined,
    key: string | number | undefined,
    where: string,
  ): Resolution {
    const targets = this.instances(moduleAddress, type, name, index, key);
    if (index?.kind === "expression" && targets.length > 1) {
      return {
        targets: [],
        unresolved: [
          `${where} names ${type}.${name}[${index.text}], one of its ${targets.length} instances, by an index the ` +
            "review does not evaluate",
        ],
      };
    }
    return { targets, unresolved: [] };
  }

  private instances(
    moduleAddress: string,
    type: string,
    name: string,
    index: Index | undefined,
    key: string | number | undefined,
  ): Instance[] {
    const all = (this.byModule.get(moduleAddress) ?? []).filter(
      (i) => `${i.mode === "data" ? "data." : ""}${i.type}` === type && i.name === name,
    );
    if (index?.kind === "literal") return all.filter((i) => sameKey(i.index, index.key));
    if (index?.kind === "own" && key !== undefined) return all.filter((i) => sameKey(i.index, key));
    return all;
  }

  /** The instances of a module call that an index selects. */
  private moduleInstances(
    parent: string,
    name: string,
    index: Index | undefined,
    key: string | number | undefined,
  ): string[] {
    const prefix = instanceAddress(parent, name);
    const found = new Map<string, string | number | undefined>();
    for (const m of this.byModule.keys()) {
      if (m !== prefix && !m.startsWith(`${prefix}[`) && !m.startsWith(`${prefix}.`)) continue;
      const first = moduleCalls(m.slice(parent === "" ? 0 : parent.length + 1))[0];
      found.set(instanceAddress(parent, name, first?.key), first?.key);
    }
    const wanted = index?.kind === "literal" ? index.key : index?.kind === "own" ? key : undefined;
    if (index !== undefined && wanted !== undefined) {
      const selected = [...found].filter(([, k]) => sameKey(k, wanted)).map(([address]) => address);
      return selected.length > 0 ? selected : [instanceAddress(parent, name, wanted)];
    }
    return found.size > 0 ? [...found.keys()] : [prefix];
  }
}

/**
 * Whether an index selects an instance's key as Terraform converts them: a number index selects
 * the for_each key that is its decimal text (`r[0]` is `r["0"]`), and a string of digits the count
 * index it writes.
 */
function sameKey(instanceKey: string | number | undefined, index: string | number): boolean {
  if (instanceKey === undefined) return false;
  if (typeof instanceKey === typeof index) return instanceKey === index;
  // A string index of a number key is the number it writes in decimal ("1", "1.0", "1e0"), as
  // Terraform converts it; JavaScript reads such text exactly below 2^53.
  return typeof index === "number"
    ? instanceKey === String(index)
    : /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(index) &&
        Number.isSafeInteger(Number(index)) &&
        Number(index) === instanceKey;
}

/**
 * A value that an index reads, as Terraform converts it to a variable's type: a number or a string
 * (in plain decimal both ways), or as given where the type is not declared (or `any`). Undefined
 * for any other type, or a value the review does not convert exactly.
 */
function asType(type: unknown, value: unknown): unknown {
  const plainDecimal = (n: number) => Number.isFinite(n) && /^-?\d+(?:\.\d+)?$/.test(String(n));
  switch (type) {
    case undefined:
    case "${any}":
      return value;
    case "${number}": {
      if (typeof value === "number") return plainDecimal(value) ? value : undefined;
      if (typeof value !== "string" || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) return undefined;
      const n = Number(value);
      return plainDecimal(n) && Number.isSafeInteger(Math.trunc(n)) ? n : undefined;
    }
    case "${string}":
      if (typeof value === "string") return value;
      return typeof value === "number" && plainDecimal(value) ? String(value) : undefined;
    default:
      return undefined;
  }
}
