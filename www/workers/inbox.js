// The slices of the file being decoded, as the page sends them ('slice' posts), by the id of the
// 'decodeFile' request they are for. The page reads the file, not this worker: a worker busy in
// WASM takes in nothing of its own reads until it is done, so reading here would stop whenever
// decoding runs. The slices bypass the request queue, where the request waiting for them is
// ahead of them.

const inbox = new Map(); // request id -> {slices: [message], wake: resolve | null}

function inboxOf(id) {
  if (!inbox.has(id)) inbox.set(id, { slices: [], wake: null });
  return inbox.get(id);
}

/** Takes a 'slice' post from the page. */
export function sliceArrived(msg) {
  const box = inboxOf(msg.id);
  // Stop: what was read is kept, the slices not yet decoded are not (the user wants it now).
  if (msg.stop) box.slices.length = 0;
  if (box.wake) {
    const wake = box.wake;
    box.wake = null;
    wake(msg);
  } else {
    box.slices.push(msg);
  }
}

/** The next slice of request `id`: {bytes: ArrayBuffer, length} (0 at the end), {error}, {abort} or {stop}. */
export function nextSlice(id) {
  const box = inboxOf(id);
  if (box.slices.length) return Promise.resolve(box.slices.shift());
  return new Promise((resolve) => { box.wake = resolve; });
}

/** Forgets request `id` once it is done. */
export function dropSlices(id) {
  inbox.delete(id);
}
