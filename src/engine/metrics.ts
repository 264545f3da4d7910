/**
 * What the engine and the health manager report for monitoring. The composition root
 * (src/cmd/metrics.ts) implements it with Prometheus instruments; without it nothing is
 * recorded.
 */

/** Observations of an engine or health manager process. */
export interface EngineMetrics {
  /** This process started running an action. */
  actionStarted(): void;
  /** An action ended (or was rescheduled: result RETRY) after `seconds` in this process. */
  actionFinished(action: string, result: string, seconds: number): void;
  /** A health check of one node ended: healthy, unhealthy or unknown. */
  nodeChecked(result: 'healthy' | 'unhealthy' | 'unknown'): void;
  /** The health manager asked for a node's recovery (`requested`) or found it busy. */
  recoveryRequested(outcome: 'requested' | 'busy'): void;
}
