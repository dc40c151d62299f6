export * from "./backend";
export * from "./pinpoint-personalize-role";
export * from "./pinpoint-personalize-stack";
export * from "./place";
export * from "./rules";
