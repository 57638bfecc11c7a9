// The Web Worker (a module worker) that generates cities and runs the attack lab off the page's
// thread. Each message is { id, message } with a ToWorker as JSON (app/model/src/protocol.rs);
// each reply is { id, reply } with a FromWorker as JSON, and { id, reply, bytes } for a city, whose
// bytes are moved to the page. The WebAssembly module reads and writes every message; this script
// writes "unavailable" when the module cannot load (the page then does the work itself), and
// spreads a large city's parts over helper workers: copies of this script, which draw the parts
// they are given ({ part, message }) and move each back as bytes ({ part, bytes } or
// { part, error }). The parts make the same city in any order, so a helper that fails only means
// its part is drawn here. `workers` in a message caps the workers used (tests compare 1 with
// many); by default as many as the machine has cores, at least 2. The page cancels by terminating
// this worker, which ends its helpers with it.
import init, { handle, city_parts, generate_part, progress_reply, finish } from './within500_worker.js';

const ready = init();

self.onmessage = async (event) => {
  const data = event.data;
  try {
    await ready;
  } catch (e) {
    const message = String(e && e.message ? e.message : e);
    if (data.part !== undefined) self.postMessage({ part: data.part, error: message });
    else self.postMessage({ id: data.id, reply: JSON.stringify({ kind: 'unavailable', message }) });
    return;
  }
  if (data.part !== undefined) {
    drawPart(data);
    return;
  }
  const { id, message } = data;
  const post = (reply, bytes) => {
    if (bytes === undefined) self.postMessage({ id, reply });
    else self.postMessage({ id, reply, bytes: bytes.buffer }, [bytes.buffer]);
  };
  const parts = city_parts(message);
  const workers = Math.min(parts, data.workers ?? Math.max(2, navigator.hardwareConcurrency || 2));
  if (parts === 0 || workers < 2 || typeof Worker !== 'function') handle(message, post);
  else await spread(message, parts, workers, post);
};

// A helper's job: one part, moved back as bytes.
function drawPart({ part, message }) {
  try {
    const bytes = generate_part(message, part);
    self.postMessage({ part, bytes: bytes.buffer }, [bytes.buffer]);
  } catch (e) {
    self.postMessage({ part, error: String(e && e.message ? e.message : e) });
  }
}

// Draws the city's parts here and in `workers - 1` helpers, each taking the next part not yet
// given out, then joins them here. A helper that fails gives its part back, to be drawn here.
async function spread(message, parts, workers, post) {
  const PARTS_SHARE = 0.8; // of the progress bar: joining takes the rest
  const drawn = [];
  const givenBack = [];
  let next = 0;
  let wake = () => {};
  const take = () => (givenBack.length > 0 ? givenBack.shift() : next < parts ? next++ : undefined);
  const done = (bytes) => {
    drawn.push(bytes);
    const reply = progress_reply(message, (PARTS_SHARE * drawn.length) / parts);
    if (reply !== undefined) post(reply);
  };
  const helpers = [];
  const give = (helper) => {
    helper.holding = take();
    if (helper.holding !== undefined) helper.postMessage({ part: helper.holding, message });
  };
  const retire = (helper) => {
    if (helper.holding !== undefined) givenBack.push(helper.holding);
    helper.holding = undefined;
    helper.onmessage = null;
    helper.onerror = null;
    helper.terminate();
    wake();
  };
  for (let w = 1; w < workers; w++) {
    let helper;
    try {
      helper = new Worker(new URL(import.meta.url), { type: 'module' });
    } catch {
      break;
    }
    helper.onmessage = (event) => {
      const { bytes, error } = event.data;
      if (error !== undefined) {
        retire(helper);
        return;
      }
      helper.holding = undefined;
      done(new Uint8Array(bytes));
      give(helper);
      wake();
    };
    helper.onerror = (event) => {
      event.preventDefault();
      retire(helper);
    };
    helpers.push(helper);
    give(helper);
  }
  // This worker draws parts too, letting the helpers' replies in between, and waits for theirs.
  while (drawn.length < parts) {
    const part = take();
    if (part !== undefined) {
      done(generate_part(message, part));
      await new Promise((resolve) => setTimeout(resolve, 0));
    } else {
      await new Promise((resolve) => {
        wake = resolve;
      });
    }
  }
  for (const helper of helpers) helper.terminate();
  finish(message, drawn, PARTS_SHARE, post);
}
