/**
 * Diagnostics: the dashboard server (HTTP + WebSocket + status page +
 * /metrics), its model of the engine's events, the collection registry,
 * and the runtime files that announce running dashboards.
 */
export { DashboardServer, DashboardOptions } from "./server";
export { DashboardModel } from "./model";
export { Session, Transport, SessionStats } from "./session";
export { Limits, DEFAULT_LIMITS } from "./limits";
export { CollectionRegistry, registerCollection, collectionId } from "./collections";
export { runtimeDir, announce, listDashboards, pidAlive, DashboardEntry, ListOptions, Announcement } from "./runtime-files";
export { renderMetrics } from "./metrics";
