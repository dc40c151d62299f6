import { join } from "node:path";
import { PinpointPersonalizeStack } from "../lib";
import { IamDouble } from "../test-support/iam-double/server";
import {
  cdktf,
  CommandResult,
  Running,
  withDouble,
  cdktfFlags,
  groupExited,
  projectCopy,
  removeDir,
  startCdktf,
  stateResources,
  terraformAgainst,
  trackedEntities,
} from "../test-support/lifecycle";
import { removeSynthOutput, synthToDisk } from "../test-support/synth";

/**
 * Faults that real IAM and real users produce, survived with nothing lost: throttling and
 * internal errors (retried by the provider), a role that IAM does not show right after creating
 * it (eventual consistency, hashicorp/terraform-provider-aws #8905, #14285), a deploy interrupted
 * mid-way (recovered by the next deploy, with adoption when the interrupted one lost track of what
 * it made), and a second deploy while the first holds the state lock.
 */
let double: IamDouble;

/** A synthesized stack whose state stays in its own directory; `name` keeps its IAM names apart. */
function stackNamed(name: string): { dir: string; vars: string[] } {
  const dir = synthToDisk((app) => new PinpointPersonalizeStack(app, name, { backend: { path: "terraform.tfstate" } }));
  return { dir, vars: ["-var=campaign_id=c", "-var=solution_id=s", `-var=name=${name}`, `-var=policy_name=${name}`] };
}

async function applyStack(name: string): Promise<{ code: number; output: string; dir: string }> {
  const { dir, vars } = stackNamed(name);
  const init = await terraformAgainst(dir, double, ["init", "-input=false"]);
  expect(init.code).toBe(0);
  const apply = await terraformAgainst(dir, double, ["apply", "-auto-approve", "-input=false", ...vars]);
  return { code: apply.code, output: apply.output, dir };
}

const failures = (action: string) =>
  double
    .callsOf(action)
    .filter((c) => c.error)
    .map((c) => c.error);

describe("retried faults, in one apply", () => {
  withDouble((d) => (double = d));
  let applied: { code: number; output: string; dir: string };

  // Every fault at once, as a bad minute of real IAM brings them: each call that fails is retried
  // by the provider, and each test below reads the calls of its own fault.
  beforeAll(async () => {
    double.inject({ action: "CreateRole", kind: "throttle", times: 1 });
    double.inject({ action: "CreatePolicy", kind: "server-error", times: 1 });
    double.inject({ action: "AttachRolePolicy", kind: "throttle", times: 1 });
    double.delayedVisibility = true;
    applied = await applyStack("Faulty");
    double.delayedVisibility = false;
  });
  afterAll(() => {
    if (applied) removeSynthOutput(applied.dir);
  });

  test("throttling and internal errors are retried and the apply succeeds, with one of each entity", () => {
    const { code, output, dir } = applied;
    expect({ code, output: code === 0 ? "" : output }).toEqual({ code: 0, output: "" });
    expect(failures("CreateRole")).toEqual(["Throttling"]);
    expect(failures("CreatePolicy")).toEqual(["ServiceFailure"]);
    expect(failures("AttachRolePolicy")).toEqual(["Throttling"]);
    expect(trackedEntities(stateResources(join(dir, "terraform.tfstate")))).toEqual({
      roles: ["Faulty"],
      policies: [`arn:aws:iam::${double.accountId}:policy/Faulty`],
      attachments: [`Faulty -> arn:aws:iam::${double.accountId}:policy/Faulty`],
    });
    expect(double.iam.roles.size).toBe(1);
  });

  test("a role that IAM does not show right after CreateRole is waited for", () => {
    expect(applied.code).toBe(0);
    const gets = double.callsOf("GetRole").filter((c) => c.target === "Faulty");
    expect(gets[0]?.error).toBe("NoSuchEntity");
    expect(gets.some((c) => c.error === undefined)).toBe(true);
    expect(double.callsOf("CreateRole").filter((c) => c.target === "Faulty" && !c.error)).toHaveLength(1);
  });
});

describe("an interrupted deploy and a held lock, through the CLI", () => {
  withDouble((d) => (double = d));
  let project: string;
  const stateFile = () => join(project, "terraform.pinpoint-personalize.tfstate");
  const vars = ["--var", "campaign_id=c", "--var", "solution_id=s"];
  const deploy = (...extra: string[]) => ["deploy", "--auto-approve", ...cdktfFlags(), ...vars, ...extra];

  beforeAll(() => {
    project = projectCopy();
  });
  afterAll(() => removeDir(project));

  /** Waits for the call that the double stalls; fails with the command's output if the command ends before it. */
  async function stalledDuring(running: Running): Promise<void> {
    let ended: CommandResult | undefined;
    const end = running.done.then((result) => {
      ended = result;
    });
    let stalled = false;
    await Promise.race([double.stalledCall().then(() => (stalled = true)), end]);
    if (!stalled && ended) {
      throw new Error(`The deploy ended (exit ${ended.code}) before IAM's stalled call:\n${ended.output}`);
    }
  }

  test("Ctrl-C after the role exists: the next deploy, with adoption if it needs it, tracks every entity and duplicates none", async () => {
    double.inject({ action: "AttachRolePolicy", kind: "stall", times: 1 });
    const interrupted = startCdktf(project, double, deploy());
    await stalledDuring(interrupted);
    expect(double.iam.getRole("PinpointRoleforPersonalize")).toBeDefined();
    // Ctrl-C in a terminal: SIGINT to the whole foreground job (the CLI and Terraform).
    process.kill(-interrupted.pid, "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    double.release();
    const first = await interrupted.done;
    await groupExited(interrupted.pid);
    expect(first.code).not.toBe(0);

    // The cdktf CLI exits at once on SIGINT, and Terraform, whose output went to it, can end before
    // it records what it made: then the next deploy fails with EntityAlreadyExists, changing
    // nothing, and the README's adoption takes the three back (docs/deploy.md says so). Which of
    // the two happens is a race between the two processes.
    let again = await cdktf(project, double, deploy());
    if (again.code !== 0) {
      expect(again.output).toContain("EntityAlreadyExists");
      expect(double.iam.snapshot().roles).toEqual(["PinpointRoleforPersonalize"]);
      again = await cdktf(project, double, deploy("--var", "adopt_existing_resources=true"));
    }
    expect({ code: again.code, output: again.code === 0 ? "" : again.output }).toEqual({ code: 0, output: "" });
    expect(trackedEntities(stateResources(stateFile()))).toEqual(double.iam.snapshot());
    expect(double.iam.snapshot().roles).toEqual(["PinpointRoleforPersonalize"]);
    expect(double.iam.snapshot().policies).toHaveLength(1);
  });

  test("a second deploy while the first holds the state lock fails with the lock error and changes nothing", async () => {
    double.inject({ action: "CreatePolicyVersion", kind: "stall", times: 1 });
    const holder = startCdktf(project, double, [
      "deploy",
      "--auto-approve",
      ...cdktfFlags(),
      "--var",
      "campaign_id=new",
      "--var",
      "solution_id=s",
    ]);
    await stalledDuring(holder);
    const before = JSON.stringify(double.iam.snapshot());
    const mutationsBefore = double.calls.filter((c) => !/^(Get|List)/.test(c.action)).length;

    const second = await cdktf(project, double, deploy());
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(JSON.stringify(double.iam.snapshot())).toBe(before);
    expect(double.calls.filter((c) => !/^(Get|List)/.test(c.action)).length).toBe(mutationsBefore);

    double.release();
    const held = await holder.done;
    expect({ code: held.code, output: held.code === 0 ? "" : held.output }).toEqual({ code: 0, output: "" });
  });
});
