/**
 * The single path from an adapter (IPC, HTTP, CLI) to a service: check the call name, parse the
 * input with the contract, run the service, check the output, and wrap everything in a result
 * envelope. Nothing thrown inside ever crosses the boundary as is.
 */
import { z } from 'zod';
import { contract, isCallName, type CallName, type CallOutput, type ParsedInput } from '../shared/contract';
import { fieldErrorsOf } from '../shared/domain/validation';
import { OrdoError, type OrdoErrorPayload, type Result } from '../shared/errors';
import { createLogger } from './log';

const log = createLogger('dispatch');

export type ServiceTable = {
  [N in CallName]: (input: ParsedInput<N>) => CallOutput<N> | Promise<CallOutput<N>>;
};

export async function dispatch(services: ServiceTable, name: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isCallName(name)) return { ok: false, error: new OrdoError('UNKNOWN_CALL').toPayload() };
  const spec = contract[name];
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    return { ok: false, error: new OrdoError('INVALID_INPUT', undefined, fieldErrorsOf(parsed.error)).toPayload() };
  }
  try {
    const run = services[name] as (input: unknown) => unknown;
    const value: unknown = await run(parsed.data);
    const checked = (spec.output as z.ZodType).safeParse(value);
    if (!checked.success) {
      log.error('service output does not match the contract', { call: name, issues: checked.error.issues.length });
      return { ok: false, error: new OrdoError('INTERNAL').toPayload() };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error, name) };
  }
}

export function toErrorPayload(error: unknown, call: string): OrdoErrorPayload {
  if (error instanceof OrdoError) return error.toPayload();
  log.error('service failed', { call, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  const isSqlite = error instanceof Error && error.name === 'SqliteError';
  return new OrdoError(isSqlite ? 'DATABASE_ERROR' : 'INTERNAL').toPayload();
}

/** The part of the service table that implements one group of calls (shared/calls/<domain>.ts). */
export type ServicesFor<Calls> = { [N in keyof Calls & CallName]: ServiceTable[N] };
