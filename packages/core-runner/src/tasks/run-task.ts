import { join, relative, resolve } from 'node:path';
import { openWarehouse } from '../adapter/adapter-registry.js';
import type { WarehouseConnection } from '../adapter/warehouse-adapter.js';
import { writeManifestArtifacts, writeRunArtifacts } from '../artifacts/artifact-writer.js';
import type { RunResult, RunResults } from '../artifacts/run-results.js';
import { ShopsmartError, ShopsmartErrorList, throwIfAny } from '../errors.js';
import type { EventBus, NodeStatus } from '../events.js';
import { linkBuildOrder } from '../graph/build-order-linker.js';
import { buildGraph } from '../graph/dag-builder.js';
import type { Graph, IndirectSelection, PreviousResults, PreviousState } from '../graph/graph-types.js';
import { RunScheduler } from '../graph/run-scheduler.js';
import type { SelectorDefinitions } from '../graph/selector-definitions.js';
import { selectNodes } from '../graph/selector-evaluator.js';
import type { MaterializationContext, MaterializationResult } from '../materialize/materialization-types.js';
import { materializeNode } from '../materialize/node-materializer.js';
import { batchableTest, executeTestBatch } from '../materialize/test-execution.js';
import { TestInputCache } from '../materialize/test-input-cache.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode, Relation, ResourceType } from '../project/project-types.js';
import { runContextOf } from '../template/run-context.js';
import { SqlCompiler } from '../template/sql-compiler.js';
import { criticalPathRanks, enqueueByRank, previousDurations } from './critical-path.js';
import { failFastSkips } from './fail-fast.js';
import { onRunEndContext } from './on-run-end-context.js';
import { runProjectHooks } from './project-hooks.js';
import { RenderCache } from './render-cache.js';
import { readSelectorsFile } from './selectors-file.js';
import { missingRawData, removeCreatedWarehouse, warehouseFileExists } from './source-presence.js';
import { checkUpstream, type DeferTargets, unbuiltMessage } from './upstream-relations.js';
import { type WarnErrorOptions, warnErrorPolicy } from './warn-error-policy.js';

export type RunCommand = 'run' | 'build' | 'seed' | 'test' | 'snapshot';

export interface RunOptions {
  command: RunCommand;
  select?: string[];
  exclude?: string[];
  fullRefresh?: boolean;
  threads?: number;
  state?: PreviousState;
  results?: PreviousResults;
  /** How tests follow the models they test into a selection (dbt's --indirect-selection; default eager). */
  indirectSelection?: IndirectSelection;
  events: EventBus;
  /** Skip writing target/ (tests of the engine itself may want that). */
  writeArtifacts?: boolean;
  /**
   * dbt's `--defer`: unselected upstream nodes missing from this target are read where the
   * `--state` environment built them (its warehouse is attached read-only when it is another file).
   */
  defer?: DeferState;
  /**
   * Cancels the run when aborted (the CLI aborts it on Ctrl-C / SIGTERM): no node starts after
   * that, running statements are interrupted and their transactions rolled back, and the results
   * say `cancelled` for the nodes that were running and `skipped` for the ones never started.
   */
  signal?: AbortSignal;
  /** `--selector NAME`: a YAML selector of selectors.yml; --select/--exclude are then ignored. */
  selector?: string;
  /** The project's YAML selectors; read from `<root>/selectors.yml` when absent. */
  selectors?: SelectorDefinitions;
  /** dbt's `--fail-fast`: the first error or failure stops the run; nodes not started are skipped. */
  failFast?: boolean;
  /** `--event-time-start` / `--event-time-end`: the window microbatch models rebuild (ISO timestamps). */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /** dbt's `--empty`: refs and sources read zero rows, so every model builds empty (schemas only). */
  empty?: boolean;
  /** dbt's `--warn-error` (true) or `--warn-error-options`: warnings become errors. */
  warnError?: boolean | WarnErrorOptions;
  /** `retry`: run exactly these nodes (those that errored, failed or were skipped last time). */
  only?: readonly string[];
  /** `retry`: for a microbatch model that partly succeeded, the failed batches (ISO start, end) to run. */
  retryBatches?: Record<string, [string, string][]>;
  /** The `--vars` the project was parsed with: recorded in run_results.json for `retry`. */
  cliVars?: Record<string, unknown>;
}

/** What `--defer` needs from the state artifacts: where that environment built each node. */
export interface DeferState {
  /** uniqueId → relation in the state's warehouse (without a database: its default one). */
  relations: Record<string, Relation>;
  /** The state's warehouse file, when it is not this target's. */
  warehousePath?: string;
}

const runnableTypes: Record<RunCommand, ResourceType[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  snapshot: ['snapshot'],
  build: ['model', 'seed', 'snapshot', 'test', 'unit_test'],
};

const passing: NodeStatus[] = ['success', 'pass', 'warn'];

/** The most tests one batch query counts (one `union all` branch each). */
const maxTestBatch = 64;

/** Every node of the project (models, seeds, snapshots, tests, sources, exposures, analyses) as a graph. */
export function projectGraph(project: ParsedProject): Graph {
  const { manifest } = project;
  const { graph, errors } = buildGraph([
    ...Object.values(manifest.nodes),
    ...Object.values(manifest.sources),
    ...Object.values(manifest.exposures),
  ]);
  throwIfAny(errors);
  return graph;
}

/** The graph, selection and order a command will execute, without executing anything. */
export function planRun(
  project: ParsedProject,
  options: Pick<
    RunOptions,
    | 'command'
    | 'select'
    | 'exclude'
    | 'state'
    | 'results'
    | 'indirectSelection'
    | 'selector'
    | 'selectors'
    | 'only'
  >,
) {
  const graph = projectGraph(project);
  const only = options.only ? new Set(options.only) : undefined;
  const { selected, warnings, selector } = only
    ? { selected: new Set(graph.order.filter((id) => only.has(id))), warnings: [], selector: undefined }
    : selectNodes(graph, {
        select: options.select,
        exclude: options.exclude,
        state: options.state,
        results: options.results,
        indirectSelection: options.indirectSelection,
        selectors: options.selectors ?? readSelectorsFile(project.definition.rootDir),
        selector: options.selector,
      });
  const types = runnableTypes[options.command];
  const runnable = new Set(
    [...selected].filter((id) => types.includes(graph.nodes.get(id)?.resourceType as ResourceType)),
  );
  return {
    graph: options.command === 'build' ? linkBuildOrder(graph) : graph,
    selected: runnable,
    warnings,
    selector,
  };
}

/**
 * Runs a command (run, build, seed, test, snapshot) over the selected nodes: independent nodes in
 * parallel up to `threads`, descendants of a failure skipped, every step reported as an event.
 * Returns the results; throws only for problems that stop the whole run (lock, bad selector).
 */
export async function executeRun(project: ParsedProject, options: RunOptions): Promise<RunResults> {
  const started = performance.now();
  const { events } = options;
  const { graph, selected, warnings, selector } = planRun(project, options);
  whenEngineBuilt(project, (engine) => engine.setRunContext(runContextOf(project, options)));
  const policy = warnErrorPolicy(options.warnError);
  for (const warning of warnings) {
    const noMatch = warning.startsWith('The selection criterion');
    if (noMatch && policy.isError('NoNodesForSelectionCriteria'))
      throw new ShopsmartError('SSA-WARN-ERROR', warning, {
        hint: 'a warning treated as an error (--warn-error); fix the selection or drop the flag',
      });
    if (!(noMatch && policy.isSilenced('NoNodesForSelectionCriteria')))
      events.emit({ kind: 'warning', message: warning });
  }
  if (selector)
    events.emit({ kind: 'log', level: 'info', message: `Using selector '${selector}' (selectors.yml)` });
  for (const warning of project.definition.warnings ?? [])
    events.emit({ kind: 'warning', message: warning.format() });
  const threads = options.threads ?? project.target.threads;
  const existed = warehouseFileExists(project.target);
  const adapter = await openWarehouse(project.target, {
    threads,
    command: options.command,
    invocationId: project.invocationId,
    onWait: (wait) => events.emit({ kind: 'warehouse_wait', ...wait }),
    signal: options.signal,
  });
  let noRawData: ShopsmartError | undefined;
  await TestInputCache.clearLeftovers(adapter).catch(() => undefined);
  // performance.now() when the signal aborted the run; node errors after it are cancellations.
  let abortedAt: number | undefined;
  const onAbort = () => {
    abortedAt ??= performance.now();
    adapter.interrupt();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const compiler = new SqlCompiler(project, (message, uniqueId) =>
    events.emit({ kind: 'log', level: 'info', message, uniqueId }),
  );
  if (options.empty) compiler.emptyReferences();
  else compiler.renderMemo = renderCacheFor(project, options);
  const testInputs = new TestInputCache(
    project.manifest,
    adapter,
    compiler,
    [...selected].filter((id) => project.manifest.nodes[id]?.resourceType === 'test'),
  );
  const results: RunResult[] = [];
  const total = selected.size;
  let index = 0;
  events.emit({
    kind: 'run_started',
    command: options.command,
    invocationId: project.invocationId,
    target: project.target.name,
    nodeCount: total,
    threads,
  });
  const executedSql = new Map<string, string[]>();
  // manifest.json and target/compiled/ do not depend on the results: written while the first nodes
  // execute (this thread is mostly waiting on the warehouse then) instead of after the last one.
  let manifestWriting: Promise<unknown> | undefined;
  const writeManifest = () => {
    manifestWriting ??=
      options.writeArtifacts === false
        ? Promise.resolve()
        : new Promise((resolve) => setImmediate(resolve)).then(() =>
            writeManifestArtifacts(project, compiler, true),
          );
    return manifestWriting;
  };
  /** Set when the run went through to its end (not stopped by an error or an interrupt). */
  let completed = false;
  let closing: Promise<void> = Promise.resolve();
  try {
    await runProjectHooks(project, adapter, compiler, 'on-run-start', events);
    // After on-run-start (hooks may create the sources), before any node: all sources missing
    // means a warehouse without raw data, said once instead of one error per model.
    noRawData = await missingRawData(project.manifest, selected, adapter).catch(() => undefined);
    if (noRawData) throw noRawData;
    const defer = options.defer ? await deferTargets(options.defer, adapter, project.target.path) : undefined;
    // Before any SQL runs: the relations this command reads but does not build must exist (or be
    // deferred); a missing one fails its first reader with one line saying what to run first.
    const upstream = await checkUpstream(project.manifest, selected, adapter, defer);
    compiler.deferTo(upstream.deferred);
    for (const [id, relation] of upstream.deferred) {
      const name = project.manifest.nodes[id]?.name ?? id;
      events.emit({
        kind: 'log',
        level: 'debug',
        message: `deferred: ${name} is read from ${adapter.render(relation)}`,
        uniqueId: id,
      });
    }
    const reported = new Set<string>();
    const unbuiltOutcome = (id: string): { status: NodeStatus; message: string } | undefined => {
      const missing = upstream.unbuilt.get(id);
      if (!missing) return undefined;
      const fresh = missing.filter((node) => !reported.has(node.uniqueId));
      for (const node of fresh) reported.add(node.uniqueId);
      if (fresh.length > 0) return { status: 'error', message: fresh.map(unbuiltMessage).join('; ') };
      const names = missing.map((node) => `${node.resourceType} '${node.name}'`).join(', ');
      return { status: 'skipped', message: `skipped: ${names} has not been built yet (reported above)` };
    };
    const scheduler = new RunScheduler(graph, selected);
    // Ready nodes start longest-chain first, by the last run's timings (critical-path.ts).
    const ranks = criticalPathRanks(graph, previousDurations(project.definition.targetPath));
    const queue: string[] = [];
    // A unit of work: one node, or a batch of tests (one query); it holds one connection.
    const running = new Map<string, Promise<{ key: string; done: { id: string; result: RunResult }[] }>>();
    interface Begun {
      id: string;
      node: ProjectNode;
      index: number;
      t0: number;
      startedAt: string;
      sqlLog: string[];
    }
    const begin = (id: string): Begun => {
      const node = project.manifest.nodes[id] as ProjectNode;
      const nodeIndex = ++index;
      events.emit({
        kind: 'node_started',
        uniqueId: id,
        resourceType: node.resourceType,
        name: node.name,
        index: nodeIndex,
        total,
      });
      const sqlLog: string[] = [];
      return {
        id,
        node,
        index: nodeIndex,
        t0: performance.now(),
        startedAt: new Date().toISOString(),
        sqlLog,
      };
    };
    const contextOf = (begun: Begun, connection: WarehouseConnection): MaterializationContext => {
      executedSql.set(begun.id, begun.sqlLog);
      return {
        node: begun.node,
        project,
        adapter,
        connection,
        compiler,
        testInputs,
        fullRefresh: options.fullRefresh ?? false,
        eventTime: { start: options.eventTimeStart, end: options.eventTimeEnd },
        ...(options.retryBatches?.[begun.id] ? { batches: options.retryBatches[begun.id] } : {}),
        threads,
        recordSql: (sql) => begun.sqlLog.push(sql),
      };
    };
    const succeeded = (begun: Begun, outcome: MaterializationResult, executionMs: number): RunResult => ({
      uniqueId: begun.id,
      status: outcome.status,
      executionMs,
      message: outcome.message,
      rowsAffected: outcome.rowsAffected,
      failures: outcome.failures,
      sampleRows: outcome.sampleRows,
      ...(outcome.batchResults ? { batchResults: outcome.batchResults } : {}),
      index: begun.index,
      startedAt: begun.startedAt,
      completedAt: new Date().toISOString(),
    });
    const errored = (begun: Begun, error: unknown, executionMs: number): RunResult => {
      if (abortedAt !== undefined) return cancelled(begun.id, begun.index, executionMs);
      const located = locateSqlError(error, begun.node, project);
      return {
        uniqueId: begun.id,
        status: 'error' as NodeStatus,
        executionMs,
        message: describe(located, begun.node),
        error: asError(located, begun.node),
        index: begun.index,
        startedAt: begun.startedAt,
        completedAt: new Date().toISOString(),
      };
    };
    const start = (id: string) => {
      const begun = begin(id);
      const unbuilt = unbuiltOutcome(id);
      if (unbuilt) {
        const result: RunResult = { uniqueId: id, executionMs: 0, index: begun.index, ...unbuilt };
        if (unbuilt.status === 'error')
          result.error = {
            code: 'SSA-RUN-UNBUILT',
            message: unbuilt.message,
            file: begun.node.originalFilePath,
          };
        running.set(id, Promise.resolve({ key: id, done: [{ id, result }] }));
        return;
      }
      const work = adapter.withConnection(async (connection) =>
        materializeNode(contextOf(begun, connection)),
      );
      running.set(
        id,
        work.then(
          (outcome) => ({
            key: id,
            done: [{ id, result: succeeded(begun, outcome, performance.now() - begun.t0) }],
          }),
          (error: unknown) => ({
            key: id,
            done: [{ id, result: errored(begun, error, performance.now() - begun.t0) }],
          }),
        ),
      );
    };
    // Tests that only count rows run in batches: one query for many tests (see executeTestBatch),
    // each still with its own result. Not under --fail-fast, which stops after the first failure.
    const batchable = (id: string) => {
      const node = project.manifest.nodes[id];
      return !options.failFast && node !== undefined && batchableTest(node) && !upstream.unbuilt.has(id);
    };
    const startBatch = (ids: string[]) => {
      const begun = ids.map(begin);
      const key = ids[0] as string;
      const work = adapter.withConnection(async (connection) =>
        executeTestBatch(begun.map((b) => contextOf(b, connection))),
      );
      running.set(
        key,
        work.then(
          (outcomes) => {
            // The batch's time, shared evenly: the tests ran as one query.
            const each = (performance.now() - (begun[0] as Begun).t0) / begun.length;
            return {
              key,
              done: begun.map((b, i) => {
                const outcome = outcomes[i] as PromiseSettledResult<MaterializationResult>;
                return {
                  id: b.id,
                  result:
                    outcome.status === 'fulfilled'
                      ? succeeded(b, outcome.value, each)
                      : errored(b, outcome.reason, each),
                };
              }),
            };
          },
          (error: unknown) => {
            const each = (performance.now() - (begun[0] as Begun).t0) / begun.length;
            return { key, done: begun.map((b) => ({ id: b.id, result: errored(b, error, each) })) };
          },
        ),
      );
    };
    /** Starts the next queued node; a test takes queued batchable tests with it, its share of them. */
    const startNext = () => {
      const id = queue.shift() as string;
      if (!batchable(id)) return start(id);
      const waiting = queue.filter(batchable);
      const free = Math.max(1, threads - running.size);
      const size = Math.min(maxTestBatch, Math.ceil((waiting.length + 1) / free));
      const batch = [id, ...waiting.slice(0, size - 1)];
      if (batch.length === 1) return start(id);
      const taken = new Set(batch);
      const rest = queue.filter((queued) => !taken.has(queued));
      queue.splice(0, queue.length, ...rest);
      startBatch(batch);
    };
    // --fail-fast: once set, nothing new starts; nodes in flight finish, the rest are skipped.
    let stoppedBy: RunResult | undefined;
    const finish = (id: string, result: RunResult) => {
      const node = project.manifest.nodes[id] as ProjectNode;
      if (result.status === 'warn' && node.resourceType === 'test' && policy.isError('LogTestResult')) {
        // dbt: under --warn-error a test at warn severity fails.
        result.status = 'fail';
        result.message = `${result.message} (a warning treated as an error: --warn-error)`;
      }
      results.push(result);
      events.emit({
        kind: 'node_finished',
        uniqueId: id,
        resourceType: node.resourceType,
        name: node.name,
        index: result.index ?? 0,
        total,
        status: result.status,
        materialized: node.resourceType === 'model' ? node.config.materialized : undefined,
        relation:
          node.relation && node.resourceType !== 'test'
            ? `${node.relation.schema}.${node.relation.identifier}`
            : undefined,
        rowsAffected: result.rowsAffected,
        failures: result.failures,
        message: result.message,
        sampleRows: result.sampleRows,
        executionMs: result.executionMs,
      });
      if (result.status === 'cancelled') return;
      if (passing.includes(result.status)) scheduler.markSucceeded(id);
      else {
        if (options.failFast && !stoppedBy) stoppedBy = result;
        for (const skipped of scheduler.markFailed(id)) {
          const skippedNode = project.manifest.nodes[skipped.uniqueId] as ProjectNode;
          const cause = project.manifest.nodes[skipped.cause]?.name ?? skipped.cause;
          const message = `skipped: upstream '${cause}' ${result.status === 'fail' ? 'failed its test' : 'failed'}`;
          results.push({ uniqueId: skipped.uniqueId, status: 'skipped', executionMs: 0, message });
          events.emit({
            kind: 'node_skipped',
            uniqueId: skipped.uniqueId,
            resourceType: skippedNode.resourceType,
            name: skippedNode.name,
            reason: message,
            index: ++index,
            total,
          });
        }
      }
    };
    try {
      while (!scheduler.finished && abortedAt === undefined) {
        if (!stoppedBy) enqueueByRank(queue, scheduler.takeReady(), ranks);
        while (!stoppedBy && queue.length > 0 && running.size < threads) startNext();
        if (!manifestWriting) writeManifest().catch(() => undefined);
        if (running.size === 0) {
          if (stoppedBy) break;
          if (scheduler.stalled)
            throw new ShopsmartError(
              'SSA-GRAPH-STALL',
              'the run cannot continue: remaining nodes wait on each other',
            );
          continue;
        }
        const { key, done } = await Promise.race(running.values());
        running.delete(key);
        for (const { id, result } of done) finish(id, result);
      }
    } finally {
      // Interrupted (or stopped by an error): the running nodes settle before the adapter closes.
      for (const work of running.values()) for (const { id, result } of (await work).done) finish(id, result);
    }
    if (abortedAt !== undefined) throw interruptedRun;
    if (stoppedBy) {
      const cause = project.manifest.nodes[stoppedBy.uniqueId]?.name ?? stoppedBy.uniqueId;
      for (const skipped of failFastSkips(selected, results, cause, stoppedBy.status)) {
        const skippedNode = project.manifest.nodes[skipped.uniqueId] as ProjectNode;
        results.push(skipped);
        events.emit({
          kind: 'node_skipped',
          uniqueId: skipped.uniqueId,
          resourceType: skippedNode.resourceType,
          name: skippedNode.name,
          reason: skipped.message,
          index: ++index,
          total,
        });
      }
    }
    await runProjectHooks(
      project,
      adapter,
      compiler,
      'on-run-end',
      events,
      onRunEndContext(project, results),
    );
    completed = abortedAt === undefined;
  } catch (error) {
    // An interrupted run ends here wherever it was (hooks, upstream checks, nodes): no on-run-end.
    if (abortedAt === undefined) {
      await manifestWriting?.catch(() => undefined);
      throw error;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Cleanup statements run even after an interrupt: scratch tables go, then the lock.
    adapter.resume();
    await testInputs.dispose().catch(() => undefined);
    (compiler.renderMemo as RenderCache | undefined)?.save();
    closing = adapter.close();
    // A run that went to its end closes the warehouse (DuckDB's checkpoint of what the run wrote,
    // on DuckDB's thread) while this thread writes the run's artifacts; any other waits for it here.
    if (!completed) await closing;
    if (noRawData && !existed) removeCreatedWarehouse(project.target);
  }
  const interrupted = abortedAt !== undefined;
  if (interrupted) {
    const finished = new Set(results.map((r) => r.uniqueId));
    for (const id of selected)
      if (!finished.has(id))
        results.push({
          uniqueId: id,
          status: 'skipped',
          executionMs: 0,
          message: 'skipped: the run was interrupted before this node started',
        });
  }
  const elapsedMs = performance.now() - started;
  // In one order whatever finished first (nodes start longest chain first, so a test may finish
  // before the first model): the summary reads OK=… PASS=… WARN=… ERROR=… every time.
  const tally = new Map<NodeStatus, number>();
  for (const result of results) tally.set(result.status, (tally.get(result.status) ?? 0) + 1);
  const counts: Partial<Record<NodeStatus, number>> = {};
  for (const status of [...statusOrder, ...tally.keys()]) {
    const count = tally.get(status);
    if (count !== undefined && counts[status] === undefined) counts[status] = count;
  }
  const success = !interrupted && results.every((r) => passing.includes(r.status));
  const runResults: RunResults = {
    command: options.command,
    invocationId: project.invocationId,
    generatedAt: new Date().toISOString(),
    elapsedMs,
    success,
    ...(interrupted ? { interrupted } : {}),
    results,
    args: {
      select: options.select ?? [],
      exclude: options.exclude ?? [],
      threads,
      fullRefresh: options.fullRefresh ?? false,
      // What `retry` needs to repeat this invocation (dbt keeps the previous command's args).
      ...(options.selector ? { selector: options.selector } : {}),
      ...(options.indirectSelection ? { indirect_selection: options.indirectSelection } : {}),
      ...(options.failFast ? { fail_fast: true } : {}),
      ...(options.empty ? { empty: true } : {}),
      ...(options.warnError ? { warn_error: options.warnError } : {}),
      target: project.target.name,
      ...(options.cliVars && Object.keys(options.cliVars).length > 0 ? { vars: options.cliVars } : {}),
    },
  };
  try {
    if (options.writeArtifacts !== false) {
      await writeManifest();
      await writeRunArtifacts(project, runResults, executedSql);
    }
  } finally {
    await closing;
  }
  events.emit({
    kind: 'run_finished',
    command: options.command,
    success,
    ...(interrupted ? { interrupted } : {}),
    elapsedMs,
    counts,
  });
  return runResults;
}

/**
 * The run-time renders of earlier runs of this parse (target/render_cache.json), when the parse
 * came from (or was written to) the parse cache and the run writes target/.
 */
function renderCacheFor(project: ParsedProject, options: RunOptions): RenderCache | undefined {
  const saveId = project.parseCache?.saveId;
  if (!saveId || options.writeArtifacts === false) return undefined;
  return RenderCache.open(
    project.definition.targetPath,
    saveId,
    runContextOf(project, options).flags,
    project,
  );
}

/** The order of a run's status counts (the summary line). */
const statusOrder: readonly NodeStatus[] = [
  'success',
  'pass',
  'warn',
  'partial success',
  'error',
  'runtime error',
  'fail',
  'skipped',
  'cancelled',
];

/** Thrown inside the run to leave it at once when interrupted; caught before the results are written. */
const interruptedRun = new Error('interrupted');

/** A node that was running when the run was interrupted (its statement interrupted, rolled back). */
function cancelled(uniqueId: string, index: number, executionMs: number): RunResult {
  return {
    uniqueId,
    status: 'cancelled',
    executionMs,
    message: 'cancelled: the run was interrupted while this node ran (its changes were rolled back)',
    index,
  };
}

/**
 * DuckDB reports lines of the statement it ran, not of the model file: point such errors at the
 * SQL written to target/run/, which is what the line numbers refer to.
 */
function locateSqlError(error: unknown, node: ProjectNode, project: ParsedProject): unknown {
  if (!(error instanceof ShopsmartError) || error.code !== 'SSA-SQL-001') return error;
  const runFile = relative(
    project.definition.rootDir,
    join(project.definition.targetPath, 'run', node.packageName, node.originalFilePath),
  );
  return new ShopsmartError(error.code, error.message, {
    file: runFile,
    line: error.line,
    hint: `the line is in the SQL that ran (compiled from ${node.originalFilePath})`,
    cause: error,
  });
}

function asError(error: unknown, node: ProjectNode): NonNullable<RunResult['error']> {
  if (error instanceof ShopsmartError)
    return {
      code: error.code,
      message: error.message,
      file: error.file ?? node.originalFilePath,
      line: error.line,
      hint: error.hint,
    };
  if (error instanceof ShopsmartErrorList)
    return { code: error.code, message: error.message, file: node.originalFilePath };
  return {
    code: 'SSA-INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    file: node.originalFilePath,
  };
}

function describe(error: unknown, node: ProjectNode): string {
  if (error instanceof ShopsmartErrorList) return error.message;
  if (error instanceof ShopsmartError) {
    const where = error.file ?? node.originalFilePath;
    return `${error.message}${where ? ` (${where}${error.line ? `:${error.line}` : ''})` : ''}${error.hint ? ` — ${error.hint}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Where deferred nodes are read from: the state's relations, in its warehouse attached read-only
 * when that is another file than this target's.
 */
async function deferTargets(
  state: DeferState,
  adapter: { attachReadOnly(path: string): Promise<string> },
  targetPath: string,
): Promise<DeferTargets> {
  const database =
    state.warehousePath && resolve(state.warehousePath) !== resolve(targetPath)
      ? await adapter.attachReadOnly(state.warehousePath)
      : undefined;
  return {
    relationOf: (uniqueId) => {
      const relation = state.relations[uniqueId];
      if (!relation) return undefined;
      return database ? { ...relation, database } : relation;
    },
  };
}

/**
 * Calls `configure` with the project's template engine now if it exists, otherwise when something
 * first asks for it: a warm-cache run whose nodes need no run-time render (plain hooks, compiled
 * SQL from the parse) never builds the engine, and one that does builds it while the warehouse is
 * already at work rather than before the first node starts.
 */
function whenEngineBuilt(project: ParsedProject, configure: (engine: ParsedProject['engine']) => void): void {
  const own = Object.getOwnPropertyDescriptor(project, 'engine');
  const build = own?.get;
  if (!build || own.configurable !== true) {
    configure(project.engine);
    return;
  }
  Object.defineProperty(project, 'engine', {
    configurable: true,
    enumerable: true,
    get: () => {
      const engine = build.call(project) as ParsedProject['engine'];
      Object.defineProperty(project, 'engine', { configurable: true, enumerable: true, value: engine });
      configure(engine);
      return engine;
    },
  });
}
