/** An inference record that passed validation (server/validate-record.ts). */
export interface InferenceRecord {
  model: string;
  features: Record<string, unknown>;
  prediction?: number | string;
  scores?: Record<string, number>;
  label?: number | string;
  id?: string;
  /** Unix epoch milliseconds; arrival time when the record carried none. */
  timestampMs?: number;
  modelVersion?: string;
}
