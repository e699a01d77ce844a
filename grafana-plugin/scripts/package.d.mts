export const PLUGIN_DIR: string;
export function buildIsStale(): boolean;
export function build(): void;
export function ensureBuilt(): void;
export function packagePlugin(): string;
