// Preloaded (`node -r`) by the case apps' runs: `require("pinpoint-personalize-role")` loads this
// repository's built library (dist/lib), as it would load the installed package.
const Module = require("node:module");
const path = require("node:path");
const library = path.join(__dirname, "..", "..", "dist", "lib", "index.js");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "pinpoint-personalize-role" ? library : request, ...rest);
};
