import { escapeRegex, Language } from "./automata";
import { ConditionUse, split, Assignment } from "./classes";
import { conditionValueLanguage, numericDigitsLanguage, operatorFamily, Unmodelled, Variables } from "./patterns";
import { PRINCIPAL_KEYS, SHAPES } from "./request-space";

// The principal field of the requests to assume a role: every service principal, and every AWS
// principal (an account's root, a user, a role's session) of every account, split by the trust's
// principals and by its conditions on who the principal is (aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalServiceName...), read as the evaluator reads a principal element: a service by its
// exact name, an account (its ID or its root) by the principal's account, a user by its ARN, a role
// by its partition, account and name (its sessions are the role's).

/** One class of principals: the request's principal, and what IAM puts in the context about it. */
export interface PrincipalClass {
  /** The principal as the request carries it (a role is represented by one of its sessions). */
  readonly principal: string;
  /** aws:PrincipalArn and the other keys that say who it is. */
  readonly context: Assignment;
  readonly isService: boolean;
}

const NAME = "[\\w+=,.@-]+";
const PATH = `(?:/${NAME})*/`;
const SERVICES = "[a-z0-9-]+(?:\\.[a-z0-9-]+)+";
const AWS = {
  root: `arn:${SHAPES.partition}:iam::${SHAPES.account}:root`,
  user: `arn:${SHAPES.partition}:iam::${SHAPES.account}:user${PATH}${NAME}`,
  role: `arn:${SHAPES.partition}:iam::${SHAPES.account}:role${PATH}${NAME}`,
};

/** The principals a principal element's entry matches, or why the proof does not model it. */
function entryLanguage(type: string, id: string, where: string): Language {
  if (type === "*" || id === "*") return Language.any();
  if (type === "Service") return Language.literal(id);
  if (type === "AWS") {
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(id)?.[1];
    const account = /^\d{12}$/.test(id) ? id : root;
    if (account !== undefined) return Language.regex(`arn:[^:]*:iam::${account}:[^]*`);
    const user = /^arn:([^:]+):iam::(\d{12}):user\/(?:.*\/)?[^/]+$/.exec(id);
    if (user) return Language.literal(id);
    const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(id);
    if (role) {
      const [, partition, accountId, name] = role as unknown as [string, string, string, string];
      return Language.regex(`arn:${escapeRegex(partition)}:iam::${accountId}:role(?:/${NAME})*/${escapeRegex(name)}`);
    }
  }
  throw new Unmodelled(`${where}: the principal ${type} ${id} is not one the review models`);
}

/** A principal field's class, as a request: a role by one of its sessions. */
function principalClass(arnOrName: string): PrincipalClass {
  if (!arnOrName.startsWith("arn:")) {
    return {
      principal: arnOrName,
      isService: true,
      context: {
        "aws:PrincipalServiceName": arnOrName,
        "aws:PrincipalServiceNamesList": [arnOrName],
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalArn": undefined,
        "aws:PrincipalAccount": undefined,
        "aws:PrincipalType": undefined,
      },
    };
  }
  const [, partition, , , account, resource] = arnOrName.split(":");
  const role = /^role\/(?:.*\/)?([^/]+)$/.exec(resource ?? "");
  const type = resource === "root" ? "Account" : role ? "AssumedRole" : "User";
  return {
    principal: role ? `arn:${partition}:sts::${account}:assumed-role/${role[1]}/reviewed-session` : arnOrName,
    isService: false,
    context: {
      "aws:PrincipalArn": arnOrName,
      "aws:PrincipalAccount": account,
      "aws:PrincipalType": type,
      "aws:PrincipalIsAWSService": "false",
      "aws:PrincipalServiceName": undefined,
      "aws:PrincipalServiceNamesList": undefined,
    },
  };
}

/** Every principal element entry of a trust's statements. */
export interface PrincipalEntry {
  readonly type: string;
  readonly id: string;
  readonly where: string;
}

/**
 * The classes of principals that could ask to assume a role: each one the trust's principal
 * elements and its conditions on who the principal is treat alike. `intended` is the service
 * principal the role exists for, a class of its own.
 */
export function principalClasses(
  entries: readonly PrincipalEntry[],
  uses: readonly ConditionUse[],
  variables: Variables,
  intended: string,
  preferred: readonly string[],
): PrincipalClass[] {
  const services = Language.regex(SERVICES);
  const aws = Language.union([Language.regex(AWS.root), Language.regex(AWS.user), Language.regex(AWS.role)]);
  const predicates: Language[] = [
    services,
    Language.regex(AWS.root),
    Language.regex(AWS.user),
    Language.literal(intended),
    ...entries.map((e) => entryLanguage(e.type, e.id, e.where)),
  ];
  for (const use of uses) {
    const key = use.key.toLowerCase();
    if (!(PRINCIPAL_KEYS as readonly string[]).includes(key)) continue;
    const f = operatorFamily(use.operator);
    if (f === undefined) throw new Unmodelled(`${use.where}: the condition operator ${use.operator} is not IAM's`);
    if (f.family === "null" || key === "aws:principalisawsservice" || key === "aws:principaltype") continue;
    for (const value of use.values) {
      if (key === "aws:principalservicename" || key === "aws:principalservicenameslist") {
        predicates.push(conditionValueLanguage(f.base, f.family, value, variables, use.where).and(services));
      } else if (key === "aws:principalarn") {
        predicates.push(conditionValueLanguage(f.base, f.family, value, variables, use.where).and(aws));
      } else {
        // aws:PrincipalAccount: the account of an AWS principal's ARN.
        const accounts =
          f.family === "numeric"
            ? numericDigitsLanguage(f.base, value)
            : conditionValueLanguage(f.base, f.family, value, variables, use.where);
        predicates.push(
          Language.concat([Language.regex("arn:[^:]*:iam::"), accounts, Language.regex(":[^]*")]).and(aws),
        );
      }
    }
  }
  const witnesses = split(Language.union([services, aws]), predicates, [intended, ...preferred]);
  return witnesses.map(principalClass);
}
