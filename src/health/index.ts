/** The health manager: registry claims, detection of failed nodes and their recovery. */
export type { CheckPlan, DetectionMode, IntervalBounds } from './check-plan.js';
export { clampInterval, readCheckPlan } from './check-plan.js';
export type { WatchSnapshot } from './cluster-watch.js';
export { HEALTH_EVENT_ACTIONS } from './events.js';
export type { HealthManagerDeps, SweepResult } from './manager.js';
export { HealthManager } from './manager.js';
export type { WatchState } from './watch-rules.js';
