/**
 * The one logger. Lines go to stderr as JSON so that stdout stays free for the CLI's output
 * (`ordo serve` prints exactly one JSON line there). Values under keys that may carry a secret or
 * a patient identifier are redacted.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SENSITIVE = /token|secret|passphrase|password|key|nir|ins|rpps|birth|name|email|phone|address/i;

function threshold(): number {
  const wanted = process.env['ORDO_LOG'];
  if (wanted === 'silent') return Infinity;
  return wanted !== undefined && wanted in levels ? levels[wanted as LogLevel] : levels.info;
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SENSITIVE.test(key) ? '[redacted]' : value instanceof Error ? value.message : value;
  }
  return out;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(scope: string): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < threshold()) return;
    const line = { time: new Date().toISOString(), level, scope, message, ...redact(fields ?? {}) };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
