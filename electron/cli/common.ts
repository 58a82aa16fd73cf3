import { resolve } from 'node:path';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { OrdoError, isErrorCode } from '../../shared/errors';
import { escapeUnsafe } from '../../shared/domain/text';
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

/*
 * Nothing the CLI prints may drive the terminal: a patient's name stored by an older Ordo (or
 * written into the database by hand) can hold ESC sequences, C1 controls or bidi overrides. Every
 * character the text policy refuses (shared/domain/text.ts) is printed as \uXXXX, visible and
 * inert: in JSON lines (JSON.stringify escapes C0 controls but leaves C1, U+2028 and the bidi
 * controls raw; \uXXXX is the same string to a JSON reader) as in text for people.
 */

/** Text for a terminal: every refused character as \uXXXX, line breaks kept. */
export function printable(text: string): string {
  return text.split('\n').map(escapeUnsafe).join('\n');
}

/** One JSON value per line on stdout: the machine-readable output of every command. */
export function out(value: unknown): void {
  process.stdout.write(`${escapeUnsafe(JSON.stringify(value))}\n`);
}

/** Text for people on stdout (a listing). */
export function print(text: string): void {
  process.stdout.write(`${printable(text)}\n`);
}

/** One tab-separated row on stdout: a tab inside a field is escaped like any control character. */
export function printRow(fields: readonly string[]): void {
  process.stdout.write(`${fields.map(escapeUnsafe).join('\t')}\n`);
}

/** A message for people, on stderr. */
export function say(message: string): void {
  process.stderr.write(`${printable(message)}\n`);
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
