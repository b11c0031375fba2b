// Every English string of the page. Keys are shared with ja.js; functions take the numbers they show.

const plural = (n, one, many) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export default {
  title: 'flowlens — AWS VPC Flow Log decoder',
  tagline: 'Paste AWS VPC Flow Log records and see what every field means.',
  privacy: 'Everything runs in your browser. Nothing you paste leaves this page.',
  inputLabel: 'Flow log lines',
  inputPlaceholder: 'Paste VPC Flow Log lines here, one record per line, e.g.\n2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK',
  example: 'Example',
  clear: 'Clear',
  openFile: 'Open a file…',
  dropHint: 'or drop a text file here',
  shortcut: (mod) => `${mod}+Enter decodes now; typing decodes after a short pause.`,
  langLabel: 'Language',
  // Status line.
  loadingDecoder: 'Loading the decoder…',
  ready: 'Ready.',
  decoding: 'Decoding…',
  readingFile: (name) => `Reading ${name}…`,
  fileLoaded: (name, size) => `Decoded ${name} (${size}).`,
  fileTooBigToShow: (name) => `${name} is decoded below; it is too large to show in the text box.`,
  fileNotText: (name) => `${name} does not look like a text file.`,
  workerCrashed: 'The decoder stopped unexpectedly; it has been restarted.',
  inputCrashed: 'The decoder stopped on this input and has been restarted; edit the input to try again.',
  workerFailed: 'The decoder could not be loaded. Reload the page to try again.',
  decodeFailed: (msg) => `Decoding failed: ${msg}`,
  // ip-ranges.
  ipRangesLoading: 'AWS ip-ranges: loading…',
  ipRangesLive: (date) => `AWS ip-ranges: live (ip-ranges.amazonaws.com), createDate ${date}`,
  ipRangesBundled: (date) => `AWS ip-ranges: bundled snapshot, createDate ${date}`,
  ipRangesOther: (source, date) => `AWS ip-ranges: ${source}, createDate ${date}`,
  ipRangesNone: 'AWS ip-ranges: not available; AWS addresses are not recognised.',
  // Results.
  resultsHeading: 'Breakdown',
  counts: (c) =>
    `${plural(c.records, 'record', 'records')} · ${plural(c.errors, 'error', 'errors')} · ` +
    `${plural(c.headers + c.blank, 'blank/header line', 'blank/header lines')} of ${plural(c.lines, 'line', 'lines')}`,
  empty: 'Nothing decoded yet: paste a line above or press Example.',
  line: (n) => `Line ${n}`,
  errorLabel: 'Error',
  rawLine: 'Raw line',
  colField: 'Field',
  colRaw: 'Raw',
  colValue: 'Value',
  colMeaning: 'Explanation',
  sameAsAbove: '(same as above)',
  showMore: (shown, total) => `Show more (${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown)`,
  // Field reference.
  referenceHeading: 'Field reference',
  refKey: 'Name',
  refLabel: 'Label',
  refVersion: 'Version',
  refMeaning: 'Meaning',
  footer: 'flowlens decodes with Rust compiled to WebAssembly. AWS address ranges from ip-ranges.json.',
};
