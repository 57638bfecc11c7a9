// The Web Worker (a module worker) that generates cities and runs the attack lab off the page's
// thread. Each message is { id, message } with a ToWorker as JSON (app/model/src/protocol.rs);
// each reply is { id, reply } with a FromWorker as JSON, and { id, reply, bytes } for a city, whose
// bytes are moved to the page. The WebAssembly module reads and writes every message; this script
// only writes "unavailable" when the module cannot load (the page then does the work itself). The
// page cancels by terminating this worker.
import init, { handle } from './within500_worker.js';

const ready = init();

self.onmessage = async (event) => {
  const { id, message } = event.data;
  try {
    await ready;
  } catch (e) {
    const reply = JSON.stringify({ kind: 'unavailable', message: String(e && e.message ? e.message : e) });
    self.postMessage({ id, reply });
    return;
  }
  handle(message, (reply, bytes) => {
    if (bytes === undefined) self.postMessage({ id, reply });
    else self.postMessage({ id, reply, bytes: bytes.buffer }, [bytes.buffer]);
  });
};
