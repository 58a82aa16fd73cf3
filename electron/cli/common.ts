import { resolve } from 'node:path';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { OrdoError, isErrorCode } from '../../shared/errors';
import { createApp, type OrdoApp } from '../app';
import { dispatch } from '../dispatch';
import { defaultDataDir } from '../paths';

/** A mistake in how the command was typed: printed as is, exit code 2. */
export class UsageError extends Error {}

export interface Command {
  /** e.g. "serve [--data-dir D] [--port P]" */
  usage: string;
  /** French, one or more lines. */
  summary: string;
  run(args: string[]): Promise<number> | number;
}

/** One JSON value per line on stdout: the machine-readable output of every command. */
export function out(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A message for people, on stderr. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const dataDirOption = { 'data-dir': { type: 'string' } } as const;

export function dataDirOf(values: { 'data-dir'?: string | undefined }): string {
  return resolve(values['data-dir'] ?? defaultDataDir());
}

/**
 * Runs `work` with the app opened on the data folder, and closes it afterwards. A one-shot
 * command runs everything in its own thread (nothing to keep responsive) and takes no queued job
 * but the one it submits.
 */
export async function withApp<T>(dataDir: string, work: (app: OrdoApp) => T | Promise<T>): Promise<T> {
  const app = createApp({ dataDir, mode: 'host', jobs: { autoRun: false, threads: false } });
  try {
    return await work(app);
  } finally {
    app.close();
  }
}

/** A contract call through `dispatch`, as the other adapters make it: the value, or the typed error thrown. */
export async function call<N extends CallName>(app: OrdoApp, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await dispatch(app.services, name, input);
  if (result.ok) return result.value as CallOutput<N>;
  const { code, message, fields } = result.error;
  const detail = fields === undefined ? '' : ` ${Object.values(fields).join(' ')}`;
  throw new OrdoError(isErrorCode(code) ? code : 'INTERNAL', `${message}${detail}`);
}
