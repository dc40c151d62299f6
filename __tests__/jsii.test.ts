import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planResources, planOffline } from "../packages/review/src/offline-plan";

// The library as jsii builds it for cdktf's other languages: the assembly holds exactly the public
// API (the construct, the stack, their props, the backend structs), jsii-pacmak writes the Python,
// Java, Go and .NET sources, jsii-docgen writes API.md, and a Python app built on the Python
// package synthesizes and plans offline like the TypeScript one.

const root = join(__dirname, "..");
const out = join(root, "build", "jsii");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: root, stdio: "pipe" });

beforeAll(() => {
  run(bin("jsii"), []);
  run(bin("jsii-pacmak"), ["--code-only", "--targets", "python,java,go,dotnet", "-o", out]);
  run(bin("jsii-docgen"), ["-o", join(out, "API.md")]);
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
  const api = readFileSync(join(out, "API.md"), "utf8");
  for (const name of ["PinpointPersonalizeRoleProps", "campaignId", "adoptExisting", "S3StateBackend"]) {
    expect(api).toContain(name);
  }
});

describe("a Python cdktf app on the Python package", () => {
  const venv = join(root, "build", "venv", "py");
  const python = join(venv, "bin", "python");

  test("synthesizes the two roles and refuses a bad campaign with the construct's message; the plan grants each its campaign", async () => {
    if (!existsSync(python)) execFileSync("python3", ["-m", "venv", venv]);
    execFileSync(
      python,
      [
        "-m",
        "pip",
        "install",
        "-q",
        "cdktf==0.21.0",
        "cdktf-cdktf-provider-aws==20.1.0",
        "constructs==10.4.2",
        join(out, "python"),
      ],
      { stdio: "pipe" },
    );
    const dir = mkdtempSync(join(tmpdir(), "python-app-"));
    try {
      const result = spawnSync(python, [join(root, "test-support", "python-app", "main.py")], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: join(dir, "out") },
      });
      expect([result.status, result.stderr]).toEqual([0, expect.any(String)]);
      expect(result.stdout).toMatch(/refused: .*recs\/Bad: campaignId must be an Amazon Personalize campaign name/);
      const plan = await planOffline(join(dir, "out", "stacks", "recs"), []);
      const documents = planResources(plan)
        .filter((r) => r.type === "aws_iam_policy_document")
        .map((r) => String(r.values.json));
      for (const campaign of ["books", "movies"]) {
        expect(
          documents.some((d) => d.includes(`arn:aws:personalize:us-east-1:111122223333:campaign/${campaign}"`)),
        ).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600000);
});
