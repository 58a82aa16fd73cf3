/**
 * What an adapter talks to: contract calls in, results and pushed events out. The service-worker
 * client is the one the app and the host use; an in-process backend (app.ts) serves tests and the
 * one-shot CLI commands. Both end in the same `dispatch`.
 */
import type { PushedEvent } from '../../shared/events';
import type { Result } from '../../shared/errors';

export type EventListener = (event: PushedEvent) => void;

export interface Backend {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: EventListener): () => void;
}

/** Fans pushed events out to the adapter's listeners; a listener that throws does not stop the others. */
export function eventFanout() {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: PushedEvent): void {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // one broken subscriber (a closed SSE stream) never stops the others
        }
      }
    },
  };
}
