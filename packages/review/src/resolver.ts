import { Instance, moduleCalls } from "./plan-model";
import { Body, ConfigurationSource, Index, traversal } from "./source";

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
}

const NONE: Resolution = { targets: [], unresolved: [] };

function union(list: readonly Resolution[]): Resolution {
  return {
    targets: [...new Set(list.flatMap((r) => r.targets))],
    unresolved: list.flatMap((r) => r.unresolved),
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
  ) {
    for (const i of instances) this.byModule.set(i.moduleAddress, [...(this.byModule.get(i.moduleAddress) ?? []), i]);
  }

  /** The instances of `types` (`aws_iam_role`, `data.aws_iam_policy`) that an argument of a resource instance names. */
  argument(instance: Instance, attribute: string, types: readonly string[]): Resolution {
    const where = `${instance.address}.${attribute}`;
    if (this.source === undefined) {
      return {
        targets: [],
        unresolved: [
          `${where} is unknown until apply, and with a plan alone the review cannot tell what it names ` +
            "(a plan's JSON gives the references of an expression, not the expression): review with the configuration (--dir)",
        ],
      };
    }
    const module = this.source.module(instance.moduleAddress);
    const body = module?.resources.get(`${instance.mode === "data" ? "data." : ""}${instance.type}.${instance.name}`);
    if (body === undefined) return { targets: [], unresolved: [`${where}: the configuration's files do not write it`] };
    return this.value(instance.moduleAddress, instance.index, body[attribute], types, where, 0);
  }

  private value(
    moduleAddress: string,
    key: string | number | undefined,
    value: unknown,
    types: readonly string[],
    where: string,
    depth: number,
  ): Resolution {
    if (depth > 32) return { targets: [], unresolved: [`${where}: references more than 32 deep`] };
    if (Array.isArray(value))
      return union(value.map((v) => this.value(moduleAddress, key, v, types, where, depth + 1)));
    if (typeof value !== "string" || !value.includes("${")) {
      // A literal: known at plan time, and naming no resource of the plan.
      return value === undefined ? { targets: [], unresolved: [`${where} is not written`] } : NONE;
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
    const [head, second, third] = t.names;
    const next = (m: string, k: string | number | undefined, v: unknown, w: string) =>
      this.value(m, k, v, types, w, depth + 1);
    switch (head) {
      case "module": {
        if (second === undefined) break;
        const output = t.index !== undefined ? t.rest[0] : third;
        if (output === undefined || output.startsWith("[")) break;
        return union(
          this.moduleInstances(moduleAddress, second, t.index, key).map((instance) => {
            const body = this.source?.module(instance)?.outputs.get(output);
            return body === undefined
              ? { targets: [], unresolved: [`${instance}.${output}: the configuration's files do not write it`] }
              : next(instance, undefined, body.value, `${instance}.${output}`);
          }),
        );
      }
      case "var": {
        if (second === undefined) break;
        const calls = moduleCalls(moduleAddress);
        const call = calls.pop();
        // A root module's variable is known before the plan: it names no resource.
        if (call === undefined) return NONE;
        const parent = calls.reduce((p, c) => instanceAddress(p, c.name, c.key), "");
        const body: Body | undefined = this.source?.module(parent)?.calls.get(call.name);
        if (body === undefined)
          return { targets: [], unresolved: [`module.${call.name}: the configuration's files do not call it`] };
        return body[second] === undefined
          ? NONE
          : next(parent, call.key, body[second], `${moduleAddress}.var.${second}`);
      }
      case "local": {
        if (second === undefined) break;
        const local = this.source?.module(moduleAddress)?.locals.get(second);
        return next(moduleAddress, key, local, `${moduleAddress ? `${moduleAddress}.` : ""}local.${second}`);
      }
      case "data": {
        if (second === undefined || third === undefined) break;
        const type = `data.${second}`;
        if (types.includes(type))
          return { targets: this.instances(moduleAddress, type, third, t.index, key), unresolved: [] };
        // A data source that reads a role by name names the role its name argument names.
        if (type === "data.aws_iam_role" && types.includes("aws_iam_role")) {
          const body = this.source?.module(moduleAddress)?.resources.get(`${type}.${third}`);
          return next(moduleAddress, key, body?.name, `${type}.${third}.name`);
        }
        break;
      }
      default: {
        if (head === undefined || second === undefined) break;
        if (["each", "count", "path", "terraform", "self"].includes(head)) break;
        if (types.includes(head))
          return { targets: this.instances(moduleAddress, head, second, t.index, key), unresolved: [] };
      }
    }
    return {
      targets: [],
      unresolved: [
        `${where} comes from ${value.slice(2, -1)}, which names no ${types.join(" or ")} the review can follow`,
      ],
    };
  }

  /** The instances of a resource that an index selects. */
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
    if (index?.kind === "literal") return all.filter((i) => i.index === index.key);
    if (index?.kind === "own" && key !== undefined) return all.filter((i) => i.index === key);
    return all;
  }

  /** The instances of a module call that an index selects. */
  private moduleInstances(
    parent: string,
    name: string,
    index: Index | undefined,
    key: string | number | undefined,
  ): string[] {
    if (index?.kind === "literal") return [instanceAddress(parent, name, index.key)];
    if (index?.kind === "own" && key !== undefined) return [instanceAddress(parent, name, key)];
    const prefix = instanceAddress(parent, name);
    const found = new Set<string>();
    for (const m of this.byModule.keys()) {
      if (m !== prefix && !m.startsWith(`${prefix}[`) && !m.startsWith(`${prefix}.`)) continue;
      const first = moduleCalls(m.slice(parent === "" ? 0 : parent.length + 1))[0];
      found.add(instanceAddress(parent, name, first?.key));
    }
    return found.size > 0 ? [...found] : [prefix];
  }
}
