import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { npmPack } from "../test-support/consumer-app";
import { readmeCodeBlocks } from "../test-support/readme";
import { tempDirs } from "../test-support/temp";

/**
 * The README's install line in an app as `cdktf init --template=typescript` makes it today: the
 * CLI's own template, then the very installs its post-init hook runs (each package's newest
 * release, as npm resolves them now), then the README's line. npm resolves the whole tree
 * (`--package-lock-only`: the registry's metadata, no download), so a peer range that the line
 * breaks fails here as it fails for a user, with ERESOLVE.
 */
const root = join(__dirname, "..");
const temp = tempDirs();
const cli = join(root, "node_modules", "cdktf-cli");
const template = join(cli, "bundle", "templates", "typescript");
const cliVersion = (JSON.parse(readFileSync(join(cli, "package.json"), "utf8")) as { version: string }).version;

/** The package lists of the template's post-init hook, in its order: `installDeps([...], isDev)`. */
function hookInstalls(): { packages: string[]; dev: boolean }[] {
  const hook = readFileSync(join(template, ".hooks.sscaff.js"), "utf8");
  const calls = [...hook.matchAll(/installDeps\(\s*\[([^\]]*)\],\s*(true|false)/g)];
  return calls.map(([, list, dev]) => ({
    // `npm_cdktf` is the CLI's own cdktf (cdktf@<its version>); "constructs@10" and the rest are literal.
    packages: list.split(",").map((item) => {
      const name = item.trim();
      if (name === "npm_cdktf") return `cdktf@${cliVersion}`;
      const literal = /^["'`](.+)["'`]$/.exec(name);
      if (literal === null) throw new Error(`The init hook installs ${name}, which this test cannot read.`);
      return literal[1];
    }),
    dev: dev === "true",
  }));
}

/** The README's install command for the construct library, as words, the tarball's path given. */
function readmeInstallLine(tarball: string): string[] {
  const block = readmeCodeBlocks("sh").find((b) => b.includes("pinpoint-personalize-role-0.1.0.tgz"));
  if (block === undefined) throw new Error("The README has no install line for pinpoint-personalize-role-0.1.0.tgz.");
  const words = block.replace(/\\\n/g, " ").trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(["npm", "install"]);
  return words.slice(2).map((w) => (w.endsWith("pinpoint-personalize-role-0.1.0.tgz") ? tarball : w));
}

function npm(dir: string, args: string[]): { status: number | null; output: string } {
  const run = spawnSync("npm", [...args, "--package-lock-only", "--no-audit", "--no-fund"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "development" },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

let app: string;
let line: string[];
/** The app's package.json and lockfile as init leaves them: each test installs into them afresh. */
let initial: Record<string, string>;
const MANIFESTS = ["package.json", "package-lock.json"];

beforeEach(() => {
  if (initial !== undefined) for (const f of MANIFESTS) writeFileSync(join(app, f), initial[f] ?? "");
});

beforeAll(() => {
  const work = temp("cdktf-init-");
  const { tarball } = npmPack(root, work);
  line = readmeInstallLine(tarball);
  app = join(work, "app");
  cpSync(template, app, { recursive: true });
  const manifest = join(app, "package.json");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("{{ $base }}", "app"));
  for (const { packages, dev } of hookInstalls()) {
    const install = npm(app, ["install", ...(dev ? ["-D"] : []), ...packages]);
    expect({ packages, status: install.status, output: install.status === 0 ? "" : install.output }).toEqual({
      packages,
      status: 0,
      output: "",
    });
  }
  initial = Object.fromEntries(MANIFESTS.map((f) => [f, readFileSync(join(app, f), "utf8")]));
});

test("the init hook installs what this test installs: cdktf and constructs, then TypeScript, Jest and ts-jest", () => {
  expect(hookInstalls()).toEqual([
    { packages: [`cdktf@${cliVersion}`, "constructs@10"], dev: false },
    { packages: ["@types/node", "typescript", "jest", "@types/jest", "ts-jest", "ts-node"], dev: true },
  ]);
});

test("the README's install line resolves in that app, with the library's peers and the TypeScript it pins", () => {
  const install = npm(app, ["install", ...line]);
  expect({ status: install.status, output: install.status === 0 ? "" : install.output }).toEqual({
    status: 0,
    output: "",
  });
  const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = (name: string) => lock.packages[`node_modules/${name}`]?.version;
  expect({
    library: version("pinpoint-personalize-role"),
    cdktf: version("cdktf"),
    provider: version("@cdktf/provider-aws"),
    typescript: version("typescript"),
  }).toEqual({ library: "0.1.0", cdktf: "0.21.0", provider: "20.1.0", typescript: "5.9.3" });
});

test("without its TypeScript pin, the line fails as the README says: ERESOLVE, ts-jest's peer range", () => {
  const install = npm(app, ["install", ...line.filter((word) => !word.startsWith("typescript@"))]);
  expect(install.status).not.toBe(0);
  expect(install.output).toContain("ERESOLVE");
  expect(install.output).toMatch(/peer typescript@"[^"]*" from ts-jest/);
});
