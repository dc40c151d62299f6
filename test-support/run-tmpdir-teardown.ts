import { removeRunTmpdir } from "./run-tmpdir";

/** Jest's global teardown, for each project: the run's temporary directory goes (see run-tmpdir.ts). */
export default removeRunTmpdir;
