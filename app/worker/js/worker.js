// The city-generating Web Worker (a module worker). Messages in: { id, seed, people, listedRate }.
// Messages out: { id, progress } as it goes, then { id, city } with the city's bytes moved to the
// page, or { id, error }, or { id, unavailable } when the WebAssembly module cannot load (the page
// then generates the city itself). The page cancels a generation by terminating this worker.
import init, { generate } from './within500_worker.js';

const ready = init();

self.onmessage = async (event) => {
  const { id, seed, people, listedRate } = event.data;
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id, unavailable: String(e && e.message ? e.message : e) });
    return;
  }
  try {
    const bytes = generate(String(seed), people, listedRate, (progress) => self.postMessage({ id, progress }));
    self.postMessage({ id, city: bytes.buffer }, [bytes.buffer]);
  } catch (e) {
    self.postMessage({ id, error: String(e && e.message ? e.message : e) });
  }
};
