/** The inside of the search thread (searcher.ts): one index, loaded on request, searched on request. */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { toErrorPayload } from '../dispatch';
import { loadIndex, pageOf, type FromSearchThread, type SearchPage, type SearchThreadData, type ToSearchThread } from './searcher';
import type { DrugSearchIndex } from './search-index';

const none: SearchPage = { groups: [], totalGroups: 0 };

export function runSearchThread(data: SearchThreadData, port: MessagePort): void {
  let index: DrugSearchIndex | undefined;
  const answer = (message: ToSearchThread): void => {
    let reply: FromSearchThread;
    try {
      if (message.type === 'load') {
        const loaded = loadIndex(message.file, data.sqlite);
        index = loaded.index;
        reply = { type: 'loaded', id: message.id, meta: loaded.meta };
      } else if (message.type === 'searchMany') {
        const pages: SearchPage[] = [];
        for (const query of message.queries) {
          // A search the GP is waiting for goes before the rest of a batch asked ahead of time.
          for (let waiting = receiveMessageOnPort(port); waiting !== undefined; waiting = receiveMessageOnPort(port)) answer(waiting.message as ToSearchThread);
          pages.push(index === undefined ? none : pageOf(index, query, message.options));
        }
        reply = { type: 'results', id: message.id, pages };
      } else {
        reply = { type: 'result', id: message.id, page: index === undefined ? none : pageOf(index, message.query, message.options) };
      }
    } catch (error) {
      reply = { type: 'error', id: message.id, error: toErrorPayload(error, 'drugs.search') };
    }
    port.postMessage(reply);
  };
  port.on('message', answer);
}
