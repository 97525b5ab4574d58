import type { ShopsmartError } from './errors.js';
import { scrubSecretsDeep, secretValues } from './secret-scrubber.js';

/**
 * A node's outcome, as dbt names them; `cancelled`: it was running when the run was interrupted
 * (nodes an interrupted run never started are `skipped`).
 */
export type NodeStatus =
  | 'success'
  | 'error'
  | 'skipped'
  | 'pass'
  | 'fail'
  | 'warn'
  | 'runtime error'
  /** A microbatch model some of whose batches failed (dbt 1.9). */
  | 'partial success'
  | 'cancelled';

/**
 * Everything the engine has to say, as data. The CLI renders these as lines or JSON; a docs site
 * or dashboard can subscribe to the same stream. The engine itself never prints.
 */
export type EngineEvent =
  | {
      kind: 'run_started';
      command: string;
      invocationId: string;
      target: string;
      nodeCount: number;
      threads: number;
      at: string;
    }
  | {
      kind: 'node_started';
      uniqueId: string;
      resourceType: string;
      name: string;
      index: number;
      total: number;
      at: string;
    }
  | {
      kind: 'node_finished';
      uniqueId: string;
      resourceType: string;
      name: string;
      index: number;
      total: number;
      status: NodeStatus;
      materialized?: string;
      relation?: string;
      rowsAffected?: number;
      failures?: number;
      message?: string;
      sampleRows?: Record<string, unknown>[];
      executionMs: number;
      at: string;
    }
  | {
      kind: 'node_skipped';
      uniqueId: string;
      resourceType: string;
      name: string;
      reason: string;
      index: number;
      total: number;
      at: string;
    }
  | {
      kind: 'hook_finished';
      hook: 'on-run-start' | 'on-run-end';
      index: number;
      sql: string;
      executionMs: number;
      at: string;
    }
  | {
      /** The warehouse is busy (another run, a reader holding the file) and `--lock-timeout` lets the run wait. */
      kind: 'warehouse_wait';
      reason: string;
      waitedMs: number;
      timeoutMs: number;
      at: string;
    }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn'; message: string; uniqueId?: string; at: string }
  | { kind: 'warning'; message: string; at: string }
  | { kind: 'error'; error: ReturnType<ShopsmartError['toJSON']>; at: string }
  | {
      kind: 'run_finished';
      command: string;
      success: boolean;
      /** The run was interrupted (its `signal` aborted): running nodes cancelled, the rest skipped. */
      interrupted?: boolean;
      elapsedMs: number;
      counts: Partial<Record<NodeStatus, number>>;
      at: string;
    };

export type EngineEventKind = EngineEvent['kind'];

/** Receives events. Must not throw; an exception in a listener is a listener bug. */
export type EventListener = (event: EngineEvent) => void;

type WithoutAt<E> = E extends unknown ? Omit<E, 'at'> : never;

/** A tiny typed fan-out used by every task. */
export class EventBus {
  readonly #listeners: EventListener[] = [];
  /**
   * The secrets' values, read from the environment at the first event (one bus per command): read
   * on every event, the environment's enumeration alone cost ~0.15 s over a build's 2,900 events.
   */
  #secrets: string[] | undefined;

  constructor(listener?: EventListener) {
    if (listener) this.#listeners.push(listener);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  emit(event: WithoutAt<EngineEvent>): void {
    // No listener ever sees a secret's value (DBT_ENV_SECRET_*), as dbt scrubs its logs.
    this.#secrets ??= secretValues();
    const stamped = scrubSecretsDeep(
      { ...event, at: new Date().toISOString() } as EngineEvent,
      this.#secrets,
    );
    for (const listener of this.#listeners) listener(stamped);
  }
}
