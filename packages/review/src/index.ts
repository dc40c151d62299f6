// The review as a library: review a plan in-process, or run the command line.
export { accessDiff, analyze } from "./analyze";
export type { AccessDiff, Analysis, DecidedRequest, Difference, Finding } from "./analyze";
export { CHECKS } from "./checks";
export type { Check, CheckId } from "./checks";
export { main, REPORT_FILES } from "./cli";
export { reviewPlan } from "./review";
export type { Io, ReviewResult } from "./cli";
export type { TerraformPlan } from "./offline-plan";
export { renderReport, summary } from "./report";
export type { PlanReview, RoleReview } from "./report";
export { sarifOf } from "./sarif";
export type { SarifLog } from "./sarif";
export { ConfigurationSource } from "./source";
export { priorSubject, subjectsOf } from "./subject";
export type { ReviewContext, Subject } from "./subject";
