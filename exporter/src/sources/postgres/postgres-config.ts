// The `postgres` source's config: where the inference table is and which columns hold what.
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../../config/duration-schema.ts';

/** A column or table name: quoted in the SQL, never spliced in as an expression. */
const identifier = z.string().min(1).max(63);

export const postgresConnectionSchema = z
  .strictObject({
    /** Host name, address, or a Unix-socket folder (starting with `/`). */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    /** Name of the environment variable that holds the password. */
    password_env: z.string().min(1).optional(),
    /** File whose content (trailing newline removed) is the password, e.g. a mounted secret. */
    password_file: z.string().min(1).optional(),
    ssl_mode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
    /** PEM CA bundle for `verify-full`. */
    ssl_ca_file: z.string().min(1).optional(),
    connect_timeout: durationSchema.default('10s'),
    /** Server-side `statement_timeout` and client-side limit of one read's queries. */
    query_timeout: durationSchema.default('60s'),
  })
  .refine((c) => !(c.password_env && c.password_file), {
    message: 'give password_env or password_file, not both',
  });

export const postgresColumnsSchema = z.strictObject({
  /** `timestamptz` (or `timestamp`, read as UTC): the record's time, which picks its slice. */
  timestamp: identifier,
  /**
   * An ingestion sequence (e.g. a `bigserial` id) used as the watermark: exactly-once reads, late
   * timestamps included. Without it the watermark is the timestamp itself.
   */
  sequence: identifier.optional(),
  /** A column naming the model: only rows equal to `model_value` are read. Absent: every row. */
  model: identifier.optional(),
  model_value: z.string().optional(),
  /** Feature name → column. A feature left out is read from the column of its own name. */
  features: z.record(z.string(), identifier).default({}),
  /** The column of the model's prediction, when the model has one (default: its own name). */
  prediction: identifier.optional(),
});

/** `kind: labels`: a table (or query) of delayed labels, joined by id to predictions already seen. */
export const postgresLabelColumnsSchema = z
  .strictObject({
    /** The record id the label belongs to, compared as text with the predictions' `id`. */
    id: identifier,
    /** The label: a number or text (integers and booleans arrive as their text, e.g. `1`, `true`). */
    label: identifier,
    /** When the label became known (`timestamptz`, or `timestamp` read as UTC); arrival time otherwise. */
    timestamp: identifier.optional(),
    /** An ingestion sequence used as the watermark (preferred); without it, the timestamp is. */
    sequence: identifier.optional(),
    /** A column naming the model: only rows equal to `model_value` are read. Absent: every row. */
    model: identifier.optional(),
    model_value: z.string().optional(),
  })
  .refine((c) => c.timestamp !== undefined || c.sequence !== undefined, {
    message: 'give sequence or timestamp (or both): one of them is the watermark',
  });

/** What the two kinds share: where the table is, how to reach it, how often and how much to read. */
const common = {
  type: z.literal('postgres'),
  name: sourceNameSchema,
  /** The configured model whose windows this table feeds. */
  model: z.string(),
  interval: durationSchema.default('15s'),
  connection: postgresConnectionSchema,
  /** `table` or `schema.table`. */
  table: z.string().min(1).optional(),
  /** A SELECT (read as a subquery) instead of a table, e.g. a join or a conversion of columns. */
  query: z.string().min(1).optional(),
  /**
   * Rows older than this are never read. Records: default the model's longest window. Labels: by
   * their timestamp column, when there is one; default the model's `labels.max_delay`.
   */
  lookback: durationSchema.optional(),
  /**
   * Timestamp watermark only: rows are read up to the database's now() minus this, so rows that
   * commit a little after their timestamp are still counted. Default: none.
   */
  settle: durationSchema.optional(),
};

const oneRelation = {
  message: 'give exactly one of table or query',
};

export const postgresRecordsSourceSchema = z
  .strictObject({
    ...common,
    /** `records` (default): inference records, aggregated by the database. */
    kind: z.literal('records').default('records'),
    columns: postgresColumnsSchema,
    /** Sequence watermark only: at most this many rows per read; a full read is followed by the next at once. */
    batch_rows: z.number().int().min(1).max(100_000_000).default(5_000_000),
  })
  .refine((c) => (c.table === undefined) !== (c.query === undefined), oneRelation);

export const postgresLabelsSourceSchema = z
  .strictObject({
    ...common,
    /** `labels`: delayed labels by record id, read into the exporter and joined to waiting predictions. */
    kind: z.literal('labels'),
    columns: postgresLabelColumnsSchema,
    /** At most this many label rows per read (either watermark); a full read is followed by the next at once. */
    batch_rows: z.number().int().min(1).max(10_000_000).default(50_000),
  })
  .refine((c) => (c.table === undefined) !== (c.query === undefined), oneRelation);

/** `kind` picks the shape; a source without it reads records. */
export const postgresSourceSchema = z.discriminatedUnion('kind', [
  postgresRecordsSourceSchema,
  postgresLabelsSourceSchema,
]);

export type PostgresRecordsConfig = z.infer<typeof postgresRecordsSourceSchema>;
export type PostgresLabelsConfig = z.infer<typeof postgresLabelsSourceSchema>;
export type PostgresSourceConfig = PostgresRecordsConfig | PostgresLabelsConfig;
export type PostgresColumns = z.infer<typeof postgresColumnsSchema>;
export type PostgresLabelColumns = z.infer<typeof postgresLabelColumnsSchema>;
export type PostgresConnection = z.infer<typeof postgresConnectionSchema>;
