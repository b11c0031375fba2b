// Reads a file a slice at a time, into buffers used again: so that a file of any size streams
// through the decoder (decoder-client.js sends each slice to the decoding worker, which gives the
// buffer back once it has decoded it).

// The size of a slice.
const SLICE_BYTES = 4 * 1024 * 1024;
// A read of the byte stream that gives nothing for this long is taken as a failed stream: the
// slice is read on its own instead. (Chromium's stream of a dropped file was seen to never answer
// its first read, now and then; a slow disk only costs the buffer reuse.)
const STALL_MS = 5000;
// Buffers kept for reuse: as many as can be in flight (the decoder client reads 3 slices ahead of
// the decoding worker) and the one being read.
const POOL_MAX = 4;

// The buffers of slices decoded and given back, read into again: a new 4 MB buffer per slice is
// backed by fresh, zeroed memory each time, on the core the worker shares with the page.
const pool = [];

/** Takes back the buffer of a slice the decoding worker has decoded. */
export function giveBack(buffer) {
  if (pool.length < POOL_MAX) pool.push(buffer);
}

function pooled() {
  while (pool.length) {
    const b = pool.pop();
    if (b.byteLength === SLICE_BYTES) return b;
  }
  return new ArrayBuffer(SLICE_BYTES);
}

/** `promise`, or a rejection once it has given nothing for STALL_MS. */
function withinStall(promise) {
  let timer;
  const stall = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the file stream stalled')), STALL_MS);
  });
  return Promise.race([promise, stall]).finally(() => clearTimeout(timer));
}

/**
 * Reads `file` from the start, a slice at a time: `read(at)` gives {buffer, length} of the
 * SLICE_BYTES bytes at `at` (fewer at the end; `at` only ever grows by what was read), into a
 * pooled buffer through the file's byte stream where the browser can read it into a given buffer;
 * otherwise, or from the first read of the stream that fails or stalls, each slice is read on its own
 * (`File.slice().arrayBuffer()`, a new buffer each time). `read.close()` stops the stream;
 * `read.sliceBytes` is the size of a slice.
 */
export function sliceReader(file) {
  let reader = null;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    // no byte stream here
  }
  const sliced = async (at) => {
    const buffer = await file.slice(at, at + SLICE_BYTES).arrayBuffer();
    return { buffer, length: buffer.byteLength };
  };
  const streamed = async () => {
    let buffer = pooled();
    let length = 0;
    while (length < SLICE_BYTES) {
      const { value, done } = await withinStall(reader.read(new Uint8Array(buffer, length, SLICE_BYTES - length)));
      if (done) {
        if (!value) throw new Error('the file could not be read to its end');
        buffer = value.buffer; // what was read so far is in it
        break;
      }
      buffer = value.buffer;
      length += value.byteLength;
    }
    return { buffer, length };
  };
  const read = async (at) => {
    if (reader) {
      try {
        return await streamed();
      } catch {
        // The stream failed: the same bytes, and the rest, a slice at a time.
        reader.cancel().catch(() => {});
        reader = null;
      }
    }
    return sliced(at);
  };
  read.close = () => reader?.cancel().catch(() => {});
  read.sliceBytes = SLICE_BYTES;
  return read;
}
