import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { PinpointPersonalizeRole } from "../lib";
import { synthDirs } from "../test-support/synth";

// The library as jsii builds it for cdktf's other languages: the assembly holds exactly the public
// API (the construct, the stack, their props, the backend structs), jsii-pacmak writes the Python,
// Java, Go and .NET sources, jsii-docgen writes API.md, and a Python app built on the Python
// package synthesizes exactly what the same app in TypeScript does (whose plans the other suites
// test).

const root = join(__dirname, "..");
const out = join(root, "build", "jsii");
const synthesized = synthDirs();
let apiMd: string;

beforeAll(() => {
  // `npm run build:jsii`, as a contributor runs it: the assembly, then the four languages' sources.
  const build = spawnSync("npm", ["run", "--silent", "build:jsii"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build:jsii failed:\n${build.stdout}${build.stderr}`);
  const docgen = spawnSync(join(root, "node_modules", ".bin", "jsii-docgen"), ["-o", join(out, "API.md")], {
    cwd: root,
    encoding: "utf8",
  });
  if (docgen.status !== 0) throw new Error(`jsii-docgen failed:\n${docgen.stdout}${docgen.stderr}`);
  apiMd = readFileSync(join(out, "API.md"), "utf8");
}, 300000);

test("the assembly holds exactly the public API", () => {
  const assembly = JSON.parse(readFileSync(join(root, ".jsii"), "utf8")) as {
    types: Record<string, { kind: string }>;
    keywords?: string[];
    dependencies?: Record<string, string>;
  };
  expect(Object.entries(assembly.types).map(([fqn, t]) => [fqn.split(".")[1], t.kind])).toEqual([
    ["CloudStateBackend", "interface"],
    ["LocalStateBackend", "interface"],
    ["PinpointPersonalizeImportIds", "interface"],
    ["PinpointPersonalizeRole", "class"],
    ["PinpointPersonalizeRoleProps", "interface"],
    ["PinpointPersonalizeStack", "class"],
    ["PinpointPersonalizeStackProps", "interface"],
    ["S3StateBackend", "interface"],
  ]);
  expect(assembly.keywords).toEqual(["cdktf", "cdktn", "terraform", "aws", "iam", "pinpoint", "personalize"]);
  expect(assembly.dependencies?.["@cdktf/provider-aws"]).toBe(">=20.1.0 <22.0.0");
});

test("jsii-pacmak writes the Python, Java, Go and .NET sources; jsii-docgen writes API.md", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
    );
  const holding = (target: string, text: string) =>
    files(join(out, target)).filter((f) => readFileSync(f, "utf8").includes(text)).length;
  for (const target of ["python", "java", "go", "dotnet"]) {
    expect([target, holding(target, "PinpointPersonalizeRole") > 0]).toEqual([target, true]);
  }
  // The peer range every target can satisfy (a `||` range has none in Python).
  expect(readFileSync(join(out, "python", "setup.py"), "utf8")).toContain("cdktf-cdktf-provider-aws>=20.1.0, <22.0.0");
  for (const name of ["PinpointPersonalizeRoleProps", "campaignId", "adoptExisting", "S3StateBackend"]) {
    expect(apiMd).toContain(name);
  }
});

test("API.md is what jsii-docgen writes now (npm run docs rewrites it), with every prop of the construct and the stack", () => {
  expect(readFileSync(join(root, "API.md"), "utf8")).toBe(apiMd);
  const assembly = JSON.parse(readFileSync(join(root, ".jsii"), "utf8")) as {
    types: Record<string, { properties?: { name: string; docs?: { summary?: string } }[] }>;
  };
  for (const struct of ["PinpointPersonalizeRoleProps", "PinpointPersonalizeStackProps"]) {
    const props = assembly.types[`pinpoint-personalize-role.${struct}`]?.properties ?? [];
    expect(props.length).toBeGreaterThan(0);
    for (const { name, docs } of props) {
      expect([struct, name, (docs?.summary ?? "").length > 10]).toEqual([struct, name, true]);
      expect(apiMd).toContain(`id="pinpoint-personalize-role.${struct}.property.${name}"`);
    }
  }
});

describe("a Python cdktf app on the Python package", () => {
  /** test-support/python-app/main.py, line for line, in TypeScript. */
  const typescriptApp = (app: App) => {
    const stack = new TerraformStack(app, "recs");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new LocalBackend(stack, { path: "terraform.tfstate" });
    const role = (id: string, campaign: string, name: string) =>
      new PinpointPersonalizeRole(stack, id, {
        campaignId: campaign,
        solutionId: `${campaign}-solution`,
        roleName: `${name}Role`,
        policyName: `${name}Policy`,
      });
    role("Books", "books", "Books");
    role("Movies", "movies", "Movies");
    expect(() => new PinpointPersonalizeRole(stack, "Bad", { campaignId: "books*", solutionId: "s" })).toThrow(
      /^recs\/Bad: campaignId must be/,
    );
    return stack;
  };
  const venv = join(root, "build", "venv", "py");
  const python = join(venv, "bin", "python");
  const requirements = join(root, "test-support", "python-app", "requirements.txt");
  const installed = join(venv, "requirements.txt");

  /** Runs a step of the Python set-up; a failure says what was run and what it printed. */
  const step = (what: string, command: string, args: string[]) => {
    const result = spawnSync(command, args, { cwd: root, encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error(
        `${what} failed: ${command} ${args.join(" ")}\n${result.error?.message ?? ""}${result.stdout}${result.stderr}`,
      );
    }
  };

  test("synthesizes what the same app in TypeScript does, and refuses a bad campaign with the construct's message", () => {
    // A virtual environment of its own (build/venv, ignored by git), with every package pinned; the
    // pinned packages are installed again only when requirements.txt changes.
    if (!existsSync(python)) {
      step("Creating the Python virtual environment (python3 3.10 or later, with venv, must be on PATH)", "python3", [
        "-m",
        "venv",
        venv,
      ]);
    }
    const wanted = readFileSync(requirements, "utf8");
    if (!existsSync(installed) || readFileSync(installed, "utf8") !== wanted) {
      // --no-compile: the app is their only user, and it imports the whole hashicorp/aws binding
      // (its package imports all 2,135 of its modules, 213 MB of source, whichever one the app
      // names), so Python compiles what it needs when the app runs; compiling at install as well
      // would do that work twice on a clean clone.
      step("Installing the pinned Python packages (from PyPI)", python, [
        "-m",
        "pip",
        "install",
        "-q",
        "--no-compile",
        "-r",
        requirements,
      ]);
      writeFileSync(installed, wanted);
    }
    // The package as pip builds and installs it, its requirements checked against the pinned ones.
    step("Installing the Python package that jsii-pacmak wrote", python, [
      "-m",
      "pip",
      "install",
      "-q",
      "--no-compile",
      "--no-build-isolation",
      "--force-reinstall",
      "--no-deps",
      join(out, "python"),
    ]);
    step("Checking the installed packages' requirements", python, ["-m", "pip", "check"]);
    const dir = mkdtempSync(join(tmpdir(), "python-app-"));
    try {
      const result = spawnSync(python, [join(root, "test-support", "python-app", "main.py")], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: join(dir, "out") },
      });
      expect([result.status, result.stderr]).toEqual([0, expect.any(String)]);
      expect(result.stdout).toMatch(/refused: .*recs\/Bad: campaignId must be an Amazon Personalize campaign name/);
      const onPython = readFileSync(join(dir, "out", "stacks", "recs", "cdk.tf.json"), "utf8");
      const expected = readFileSync(join(synthesized(typescriptApp), "cdk.tf.json"), "utf8");
      for (const campaign of ["books", "movies"]) expect(expected).toContain(`:campaign/${campaign}`);
      expect(JSON.parse(onPython)).toEqual(JSON.parse(expected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600000);
});
