import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { projectRoot as root } from "./consumer-project";

// The library for CDK Terrain users (cdktn, @cdktn/provider-aws): compiled from the same sources
// as the cdktf package, with the cdktf module specifiers rewritten to their CDK Terrain
// counterparts in the emitted JavaScript and declarations, and a package.json with its own peers.
// Its folder, packages/cdktn/, holds its manifest (name, peers) and README; `npm run build:cdktn`
// compiles its lib/ there, and `npm pack ./packages/cdktn` packs it.

/** The CDK Terrain package's folder: its package.json and README, and the lib/ the build writes. */
export const CDKTN_PACKAGE_DIR = join("packages", "cdktn");

/** The packages the library imports, and their CDK Terrain counterparts (module specifiers, with their subpaths). */
export const CDKTN_PACKAGES: Readonly<Record<string, string>> = {
  cdktf: "cdktn",
  "@cdktf/provider-aws": "@cdktn/provider-aws",
};

interface CdktnPackage {
  readonly name: string;
  readonly version: string;
  readonly peerDependencies: Record<string, string>;
}

function cdktnPackage(): CdktnPackage {
  return JSON.parse(readFileSync(join(root, CDKTN_PACKAGE_DIR, "package.json"), "utf8")) as CdktnPackage;
}

/** The CDK Terrain package's peers (its package.json's): what it was tested with, within the majors they promise. */
export const CDKTN_PEERS: Readonly<Record<string, string>> = cdktnPackage().peerDependencies;

interface RootPackage {
  name: string;
  version: string;
  description: string;
  license: string;
  peerDependencies: Record<string, string>;
}

function rootPackage(): RootPackage {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as RootPackage;
}

/** The CDK Terrain package's name (the cdktf package's, with `-cdktn`). */
export function cdktnPackageName(): string {
  return cdktnPackage().name;
}

/**
 * What an app changes to move from cdktf to CDK Terrain: each cdktf package it imports, and this
 * library, by their CDK Terrain counterparts.
 */
export function cdktnImports(): Record<string, string> {
  return { ...CDKTN_PACKAGES, [rootPackage().name]: cdktnPackageName() };
}

/** A module specifier with its package replaced by its counterpart in `renames` (subpaths kept). */
export function renamedSpecifier(specifier: string, renames: Readonly<Record<string, string>>): string {
  for (const [from, to] of Object.entries(renames)) {
    if (specifier === from || specifier.startsWith(`${from}/`)) return to + specifier.slice(from.length);
  }
  return specifier;
}

/** TypeScript source with the packages of its imports renamed, as an app moving to CDK Terrain does. */
export function withRenamedImports(source: string, renames: Readonly<Record<string, string>>): string {
  const file = ts.createSourceFile("app.ts", source, ts.ScriptTarget.ES2022, true);
  const specifiers = file.statements
    .filter((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier))
    .map((s) => s.moduleSpecifier as ts.StringLiteral);
  // From the end, so that earlier positions stay valid.
  return specifiers.reduceRight(
    (text, literal) =>
      `${text.slice(0, literal.getStart(file) + 1)}${renamedSpecifier(literal.text, renames)}${text.slice(literal.getEnd() - 1)}`,
    source,
  );
}

/**
 * A transformer that renames module specifiers wherever a compiled file names a module: import
 * and export declarations, `require` calls, and `import("...")` types in declarations.
 */
function specifierRenamer<T extends ts.Node>(renames: Readonly<Record<string, string>>): ts.TransformerFactory<T> {
  return (context) => {
    const { factory } = context;
    const literal = (node: ts.StringLiteral) => factory.createStringLiteral(renamedSpecifier(node.text, renames));
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          literal(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          literal(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "require" &&
        node.arguments.length === 1 &&
        node.arguments[0] !== undefined &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        return factory.updateCallExpression(node, node.expression, node.typeArguments, [literal(node.arguments[0])]);
      }
      if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        return factory.updateImportTypeNode(
          node,
          factory.updateLiteralTypeNode(node.argument, literal(node.argument.literal)),
          node.attributes,
          node.qualifier,
          node.typeArguments,
          node.isTypeOf,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitNode(file, visit) as T;
  };
}

/** Compiles lib/ into `dir`/lib with the cdktf specifiers renamed; returns the files written. */
function compileLibrary(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.build.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (config === undefined) throw new Error("tsconfig.build.json could not be read.");
  const libDir = join(root, "lib");
  const options: ts.CompilerOptions = {
    ...config.options,
    rootDir: libDir,
    outDir: join(dir, "lib"),
    declaration: true,
    composite: false,
    incremental: false,
    tsBuildInfoFile: undefined,
  };
  const rootNames = config.fileNames.filter((file) => relative(libDir, file).split("/")[0] !== "..");
  const program = ts.createProgram({ rootNames, options });
  const written: string[] = [];
  const result = program.emit(
    undefined,
    (file, text) => {
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, text);
      written.push(relative(dir, file));
    },
    undefined,
    false,
    {
      after: [specifierRenamer<ts.SourceFile>(CDKTN_PACKAGES)],
      afterDeclarations: [specifierRenamer<ts.SourceFile | ts.Bundle>(CDKTN_PACKAGES)],
    },
  );
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => "\n" }),
    );
  }
  return written.sort();
}

/** What the CDK Terrain package's manifest must agree on with the cdktf package's; throws when it does not. */
function checkManifest(): void {
  const base = rootPackage();
  const own = cdktnPackage();
  const expected = { name: `${base.name}-cdktn`, version: base.version };
  if (own.name !== expected.name || own.version !== expected.version) {
    throw new Error(
      `${CDKTN_PACKAGE_DIR}/package.json must be ${expected.name}@${expected.version}, as the cdktf package is ` +
        `${base.name}@${base.version}; it is ${own.name}@${own.version}.`,
    );
  }
  const peers = Object.keys(own.peerDependencies);
  const unmapped = Object.keys(base.peerDependencies).filter(
    (name) => !peers.includes(renamedSpecifier(name, CDKTN_PACKAGES)),
  );
  if (unmapped.length > 0) {
    throw new Error(`No CDK Terrain peer for ${unmapped.join(", ")}: add it to ${CDKTN_PACKAGE_DIR}/package.json.`);
  }
}

/** What an app renames to move to CDK Terrain, as a Markdown table (this package's README, and the project's). */
export function cdktnImportsTable(): string {
  const rows = Object.entries(cdktnImports()).map(([from, to]) => `| \`${from}\` | \`${to}\` |`);
  return ["| cdktf | CDK Terrain |", "|---|---|", ...rows].join("\n");
}

/**
 * Writes the CDK Terrain package into `dir`: its lib/ compiled anew, and (in a directory other than
 * its folder) its LICENSE, package.json and README from its folder. Returns its files.
 */
export function writeCdktnPackage(dir: string): string[] {
  checkManifest();
  const folder = join(root, CDKTN_PACKAGE_DIR);
  rmSync(join(dir, "lib"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const compiled = compileLibrary(dir);
  if (dir !== folder)
    for (const file of ["LICENSE", "package.json", "README.md"]) copyFileSync(join(folder, file), join(dir, file));
  return ["LICENSE", "README.md", "package.json", ...compiled];
}

if (require.main === module) {
  const files = writeCdktnPackage(join(root, CDKTN_PACKAGE_DIR));
  console.log(
    `Wrote the CDK Terrain package's lib/ to ${CDKTN_PACKAGE_DIR}/ (${files.length} files with its LICENSE, ` +
      `package.json and README); npm pack ./${CDKTN_PACKAGE_DIR} packs it.`,
  );
}
