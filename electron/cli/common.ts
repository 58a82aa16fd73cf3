import { resolve } from 'node:path';
import { createApp, type OrdoApp } from '../app';
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

/** Runs `work` with the app opened on the data folder, and closes it afterwards. */
export async function withApp<T>(dataDir: string, work: (app: OrdoApp) => T | Promise<T>): Promise<T> {
  const app = createApp({ dataDir, mode: 'host' });
  try {
    return await work(app);
  } finally {
    app.close();
  }
}
