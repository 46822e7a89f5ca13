// Runs @yowasp/yosys for flows/synth/yowasp-thread.ts on a worker thread. Yosys runs synchronously
// inside WebAssembly, so only a thread of its own can be stopped when it passes its time limit.
import { parentPort } from 'node:worker_threads';
import { runYosys } from '@yowasp/yosys';

parentPort.on('message', async ({ args, files }) => {
  let log = '';
  const decoder = new TextDecoder();
  const collect = (bytes) => {
    if (bytes) log += decoder.decode(bytes, { stream: true });
  };
  try {
    const written = (await runYosys(args, files, { stdout: collect, stderr: collect })) ?? {};
    parentPort.postMessage({ exitCode: 0, files: written, log });
  } catch (error) {
    // Yosys exiting non-zero is an Exit error with its code and the files written so far.
    if (error instanceof Error && typeof error.code === 'number') {
      parentPort.postMessage({ exitCode: error.code, files: error.files ?? {}, log });
    } else {
      parentPort.postMessage({
        failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
        log,
      });
    }
  }
});
