export * from "./backend";
export * from "./pinpoint-personalize-role";
export * from "./pinpoint-personalize-stack";
export * from "./rules";
