import { moduleOf } from "./review";

describe("moduleOf: the module instance of a resource address", () => {
  test.each([
    ["aws_iam_role.this", ""],
    ['aws_iam_role.this["module.x"]', ""],
    ["module.app.aws_iam_role.this", "module.app"],
    ['module.app["a.b"].aws_iam_role.this[0]', 'module.app["a.b"]'],
    ['module.app[1].module.inner["k\\"]."].aws_iam_role.r', 'module.app[1].module.inner["k\\"]."]'],
    ["module.case_05-x.aws_iam_role.this", "module.case_05-x"],
  ])("%s is in %j", (address, module) => {
    expect(moduleOf(address)).toBe(module);
  });
});
