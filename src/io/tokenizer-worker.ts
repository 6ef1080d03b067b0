// The thread tokenizers run in (started by src/io/tokenizer-sandbox.ts): it builds and encodes, one
// request at a time, and answers each with its id. It keeps the last tokenizers it built
// (src/core/tokenizer/measure.ts), so a request may come without the file's text: the answer
// `measured: undefined` asks for it.
import { parentPort } from 'node:worker_threads';
import { measureTokenizerJson, type MeasureRequest } from '../core/tokenizer/measure.js';

parentPort?.on('message', (message: { id: number; request: MeasureRequest }) => {
  parentPort?.postMessage({ id: message.id, measured: measureTokenizerJson(message.request) });
});
