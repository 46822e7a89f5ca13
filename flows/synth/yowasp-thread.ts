import { Worker } from 'node:worker_threads';
import { timeLimitError } from '../../testbenches/sim/time-limit.ts';

export type Tree = { [name: string]: Tree | string | Uint8Array };

export interface YowaspOutcome {
  exitCode: number;
  /** The file system after the run: the inputs and every file Yosys wrote. */
  files: Tree;
  log: string;
}

// One thread, kept between runs (it compiles Yosys's WebAssembly once, about 2 s) and replaced after a
// time-out. Runs take turns, as they did on the main thread.
let thread: Worker | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs @yowasp/yosys with these arguments over this file tree; past `seconds` its thread is stopped. */
export function runYowaspThread(args: string[], files: Tree, seconds: number): Promise<YowaspOutcome> {
  const run = queue.then(() => runOnThread(args, files, seconds));
  queue = run.catch(() => undefined);
  return run;
}

function runOnThread(args: string[], files: Tree, seconds: number): Promise<YowaspOutcome> {
  const worker = (thread ??= new Worker(new URL('./yowasp-worker.mjs', import.meta.url)));
  worker.ref();
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.unref(); // an idle thread does not keep bitsmith from exiting
      settle();
    };
    const stop = () => {
      thread = undefined;
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      stop();
      finish(() => reject(timeLimitError('yosys (yowasp)', seconds, 'with its thread', '')));
    }, seconds * 1000);
    const onMessage = (message: YowaspOutcome | { failure: string; log: string }) =>
      finish(() => ('failure' in message ? reject(new Error(message.failure)) : resolve(message)));
    const onError = (error: Error) => {
      stop();
      finish(() => reject(error));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ args, files });
  });
}
