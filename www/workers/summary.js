// The summary worker: makes the Summary section of an input while the decoding worker decodes it,
// so that the summary waits neither for the decode nor for a second pass over the records. It
// keeps no record: the decoding worker hands it what the summary reads of each one, a slice of the
// input at a time, over the channel the page gives them ('connect'), and it tallies them as they
// come. It explains addresses with the ip-ranges the decoding worker chose (the page hands it the
// same text: 'useRanges') or the user's file ('loadRanges'). The messages are in ../protocol.js.
import './lockdown.js'; // first: before any other module runs
import { SummarySession } from '../pkg/flowlens.js';
import { CHANNEL, EVENT, OP } from '../protocol.js';
import { loadUserRanges, useRangesText } from './ipranges.js';
import { enqueue, open, serve, session, wasmReady, warmUp } from './session.js';

open(() => new SummarySession());

let dataId = 0; // the summaryId whose summary the session holds (0: none, or one being tallied)

// The ip-ranges, once the page has handed over the decoding worker's choice.
let rangesGiven = null;
const ranges = new Promise((resolve) => { rangesGiven = resolve; });

// This worker's end of the channel to the decoding worker ('connect').
let decoderPort = null;

// One summary at a time; a new one drops the one before.
const tallies = new Map(); // summaryId -> {done: Promise, resolve, reject}
let tallying = 0; // the summaryId being received
// The summaryId whose decode failed before its end (its tally is still in the session, until the
// next 'begin'): when its decoding worker crashed, the page asks for what was tallied ('salvage').
let stopped = 0;
let memoryTold = 0; // the WASM memory last told to the page

function tallyOf(summaryId) {
  let t = tallies.get(summaryId);
  if (!t) {
    t = {};
    t.done = new Promise((resolve, reject) => Object.assign(t, { resolve, reject }));
    t.done.catch(() => {}); // a summary nobody asks for may fail unobserved
    tallies.set(summaryId, t);
  }
  return t;
}

function tallyMessage(m) {
  if (m.type === CHANNEL.begin) {
    for (const [k, t] of tallies) if (k !== m.summaryId) t.reject(new Error('replaced by a newer input'));
    for (const k of [...tallies.keys()]) if (k < m.summaryId) tallies.delete(k);
    tallying = m.summaryId;
    stopped = 0;
    dataId = 0;
    session.begin();
    return;
  }
  if (m.summaryId !== tallying) return;
  if (m.type === CHANNEL.fields) {
    session.push(new Uint8Array(m.fields, 0, m.length));
    decoderPort?.postMessage({ type: CHANNEL.spare, buffer: m.fields }, [m.fields]);
    // Told only when it grows (WASM memory never shrinks): a message per buffer would be noise.
    const memory = session.memory_bytes();
    if (memory !== memoryTold) self.postMessage({ type: EVENT.memory, memory });
    memoryTold = memory;
  } else if (m.type === CHANNEL.told) {
    session.finish(m.told);
    tallying = 0;
    dataId = m.summaryId;
    tallyOf(m.summaryId).resolve();
  } else if (m.type === CHANNEL.failed) {
    tallying = 0;
    stopped = m.summaryId;
    tallyOf(m.summaryId).reject(new Error('the input could not be decoded'));
  }
}

const handlers = {
  // The summary of decode `summaryId` (`top` rows per table, in `lang`), once the decoding worker
  // has handed over all of it.
  async [OP.summarise]({ summaryId, lang, top }) {
    await tallyOf(summaryId).done;
    await ranges; // the rows of the summary are explained with the ip-ranges in use
    return { dataId, overview: session.overview(lang, top) };
  },

  // What was tallied of decode `summaryId` when its decoding worker crashed, finished without
  // what the decoder would have told at the end (answered at once: a 'summarise' for it may be
  // waiting for that end, which never comes).
  async [OP.salvage]({ summaryId, lang, top }) {
    await ranges;
    if (summaryId && summaryId === dataId) {
      return { dataId, overview: session.overview(lang, top), partial: false };
    }
    if (!summaryId || (summaryId !== tallying && summaryId !== stopped)) return { lost: true };
    const records = session.finish_partial();
    if (tallying === summaryId) {
      tallying = 0;
      tallyOf(summaryId).reject(new Error('the decoder stopped'));
    }
    stopped = 0;
    dataId = summaryId;
    return { dataId, overview: session.overview(lang, top), partial: true, records };
  },

  // The summary held, again (in another language, or with other ip-ranges).
  async [OP.overview]({ dataId: want, lang, top }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, overview: session.overview(lang, top) };
  },

  async [OP.useRanges]({ text, source }) {
    await wasmReady;
    try {
      useRangesText(text, source);
    } finally {
      rangesGiven();
    }
    return {};
  },

  async [OP.loadRanges]({ file, lang }) {
    await ranges; // after the decoding worker's choice, so that it cannot replace the user's file
    return loadUserRanges(file, lang);
  },

  async [OP.connect]({ port }) {
    decoderPort?.close();
    decoderPort = port;
    // Tallied once the ip-ranges are in: a REJECT source's owner is decided at tally time, and
    // the decoding worker may send records before the page has handed them over ('useRanges').
    // (Callbacks on one promise run in the order they were added: the records keep their order.)
    port.onmessage = (e) => {
      const m = e.data;
      ranges.then(() => tallyMessage(m));
    };
    return {};
  },
};

// Warmed up as its first request in turn (it has no ip-ranges of its own to wait for).
wasmReady.then(() => enqueue(warmUp), () => {});

serve(handlers);
