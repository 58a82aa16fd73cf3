/** Contract calls on an in-process app, as the adapters make them (`dispatch`), for the tests. */
import type { OrdoApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import type { Result } from '../../shared/errors';

/** `call` answers the Result; `value` the value, or throws with the code and the French message. */
export function callsOn(app: () => OrdoApp) {
  const call = (name: string, input: unknown) => dispatch(app().services, name, input);
  async function value<T>(name: string, input: unknown): Promise<T> {
    const result = (await call(name, input)) as Result<T>;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  return { call, value };
}
