// The `postgres` source: an inference table whose drift statistics are aggregated by the database.
// Every interval it reads the rows past its watermark in one scan, streamed in COPY's binary
// format (postgres-sql.ts) and counted per time slice as they arrive (postgres-rows.ts), adds the
// counts to the model's windows and moves the watermark on disk. No row is kept: memory is one
// accumulator per time slice.
// With `kind: labels` it reads a table of delayed labels instead (postgres-labels.ts): those small
// rows do come to Node, past the same kind of watermark, and are joined by id to the predictions
// waiting in the model's join buffer. The predictions must carry ids, so they come from a source
// that keeps single records (HTTP, file): the records mode here only keeps counts, never ids.
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { parseDuration } from '../../util/duration.ts';
import type { PostgresLabelsConfig, PostgresRecordsConfig, PostgresSourceConfig } from './postgres-config.ts';
import { labelCapQuery, labelRowsQuery, toLabel, type LabelRange, type LabelRow } from './postgres-labels.ts';
import { SliceCounter, type SliceAggregate } from './postgres-rows.ts';
import {
  planSlots,
  rowsCopyQuery,
  sequenceBatchQuery,
  sequenceSpanQuery,
  timestampBoundsQuery,
  type Bounds,
  type PlannedSlot,
} from './postgres-sql.ts';
import { WatermarkFile, watermarkIdentity, type Watermark } from './postgres-watermark.ts';
import { IntervalRunner } from '../interval-runner.ts';
import type { SinkModel, Source, SourceContext, SourceSink } from '../source.ts';

/** Bounded reasons of `mlmon_source_errors_total{reason}`. */
export type PostgresFailure = 'credentials' | 'connect' | 'query' | 'timeout' | 'watermark' | 'model_missing';

export interface ReadResult {
  records: number;
  /** A full batch was read: more rows are waiting, so the next read starts at once. */
  more: boolean;
  error?: PostgresFailure;
}

class StageError extends Error {
  constructor(
    readonly reason: PostgresFailure,
    readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

export class PostgresSource implements Source {
  readonly name: string;
  readonly model: string;
  private readonly sink: SourceSink;
  private readonly intervalMs: number;
  private readonly watermarkFile: WatermarkFile;
  private readonly planned: PlannedSlot[];
  private readonly lookbackMs: number;
  private readonly sliceMs: number;
  private readonly longestMs: number;
  private readonly queryTimeoutMs: number;
  private client?: pg.Client;
  private watermark?: Watermark;
  private watermarkLoaded = false;
  private readonly runner: IntervalRunner;
  private lastFailure?: string;

  constructor(
    readonly config: PostgresSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
    this.model = config.model;
    this.sink = context.sink;
    this.intervalMs = parseDuration(config.interval)!;
    const entry = this.sink.model(config.model);
    if (!entry) throw new Error(`source ${config.name}: model "${config.model}" is not configured`);
    this.planned = config.kind === 'labels' ? [] : planSlots(config, entry.windows);
    this.sliceMs = entry.windows.finestSliceMs;
    const longest = Math.max(...entry.windows.windows.map((w) => w.ms));
    this.longestMs = longest;
    this.queryTimeoutMs = parseDuration(config.connection.query_timeout)!;
    // A label older than the join buffer's max_delay can only find its prediction evicted.
    const fallback = config.kind === 'labels' ? entry.joinBuffer.maxDelayMs : longest;
    this.lookbackMs = config.lookback !== undefined ? parseDuration(config.lookback)! : fallback;
    this.watermarkFile = new WatermarkFile(context.storagePath, config.name, watermarkIdentity(config));
    // A read that stopped at its batch limit runs again at once, to catch up.
    this.runner = new IntervalRunner(this.intervalMs, async () => ((await this.read()).more ? 'more' : undefined));
  }

  /** The watermark moves in the same synchronous step as its counts (or labels) are added to the model. */
  checkpoint(): unknown {
    if (this.watermarkLoaded) return this.watermark ?? null;
    try {
      return this.watermarkFile.load() ?? null;
    } catch {
      return null; // an unreadable watermark file: the first read reports it
    }
  }

  resume(checkpoint: unknown): void {
    const watermark = checkpoint as Watermark | null;
    this.watermark = watermark?.mode === this.mode ? watermark : undefined;
    this.watermarkLoaded = true;
    if (this.watermark) this.watermarkFile.save(this.watermark);
  }

  start(): void {
    this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.disconnect();
  }

  /** One read: never throws; its outcome is reported through the source health. */
  async read(): Promise<ReadResult> {
    const started = performance.now();
    const entry = this.sink.model(this.config.model);
    if (!entry) {
      this.sink.sourceFailed(this.name, 'model_missing');
      return { records: 0, more: false, error: 'model_missing' };
    }
    try {
      const client = await this.connection();
      const watermark = this.loadWatermark();
      const { records, more } =
        this.config.kind === 'labels'
          ? await this.readLabels(client, this.config, watermark)
          : await this.readRecords(client, this.config, watermark, entry);
      this.sink.sourceSucceeded(this.name, { durationMs: performance.now() - started, records });
      if (this.lastFailure !== undefined) console.error(`mlmon-exporter: source ${this.name}: reading again`);
      this.lastFailure = undefined;
      return { records, more };
    } catch (err) {
      const reason = err instanceof StageError ? err.reason : 'query';
      await this.disconnect();
      this.sink.sourceFailed(this.name, reason, { durationMs: performance.now() - started });
      const message = `${reason}: ${(err as Error).message}`;
      // One line per change of trouble, not one per interval. pg's messages carry no password.
      if (message !== this.lastFailure) console.error(`mlmon-exporter: source ${this.name}: ${message}`);
      this.lastFailure = message;
      return { records: 0, more: false, error: reason };
    }
  }

  /** Records: the database aggregates the rows past the watermark; the counts go into the windows. */
  private async readRecords(
    client: pg.Client,
    config: PostgresRecordsConfig,
    watermark: Watermark | undefined,
    entry: SinkModel,
  ): Promise<{ records: number; more: boolean }> {
    const { bounds, more, slices } = await this.aggregate(client, config, watermark);
    let records = 0;
    if (bounds) {
      // The watermark is durable before the counts are added: a read whose position cannot be
      // saved adds nothing and is retried, so no restart can count its rows twice.
      this.commitWatermark(bounds.upTo);
      const now = Date.now();
      for (const slice of slices) {
        entry.windows.addAggregate(slice.ts, now, slice.records, slice.features);
        records += slice.records;
      }
    }
    return { records, more };
  }

  /** Saves the watermark durably, then moves it in memory; a failed save moves nothing. */
  private commitWatermark(value: Watermark['value']): void {
    const next: Watermark = { mode: this.mode, value };
    try {
      this.watermarkFile.save(next);
    } catch (err) {
      throw new StageError('watermark', err);
    }
    this.watermark = next;
  }

  /**
   * Labels: the rows past the watermark come to Node and each is joined by id to its waiting
   * prediction. As for records, the watermark is saved first, then moved in memory and the labels
   * delivered in one synchronous step, so neither a restart nor a snapshot delivers a label twice.
   * Rows with a NULL id or label are counted as rejected (`missing`) and skipped.
   */
  private async readLabels(
    client: pg.Client,
    config: PostgresLabelsConfig,
    watermark: Watermark | undefined,
  ): Promise<{ records: number; more: boolean }> {
    const { rows, labelType, upTo, more } = await this.fetchLabels(client, config, watermark);
    if (upTo !== undefined) {
      this.commitWatermark(upTo);
    }
    const now = Date.now();
    let records = 0;
    for (const row of rows) {
      const label = toLabel(row, labelType);
      if ('rejection' in label) {
        this.sink.countRejected(label.rejection);
        continue;
      }
      if (this.sink.receiveLabel(config.model, label, now) === 'unknown_model') {
        this.sink.countRejected('unknown_model');
        continue;
      }
      records++;
    }
    return { records, more };
  }

  /** The label rows past the watermark (at most `batch_rows`, ending on a whole watermark value), in one snapshot. */
  private async fetchLabels(
    client: pg.Client,
    config: PostgresLabelsConfig,
    watermark: Watermark | undefined,
  ): Promise<{ rows: LabelRow[]; labelType?: number; upTo?: string; more: boolean }> {
    const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<T>> => {
      try {
        return await client.query<T>(text, values);
      } catch (err) {
        throw new StageError(failureOf(err), err);
      }
    };
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', []);
    const range: LabelRange = { after: watermark?.value };
    let upTo: string | undefined;
    if (this.mode === 'timestamp') {
      const settle = config.settle !== undefined ? parseDuration(config.settle)! : 0;
      const bq = timestampBoundsQuery(settle);
      upTo = range.upTo = (await query<{ top: string }>(bq.text, bq.values)).rows[0].top;
    }
    const cq = labelCapQuery(config, this.lookbackMs, range, config.batch_rows);
    const [cap] = (await query<{ capped: string; more: boolean }>(cq.text, cq.values)).rows;
    // A full batch ends on the watermark value of its last row, ties included.
    if (cap) upTo = range.upTo = cap.capped;
    const rq = labelRowsQuery(config, this.lookbackMs, range);
    const result = await query<LabelRow>(rq.text, rq.values);
    await query('COMMIT', []);
    const rows = result.rows;
    // Sequence watermark and no full batch: up to the last row read (none: the watermark stays).
    if (upTo === undefined && rows.length > 0) upTo = rows[rows.length - 1].m;
    const labelType = result.fields.find((field) => field.name === 'label')?.dataTypeID;
    return { rows, labelType, upTo, more: cap?.more ?? false };
  }

  private get mode(): Watermark['mode'] {
    return this.config.columns.sequence !== undefined ? 'sequence' : 'timestamp';
  }

  private loadWatermark(): Watermark | undefined {
    if (!this.watermarkLoaded) {
      try {
        const saved = this.watermarkFile.load();
        this.watermark = saved?.mode === this.mode ? saved : undefined;
      } catch (err) {
        throw new StageError('watermark', err);
      }
      this.watermarkLoaded = true;
    }
    return this.watermark;
  }

  /** Bounds and aggregate in one read-only snapshot; no bounds when nothing new is there. */
  private async aggregate(
    client: pg.Client,
    config: PostgresRecordsConfig,
    watermark: Watermark | undefined,
  ): Promise<{ bounds?: Bounds; more: boolean; slices: SliceAggregate[] }> {
    const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> => {
      try {
        return (await client.query<T>(text, values)).rows;
      } catch (err) {
        throw new StageError(failureOf(err), err);
      }
    };
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', []);
    let bounds: Bounds | undefined;
    let more = false;
    if (this.mode === 'sequence') {
      const batch = config.batch_rows;
      const sq = sequenceSpanQuery(config, watermark?.value, batch);
      const [{ top, fits }] = await query<{ top: string | null; fits: boolean | null }>(sq.text, sq.values);
      let upTo = top;
      if (top !== null && !fits) {
        const bq = sequenceBatchQuery(config, watermark?.value, batch);
        const [{ capped }] = await query<{ capped: string | null }>(bq.text, bq.values);
        more = capped !== null && capped !== top;
        upTo = capped ?? top;
      }
      if (upTo !== null) bounds = { after: watermark?.value, upTo };
    } else {
      const settle = config.settle !== undefined ? parseDuration(config.settle)! : 0;
      const bq = timestampBoundsQuery(settle);
      const [{ top }] = await query<{ top: string }>(bq.text, bq.values);
      bounds = { after: watermark?.value, upTo: top };
    }
    let slices: SliceAggregate[] = [];
    if (bounds) {
      const copy = rowsCopyQuery(config, this.planned, this.lookbackMs, bounds, (text) => client.escapeLiteral(text));
      // Rows stamped later than the read can last (the server's limit, the client's 5 s after it)
      // go to the window at its now: one accumulator holds them all.
      const counter = new SliceCounter(
        this.planned,
        this.sliceMs,
        this.longestMs,
        Date.now(),
        this.queryTimeoutMs + 5000,
      );
      try {
        const { to } = await import('pg-copy-streams');
        // Chunk by chunk, with back-pressure: the socket is read as fast as the rows are counted.
        for await (const chunk of client.query(to(copy))) counter.write(chunk as Buffer);
        slices = counter.finish();
      } catch (err) {
        throw new StageError(failureOf(err), err);
      }
    }
    await query('COMMIT', []);
    return { bounds, more, slices };
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = this.config.connection;
    let password: string | undefined;
    try {
      if (c.password_env !== undefined) {
        password = process.env[c.password_env];
        if (password === undefined) throw new Error(`environment variable ${c.password_env} is not set`);
      } else if (c.password_file !== undefined) {
        password = readFileSync(c.password_file, 'utf8').replace(/\r?\n$/, '');
      }
    } catch (err) {
      throw new StageError('credentials', err);
    }
    let ssl: pg.ClientConfig['ssl'] = false;
    try {
      if (c.ssl_mode === 'require') ssl = { rejectUnauthorized: false };
      if (c.ssl_mode === 'verify-full') {
        ssl = { rejectUnauthorized: true, ca: c.ssl_ca_file ? readFileSync(c.ssl_ca_file, 'utf8') : undefined };
      }
    } catch (err) {
      throw new StageError('credentials', err);
    }
    const queryTimeoutMs = parseDuration(c.query_timeout)!;
    // Loaded on first use: an exporter without a postgres source never holds the driver in memory.
    const { default: driver } = await import('pg');
    const client = new driver.Client({
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      password,
      ssl,
      application_name: 'mlmon-exporter',
      connectionTimeoutMillis: parseDuration(c.connect_timeout)!,
      statement_timeout: queryTimeoutMs,
      // The client-side limit catches a server that stopped answering; the server's comes first.
      query_timeout: queryTimeoutMs + 5000,
      // Timestamp watermarks are kept as text: one time zone and style for every session.
      options: '-c TimeZone=UTC -c DateStyle=ISO,YMD',
    });
    // A connection lost between reads: drop it, the next read reconnects. Never an uncaught error.
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
    });
    try {
      await client.connect();
    } catch (err) {
      client.end().catch(() => {});
      throw new StageError(/timeout/i.test((err as Error).message) ? 'timeout' : 'connect', err);
    }
    this.client = client;
    return client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // A client whose server is gone may never answer end(): do not wait for it.
    await Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
  }
}

/** Why a query failed: the connection, a time limit, or the query itself (e.g. a missing column). */
function failureOf(err: unknown): PostgresFailure {
  const { code, message } = err as { code?: string; message?: string };
  if (code === '57014' || /timeout/i.test(message ?? '')) return 'timeout';
  if (code?.startsWith('08') || code?.startsWith('57P')) return 'connect';
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return 'connect'; // ECONNRESET, EPIPE, …
  if (/Connection terminated|not queryable|closed/i.test(message ?? '')) return 'connect';
  return 'query';
}
