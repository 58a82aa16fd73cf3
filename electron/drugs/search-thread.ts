/** The inside of the search thread (searcher.ts): one index, loaded on request, searched on request. */
import type { MessagePort } from 'node:worker_threads';
import { toErrorPayload } from '../dispatch';
import { loadIndex, pageOf, type FromSearchThread, type SearchThreadData, type ToSearchThread } from './searcher';
import type { DrugSearchIndex } from './search-index';

export function runSearchThread(data: SearchThreadData, port: MessagePort): void {
  let index: DrugSearchIndex | undefined;
  port.on('message', (message: ToSearchThread) => {
    let reply: FromSearchThread;
    try {
      if (message.type === 'load') {
        const loaded = loadIndex(message.file, data.sqlite);
        index = loaded.index;
        reply = { type: 'loaded', id: message.id, meta: loaded.meta };
      } else {
        reply = { type: 'result', id: message.id, page: index === undefined ? { groups: [], totalGroups: 0 } : pageOf(index, message.query, message.options) };
      }
    } catch (error) {
      reply = { type: 'error', id: message.id, error: toErrorPayload(error, 'drugs.search') };
    }
    port.postMessage(reply);
  });
}
