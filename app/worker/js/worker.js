// The Web Worker (a module worker) that generates cities and runs the attack lab off the page's
// thread.
// A city: in { id, seed, people, listedRate }; out { id, progress } as it goes, then { id, city }
// with the city's bytes moved to the page, or { id, error }.
// A lab run: in { id, lab: true, seed, people, listedRate, state, config, protected }; out
// { id, labProgress } (the report so far, JSON) as it goes, then { id, report } or { id, error }.
// Either way { id, unavailable } when the WebAssembly module cannot load (the page then does the
// work itself). The page cancels by terminating this worker.
import init, { generate, lab } from './within500_worker.js';

const ready = init();
const message = (e) => String(e && e.message ? e.message : e);

self.onmessage = async (event) => {
  const { id, seed, people, listedRate } = event.data;
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id, unavailable: message(e) });
    return;
  }
  try {
    if (event.data.lab) {
      const { state, config, protected: shielded } = event.data;
      const report = lab(String(seed), people, listedRate, state, config, shielded, (labProgress) => self.postMessage({ id, labProgress }));
      self.postMessage({ id, report });
    } else {
      const bytes = generate(String(seed), people, listedRate, (progress) => self.postMessage({ id, progress }));
      self.postMessage({ id, city: bytes.buffer }, [bytes.buffer]);
    }
  } catch (e) {
    self.postMessage({ id, error: message(e) });
  }
};
