/** A source of records. Each kind lives in its own file and reports its health to the state. */
export interface Source {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}
