import { parseArgs } from "node:util";
import { IamDouble } from "./server";

/**
 * `npm run iam-double -- --port N`: the IAM double on its own, for rehearsing a deploy by hand.
 * It prints the endpoint and the variables to export, then logs each call until stopped.
 */
const USAGE = `Usage: npm run iam-double -- [--port N] [--account-id ID] [--region REGION]

Starts a local double of the IAM Query API (and STS GetCallerIdentity) on 127.0.0.1, in memory,
for rehearsing a deploy with no AWS account. A test double, not AWS: see CONTRIBUTING.md.`;

async function main(argv: string[]): Promise<number> {
  let values: { port: string; "account-id": string; region: string; help: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string", default: "0" },
        "account-id": { type: "string", default: "111122223333" },
        region: { type: "string", default: "us-east-1" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }) as { values: typeof values });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number from 0 to 65535; received "${values.port}".\n`);
    return 2;
  }
  if (!/^[0-9]{12}$/.test(values["account-id"])) {
    process.stderr.write(`--account-id must be a 12-digit AWS account ID; received "${values["account-id"]}".\n`);
    return 2;
  }
  const double = new IamDouble({ port, accountId: values["account-id"] });
  await double.start();
  const exports = Object.entries(double.env(values.region))
    .map(([name, value]) => `export ${name}=${value}`)
    .join("\n");
  process.stdout.write(
    `IAM double listening on ${double.url} (account ${double.accountId}); in another shell:\n\n${exports}\n\n` +
      "Stop it with Ctrl-C. Calls:\n",
  );
  let logged = 0;
  const timer = setInterval(() => {
    for (const call of double.calls.slice(logged)) {
      process.stdout.write(
        `  ${call.action}${call.target ? ` ${call.target}` : ""}${call.error ? ` -> ${call.error}` : ""}\n`,
      );
    }
    logged = double.calls.length;
  }, 200);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(timer);
  await double.close();
  process.stdout.write(`Stopped. It held: ${JSON.stringify(double.iam.snapshot())}\n`);
  return 0;
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
