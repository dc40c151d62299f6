export type { CloudStateBackend, LocalStateBackend, S3StateBackend } from "./backend";
export { PinpointPersonalizeRole } from "./pinpoint-personalize-role";
export type { PinpointPersonalizeImportIds, PinpointPersonalizeRoleProps } from "./pinpoint-personalize-role";
export { PinpointPersonalizeStack } from "./pinpoint-personalize-stack";
export type { PinpointPersonalizeStackProps } from "./pinpoint-personalize-stack";
