import { IamDouble, rfc3986 } from "../../test-support/iam-double/server";

/**
 * The IAM double is faithful where the lifecycle tests rely on it: IAM's wire format, its
 * entities' rules, and loud failure for anything it does not implement.
 */
let double: IamDouble;
beforeEach(async () => {
  double = new IamDouble();
  await double.start();
});
afterEach(() => double.close());

async function call(action: string, params: Record<string, string> = {}, version = "2010-05-08") {
  const response = await fetch(double.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Action: action, Version: version, ...params }).toString(),
  });
  return { status: response.status, xml: await response.text() };
}

/** `Tags.member.N.Key` and `.Value` parameters for `n` tags `k0`=`v`, `k1`=`v`... */
function tagParams(n: number): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    params[`Tags.member.${i + 1}.Key`] = `k${i}`;
    params[`Tags.member.${i + 1}.Value`] = "v";
  }
  return params;
}

/** The text of the first `<tag>` in an XML answer. */
function first(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pinpoint.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const POLICY = (resource: string) =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "personalize:GetRecommendations", "Resource": "${resource}"}]}`;

test("answers STS GetCallerIdentity with its account", async () => {
  const { status, xml } = await call("GetCallerIdentity", {}, "2011-06-15");
  expect(status).toBe(200);
  expect(first(xml, "Account")).toBe("111122223333");
  expect(xml).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
});

test("returns documents URL-encoded (RFC 3986), exactly as submitted, with IDs, ARNs with the path and dates", async () => {
  const created = await call("CreateRole", { RoleName: "R", Path: "/team/", AssumeRolePolicyDocument: TRUST });
  expect(created.status).toBe(200);
  const { xml } = await call("GetRole", { RoleName: "r" });
  expect(first(xml, "AssumeRolePolicyDocument")).toBe(rfc3986(TRUST));
  expect(decodeURIComponent(first(xml, "AssumeRolePolicyDocument") as string)).toBe(TRUST);
  expect(first(xml, "Arn")).toBe("arn:aws:iam::111122223333:role/team/R");
  expect(first(xml, "RoleId")).toMatch(/^AROA[A-Z2-7]{17}$/);
  expect(first(xml, "CreateDate")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(rfc3986("a+b (c)!*'")).toBe("a%2Bb%20%28c%29%21%2A%27");
});

test("answers with a result element even when it is empty, as IAM does (the SDK requires UpdateRole's)", async () => {
  await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: TRUST });
  const { status, xml } = await call("UpdateRole", { RoleName: "r", MaxSessionDuration: "7200" });
  expect(status).toBe(200);
  expect(xml).toMatch(
    /^<UpdateRoleResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><UpdateRoleResult><\/UpdateRoleResult><ResponseMetadata>/,
  );
  expect(double.iam.getRole("r").maxSessionDuration).toBe(7200);
});

test("names are unique case-insensitively: EntityAlreadyExists, 409", async () => {
  await call("CreateRole", { RoleName: "Role", AssumeRolePolicyDocument: TRUST });
  const again = await call("CreateRole", { RoleName: "ROLE", AssumeRolePolicyDocument: TRUST });
  expect([again.status, first(again.xml, "Code"), first(again.xml, "Type")]).toEqual([
    409,
    "EntityAlreadyExists",
    "Sender",
  ]);
  await call("CreatePolicy", { PolicyName: "P", PolicyDocument: POLICY("*") });
  const policy = await call("CreatePolicy", { PolicyName: "p", Path: "/other/", PolicyDocument: POLICY("*") });
  expect([policy.status, first(policy.xml, "Code")]).toEqual([409, "EntityAlreadyExists"]);
});

test("NoSuchEntity, 404, for what does not exist", async () => {
  const role = await call("GetRole", { RoleName: "missing" });
  expect([role.status, first(role.xml, "Code")]).toEqual([404, "NoSuchEntity"]);
  const policy = await call("GetPolicy", { PolicyArn: "arn:aws:iam::111122223333:policy/missing" });
  expect([policy.status, first(policy.xml, "Code")]).toEqual([404, "NoSuchEntity"]);
});

test("policy versions: v1 by default, new defaults, at most 5, the default cannot be deleted", async () => {
  const created = await call("CreatePolicy", { PolicyName: "P", PolicyDocument: POLICY("a") });
  const arn = first(created.xml, "Arn") as string;
  expect(first(created.xml, "DefaultVersionId")).toBe("v1");
  for (const n of [2, 3, 4, 5]) {
    const version = await call("CreatePolicyVersion", {
      PolicyArn: arn,
      PolicyDocument: POLICY(`r${n}`),
      SetAsDefault: String(n === 3),
    });
    expect(first(version.xml, "VersionId")).toBe(`v${n}`);
  }
  const sixth = await call("CreatePolicyVersion", {
    PolicyArn: arn,
    PolicyDocument: POLICY("r6"),
    SetAsDefault: "true",
  });
  expect([sixth.status, first(sixth.xml, "Code")]).toEqual([400, "LimitExceeded"]);
  expect(first((await call("GetPolicy", { PolicyArn: arn })).xml, "DefaultVersionId")).toBe("v3");
  const deleteDefault = await call("DeletePolicyVersion", { PolicyArn: arn, VersionId: "v3" });
  expect([deleteDefault.status, first(deleteDefault.xml, "Code")]).toEqual([409, "DeleteConflict"]);
  expect((await call("DeletePolicyVersion", { PolicyArn: arn, VersionId: "v1" })).status).toBe(200);
  const listed = await call("ListPolicyVersions", { PolicyArn: arn });
  expect([...listed.xml.matchAll(/<VersionId>(v\d)<\/VersionId>/g)].map((m) => m[1])).toEqual(["v5", "v4", "v3", "v2"]);
  const version = await call("GetPolicyVersion", { PolicyArn: arn, VersionId: "v3" });
  expect(decodeURIComponent(first(version.xml, "Document") as string)).toBe(POLICY("r3"));
});

test("DeleteConflict while a role has attached policies, or a policy is attached or has other versions", async () => {
  await call("CreateRole", { RoleName: "R", AssumeRolePolicyDocument: TRUST });
  const arn = first(
    (await call("CreatePolicy", { PolicyName: "P", PolicyDocument: POLICY("a") })).xml,
    "Arn",
  ) as string;
  expect((await call("AttachRolePolicy", { RoleName: "R", PolicyArn: arn })).status).toBe(200);
  expect(first((await call("DeleteRole", { RoleName: "R" })).xml, "Code")).toBe("DeleteConflict");
  expect(first((await call("DeletePolicy", { PolicyArn: arn })).xml, "Code")).toBe("DeleteConflict");
  expect((await call("DetachRolePolicy", { RoleName: "R", PolicyArn: arn })).status).toBe(200);
  await call("CreatePolicyVersion", { PolicyArn: arn, PolicyDocument: POLICY("b"), SetAsDefault: "true" });
  expect(first((await call("DeletePolicy", { PolicyArn: arn })).xml, "Code")).toBe("DeleteConflict");
  await call("DeletePolicyVersion", { PolicyArn: arn, VersionId: "v1" });
  expect((await call("DeletePolicy", { PolicyArn: arn })).status).toBe(200);
  expect((await call("DeleteRole", { RoleName: "R" })).status).toBe(200);
  expect(double.iam.snapshot()).toEqual({ roles: [], policies: [], attachments: [] });
});

test.each([
  [
    "a role name of 65 characters",
    "CreateRole",
    { RoleName: "r".repeat(65), AssumeRolePolicyDocument: TRUST },
    "ValidationError",
  ],
  ["a role name with a slash", "CreateRole", { RoleName: "a/b", AssumeRolePolicyDocument: TRUST }, "ValidationError"],
  [
    "a role path without a trailing slash",
    "CreateRole",
    { RoleName: "r", Path: "/a", AssumeRolePolicyDocument: TRUST },
    "ValidationError",
  ],
  [
    "a session of 3599 seconds",
    "CreateRole",
    { RoleName: "r", MaxSessionDuration: "3599", AssumeRolePolicyDocument: TRUST },
    "ValidationError",
  ],
  [
    "a description of 1001 characters",
    "CreateRole",
    { RoleName: "r", Description: "d".repeat(1001), AssumeRolePolicyDocument: TRUST },
    "ValidationError",
  ],
  [
    "a trust that is not JSON",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: "{" },
    "MalformedPolicyDocument",
  ],
  ["a policy name with a space", "CreatePolicy", { PolicyName: "a b", PolicyDocument: POLICY("*") }, "ValidationError"],
  [
    "a policy path segment with a space",
    "CreatePolicy",
    { PolicyName: "p", Path: "/a b/", PolicyDocument: POLICY("*") },
    "ValidationError",
  ],
  [
    "a policy without a Statement",
    "CreatePolicy",
    { PolicyName: "p", PolicyDocument: "{}" },
    "MalformedPolicyDocument",
  ],
  // IAM's model (botocore iam 2010-05-08): tagKeyType, tagValueType, tagListType, roleDescriptionType,
  // policyPathType's 512, arnType; IAM's User Guide (tags) and error codes for the rest.
  [
    "a tag key with a character IAM's pattern refuses",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: TRUST, "Tags.member.1.Key": "team!", "Tags.member.1.Value": "a" },
    "ValidationError",
  ],
  [
    "a tag value of 257 characters",
    "CreateRole",
    {
      RoleName: "r",
      AssumeRolePolicyDocument: TRUST,
      "Tags.member.1.Key": "k",
      "Tags.member.1.Value": "v".repeat(257),
    },
    "ValidationError",
  ],
  [
    "a tag key in the reserved aws: prefix, in any case",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: TRUST, "Tags.member.1.Key": "AWS:team", "Tags.member.1.Value": "a" },
    "InvalidInput",
  ],
  [
    "a tag value in the reserved aws: prefix",
    "CreatePolicy",
    { PolicyName: "p", PolicyDocument: POLICY("*"), "Tags.member.1.Key": "team", "Tags.member.1.Value": "aWs:x" },
    "InvalidInput",
  ],
  [
    "a role's tag keys that differ only in case",
    "CreateRole",
    {
      RoleName: "r",
      AssumeRolePolicyDocument: TRUST,
      "Tags.member.1.Key": "Team",
      "Tags.member.1.Value": "a",
      "Tags.member.2.Key": "team",
      "Tags.member.2.Value": "b",
    },
    "InvalidInput",
  ],
  [
    "51 tags",
    "CreateRole",
    {
      RoleName: "r",
      AssumeRolePolicyDocument: TRUST,
      ...tagParams(51),
    },
    "ValidationError",
  ],
  [
    "a role description outside Latin-1",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: TRUST, Description: "名" },
    "ValidationError",
  ],
  [
    "a policy path of 513 characters",
    "CreatePolicy",
    { PolicyName: "p", Path: `/${"a".repeat(511)}/`, PolicyDocument: POLICY("*") },
    "ValidationError",
  ],
  [
    "a permissions boundary that is no policy ARN",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: "arn:aws:iam::111122223333:role/admin" },
    "InvalidInput",
  ],
  [
    "a permissions boundary shorter than an ARN",
    "CreateRole",
    { RoleName: "r", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: "arn:aws:iam::1:p" },
    "ValidationError",
  ],
])("refuses %s with IAM's code, changing nothing", async (_name, action, params, code) => {
  const { status, xml } = await call(action, params);
  expect([status, first(xml, "Code")]).toEqual([400, code]);
  expect(double.iam.snapshot()).toEqual({ roles: [], policies: [], attachments: [] });
});

test("a permissions boundary that does not exist: NoSuchEntity, as IAM says it of a boundary", async () => {
  const { status, xml } = await call("CreateRole", {
    RoleName: "r",
    AssumeRolePolicyDocument: TRUST,
    PermissionsBoundary: "arn:aws:iam::111122223333:policy/missing",
  });
  expect([status, first(xml, "Code"), first(xml, "Message")]).toEqual([
    404,
    "NoSuchEntity",
    "Scope ARN: arn:aws:iam::111122223333:policy/missing does not exist or is not attachable.",
  ]);
});

test("TagRole replaces a tag of the same key in any case, and refuses more than 50 in all", async () => {
  await call("CreateRole", {
    RoleName: "r",
    AssumeRolePolicyDocument: TRUST,
    "Tags.member.1.Key": "Team",
    "Tags.member.1.Value": "a",
  });
  expect(
    (await call("TagRole", { RoleName: "r", "Tags.member.1.Key": "team", "Tags.member.1.Value": "b" })).status,
  ).toBe(200);
  expect(double.iam.getRole("r").tags).toEqual([{ key: "team", value: "b" }]);
  const many = tagParams(50);
  const over = await call("TagRole", { RoleName: "r", ...many });
  expect([over.status, first(over.xml, "Code")]).toEqual([400, "LimitExceeded"]);
  expect(double.iam.getRole("r").tags).toEqual([{ key: "team", value: "b" }]);
});

test("lists roles and policies with pagination: MaxItems, IsTruncated and Marker", async () => {
  for (let i = 0; i < 5; i++) {
    await call("CreateRole", { RoleName: `r${i}`, AssumeRolePolicyDocument: TRUST });
    await call("CreatePolicy", { PolicyName: `p${i}`, PolicyDocument: POLICY("*") });
  }
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const { xml } = await call("ListRoles", { MaxItems: "2", ...(marker ? { Marker: marker } : {}) });
    names.push(...[...xml.matchAll(/<RoleName>([^<]+)<\/RoleName>/g)].map((m) => m[1]));
    marker = first(xml, "IsTruncated") === "true" ? first(xml, "Marker") : undefined;
  } while (marker);
  expect(names).toEqual(["r0", "r1", "r2", "r3", "r4"]);
  const policies = await call("ListPolicies", { Scope: "Local", MaxItems: "3" });
  expect([...policies.xml.matchAll(/<PolicyName>([^<]+)<\/PolicyName>/g)].map((m) => m[1])).toEqual(["p0", "p1", "p2"]);
  expect(first(policies.xml, "IsTruncated")).toBe("true");
});

test("an action it does not implement fails loudly, naming it", async () => {
  const { status, xml } = await call("CreateInstanceProfile", { InstanceProfileName: "x" });
  expect([status, first(xml, "Code")]).toEqual([400, "InvalidAction"]);
  expect(first(xml, "Message")).toContain("The IAM double does not implement CreateInstanceProfile");
  expect(double.calls).toEqual([{ action: "CreateInstanceProfile", error: "InvalidAction" }]);
});

test("injected faults: throttling and a 500 on the next calls of an action, then normal answers", async () => {
  double.inject({ action: "GetRole", kind: "throttle", times: 1 });
  double.inject({ action: "GetRole", kind: "server-error", times: 1 });
  await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: TRUST });
  const answers = [];
  for (let i = 0; i < 3; i++) {
    const { status, xml } = await call("GetRole", { RoleName: "r" });
    answers.push([status, first(xml, "Code") ?? "ok"]);
  }
  expect(answers).toEqual([
    [400, "Throttling"],
    [500, "ServiceFailure"],
    [200, "ok"],
  ]);
});

test("delayed visibility: the first GetRole after CreateRole answers NoSuchEntity", async () => {
  double.delayedVisibility = true;
  await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: TRUST });
  expect((await call("GetRole", { RoleName: "r" })).status).toBe(404);
  expect((await call("GetRole", { RoleName: "r" })).status).toBe(200);
});

test("npm run iam-double starts it standalone, prints the variables to export, and stops on Ctrl-C", async () => {
  const { spawn } = await import("node:child_process");
  const child = spawn("npm", ["run", "--silent", "iam-double", "--", "--port", "0"], {
    cwd: `${__dirname}/../..`,
    detached: true,
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  while (!stdout.includes("Stop it with Ctrl-C")) await new Promise((resolve) => setTimeout(resolve, 50));
  const url = /^IAM double listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout)?.[1] as string;
  expect(stdout).toContain(`export AWS_ENDPOINT_URL_IAM=${url}\n`);
  expect(stdout).toContain(`export AWS_ENDPOINT_URL_STS=${url}\n`);
  expect(stdout).toContain("export AWS_EC2_METADATA_DISABLED=true\n");
  const answer = await fetch(url, {
    method: "POST",
    body: "Action=GetCallerIdentity&Version=2011-06-15",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(answer.status).toBe(200);
  // Ctrl-C reaches the whole job: npm ends by the signal, the double stops and reports.
  process.kill(-(child.pid as number), "SIGINT");
  await exited;
  expect(stdout).toContain('Stopped. It held: {"roles":[],"policies":[],"attachments":[]}');
});
