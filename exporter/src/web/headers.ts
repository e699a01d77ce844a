// The response headers of http_server_config.headers, set on every response (a blank value
// leaves the header unset, as exporter-toolkit does).
import type { WebConfig } from './config-schema.ts';

export function securityHeaders(config: WebConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.http_server_config.headers)) {
    if (typeof value === 'string' && value.trim() !== '') headers[name] = value;
  }
  return headers;
}
