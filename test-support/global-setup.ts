import { execFileSync } from "node:child_process";
import { delimiter, dirname, join, resolve } from "node:path";
import { TerraformNotFoundError, terraformBinary } from "../packages/review/src/terraform";
import { useRunTmpdir } from "./run-tmpdir";

/**
 * Builds the app and the tools once before the suites run: several suites run them (as
 * `npm run synth`, `npm run review` and `npm pack` do), and concurrent builds would race on
 * their output directories.
 */
export default function globalSetup(): void {
  useRunTmpdir();
  goRuntimeForTests();
  noSharedPluginCache();
  providerCheckedAtInit();
  // One `tsc -b` for the four projects: one compiler process, which shares what they have in
  // common (a clean clone: 4 s of wall time, against 7 s for four processes).
  const configs = [
    "tsconfig.build.json",
    "tsconfig.tools.json",
    "tsconfig.test-support.json",
    join("packages", "review", "tsconfig.json"),
  ];
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", ...configs], {
    cwd: join(__dirname, ".."),
    stdio: "inherit",
  });
}

/**
 * Terraform and its providers are Go programs, and most of the integration tier's CPU is theirs:
 * the AWS provider builds its schema of some 1,500 resource types at each start (each plan, show,
 * apply or validate). With Go's default GOGC=100, garbage collection is about a third of that CPU
 * (`terraform plan` of one policy: 3.5 s of CPU, 2.4 s with collection off). Here collection runs
 * only near a soft limit of 1 GiB per process (GOMEMLIMIT), so no run can grow without bound.
 * Jest's workers, and every process they start, inherit the setting. The two go together: an
 * environment that sets either keeps its own Go settings.
 */
function goRuntimeForTests(): void {
  if (process.env.GOGC || process.env.GOMEMLIMIT) return;
  process.env.GOGC = "off";
  process.env.GOMEMLIMIT = "1GiB";
}

/**
 * The cdktf and cdktn CLIs point Terraform at one plugin cache for the whole machine
 * (`~/.terraform.d/plugin-cache`, or `TF_PLUGIN_CACHE_DIR`) unless `CDKTF_DISABLE_PLUGIN_CACHE_ENV`
 * is set, and Terraform documents that cache as unsafe for `terraform init`s at the same time: with
 * two test runs on one machine, a plan failed with "could not read package directory" while another
 * run's init replaced the cache's entry; three workers can race the same way in one run. The cache
 * saves the tests nothing: with a provider mirror, `init` links the provider straight from it, and
 * without one Terraform downloads the provider anyway for a configuration with no lock file (as
 * the tests' copies have). So the tests run without it.
 */
function noSharedPluginCache(): void {
  process.env.CDKTF_DISABLE_PLUGIN_CACHE_ENV = "true";
  delete process.env.TF_PLUGIN_CACHE_DIR;
}

/**
 * Terraform checks each provider package against the hashes in the dependency lock file at every
 * command that may start the provider, not only at `init`: for hashicorp/aws 5.100.0 that is
 * reading and hashing its 707 MB at each plan, show, apply or validate (0.6 to 0.7 s of processor
 * time, a quarter of a plan's; some 110 commands in a run). Terraform skips the check where the
 * lock file records no hashes. So the tests run Terraform through a wrapper, first on PATH, that
 * runs it with every argument unchanged, after taking out of the directory's lock file the hashes
 * that `init` recorded there: init checked the package when it installed it from the mirror, and
 * nothing replaces it within a run. Every process the suites start finds it: the tests' own
 * Terraform commands, the review's, and the cdktf and cdktn CLIs'. Where no Terraform is on PATH
 * there is nothing to wrap, and the tests that need one fail with their own message.
 */
function providerCheckedAtInit(): void {
  const bin = join(__dirname, "terraform-wrapper");
  let real: string;
  try {
    real = terraformBinary();
  } catch (error) {
    if (error instanceof TerraformNotFoundError) return;
    throw error;
  }
  // A second setup in one process (`--watch`) finds the wrapper, which is already in place.
  if (dirname(real) === bin) return;
  // Absolute: the wrapper runs in the directory of each command.
  process.env.PINPOINT_TEST_TERRAFORM = resolve(real);
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ""}`;
}
