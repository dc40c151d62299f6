// Token lists that Terraform never gives as null: the stack's own variables (`nullable = false`).
// Internal to the library (not exported from its index): the construct cannot tell where a token
// list comes from, so it reads any other one as possibly null (see `listOrEmpty` in rules.ts).

const neverNull = new WeakSet<readonly string[]>();

/** Marks a token list that Terraform never gives as null, so that it is read as it is; returns it. */
export function neverNullList<T extends readonly string[]>(list: T): T {
  neverNull.add(list);
  return list;
}

/** Whether a token list was marked as never null. */
export function isNeverNull(list: readonly string[]): boolean {
  return neverNull.has(list);
}
