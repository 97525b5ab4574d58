import { InternalError } from '../errors.js';
import type { Graph } from './graph-types.js';

/** A selected node that will not run because `cause`, an ancestor, failed. */
export interface SkippedNode {
  uniqueId: string;
  cause: string;
}

type NodeState = 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed' | 'skipped';

/**
 * Hands out runnable nodes to a parallel executor as their parents finish, and skips everything
 * downstream of a failure while independent branches carry on. Incremental: each node and edge is
 * touched a constant number of times over a whole run, so 10,000 nodes cost milliseconds in total.
 *
 * Unselected nodes are not run but still carry order and failure through: with `a → b → c` and
 * only a and c selected, c waits for a, and is skipped if a fails. The graph must be free of cycles
 * (buildGraph reports them); nodes on a cycle never become ready and `stalled` turns true.
 *
 * @example
 * const scheduler = new RunScheduler(graph, selected);
 * while (!scheduler.finished) {
 *   for (const id of scheduler.takeReady()) start(id);          // start in parallel
 *   const { id, ok } = await nextFinished();
 *   if (ok) scheduler.markSucceeded(id);
 *   else for (const s of scheduler.markFailed(id)) report(`${s.uniqueId} skipped: ${s.cause} failed`);
 * }
 */
export class RunScheduler {
  readonly #graph: Graph;
  readonly #selected: ReadonlySet<string> | undefined;
  readonly #state = new Map<string, NodeState>();
  readonly #waitingOn = new Map<string, number>();
  #ready: string[] = [];
  #running = 0;
  #remaining = 0;

  constructor(graph: Graph, selected?: Iterable<string>) {
    this.#graph = graph;
    this.#selected = selected === undefined ? undefined : new Set(selected);
    const roots: string[] = [];
    for (const id of graph.order) {
      const count = graph.parents.get(id)?.length ?? 0;
      this.#waitingOn.set(id, count);
      this.#state.set(id, 'waiting');
      if (this.#isSelected(id)) this.#remaining++;
      if (count === 0) roots.push(id);
    }
    for (const id of roots) this.#unblocked(id);
  }

  /** Selected nodes still to finish (ready, running or waiting). */
  get remaining(): number {
    return this.#remaining;
  }

  /** True once every selected node has succeeded, failed or been skipped. */
  get finished(): boolean {
    return this.#remaining === 0;
  }

  /** True when nothing is running or ready yet work remains: only a cycle can cause this. */
  get stalled(): boolean {
    return this.#remaining > 0 && this.#running === 0 && this.#ready.length === 0;
  }

  /** The nodes that may start now; each is handed out once. */
  takeReady(): string[] {
    const ready = this.#ready;
    this.#ready = [];
    for (const id of ready) this.#state.set(id, 'running');
    this.#running += ready.length;
    return ready;
  }

  /** Records a success; children whose parents are all done become ready. */
  markSucceeded(id: string): void {
    this.#finish(id, 'succeeded');
    this.#resolve(id);
  }

  /**
   * Records a failure and returns the selected descendants that are now skipped (each reported
   * once, even when several of its ancestors fail).
   */
  markFailed(id: string): SkippedNode[] {
    this.#finish(id, 'failed');
    const skipped: SkippedNode[] = [];
    const stack = [...(this.#graph.children.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (this.#state.get(next) !== 'waiting') continue;
      this.#state.set(next, 'skipped');
      if (this.#isSelected(next)) {
        this.#remaining--;
        skipped.push({ uniqueId: next, cause: id });
      }
      stack.push(...(this.#graph.children.get(next) ?? []));
    }
    return skipped;
  }

  #isSelected(id: string): boolean {
    return this.#selected === undefined || this.#selected.has(id);
  }

  #finish(id: string, outcome: 'succeeded' | 'failed'): void {
    const state = this.#state.get(id);
    if (state !== 'running' && state !== 'ready') {
      throw new InternalError(`scheduler: '${id}' reported ${outcome} while ${state ?? 'unknown'}`);
    }
    if (state === 'ready') this.#ready = this.#ready.filter((r) => r !== id);
    else this.#running--;
    this.#state.set(id, outcome);
    this.#remaining--;
  }

  /** All parents of `id` are done: run it, or, when it is not selected, pass straight through. */
  #unblocked(start: string): void {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.#state.get(id) !== 'waiting') continue;
      if (this.#isSelected(id)) {
        this.#state.set(id, 'ready');
        this.#ready.push(id);
      } else {
        this.#state.set(id, 'succeeded');
        stack.push(...this.#childrenNowUnblocked(id));
      }
    }
  }

  #resolve(id: string): void {
    for (const child of this.#childrenNowUnblocked(id)) this.#unblocked(child);
  }

  #childrenNowUnblocked(id: string): string[] {
    const unblocked: string[] = [];
    for (const child of this.#graph.children.get(id) ?? []) {
      const left = (this.#waitingOn.get(child) ?? 0) - 1;
      this.#waitingOn.set(child, left);
      if (left === 0) unblocked.push(child);
    }
    return unblocked;
  }
}
