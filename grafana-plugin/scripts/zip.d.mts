export function writeZip(entries: Array<{ name: string; data?: Buffer }>): Buffer;
export function readZip(buf: Buffer): Array<{ name: string; data: Buffer }>;
