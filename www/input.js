// The input area (#drop-zone): the text box, Example and Clear, a file opened or dropped (the chip
// that names it), and the progress of a file being read, with its Cancel button.
import { formatSize } from './i18n.js';
import { isRangesFile } from './ipranges.js';

const EXAMPLE = [
  '2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
  '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
].join('\n');

// Files decoded at once at most (the decoding worker's limit too: MAX_FILES in src/wasm/decode.rs).
export const MAX_FILES = 1000;

/** The bytes of `files` together. */
export const totalSize = (files) => files.reduce((sum, f) => sum + f.size, 0);

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgentData?.platform || navigator.platform || '');
export const MOD = isMac ? '⌘' : 'Ctrl';

export class InputArea {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      text: $('input'), example: $('example'), clear: $('clear'), openFile: $('open-file'), file: $('file'),
      zone: $('drop-zone'), chip: $('file-chip'), shortcut: $('shortcut-hint'), progress: $('progress'),
      progressBar: $('progress-bar'), progressText: $('progress-text'), cancel: $('cancel'), keep: $('keep-partial'),
    };
    this.progress = null; // {read, total, lines} of the file being read
  }

  /** What the text box holds. */
  get text() {
    return this.el.text.value;
  }

  /** Typing: decoded after a pause. */
  typed() {
    this.app.source = { text: this.el.text.value };
    this.showFile();
    this.app.decodeSoon();
  }

  /** Ctrl+Enter (⌘+Enter): decoded now. */
  decodeNow() {
    this.app.decodeText(this.el.text.value, { reveal: true });
    this.showFile();
  }

  example() {
    this.el.text.value = EXAMPLE;
    this.app.decodeText(EXAMPLE, { reveal: true });
    this.showFile();
  }

  clear() {
    this.el.text.value = '';
    this.app.decodeText('');
    this.showFile();
    this.el.text.focus();
  }

  /**
   * A file opened or dropped: flow logs are decoded; an ip-ranges.json goes to the ip-ranges line.
   * `ranges`: the name of an ip-ranges file dropped with it (taken as the ip-ranges, said when done).
   */
  takeFile(file, ranges) {
    if (!file) return;
    if (isRangesFile(file)) {
      this.app.areas.ipranges.useFile(file);
      return;
    }
    this.app.source = ranges ? { file, ranges } : { file };
    this.el.text.value = ''; // a file's text goes there only when it is small and plain (see echo)
    this.showFile();
    this.app.decode({ reveal: true });
  }

  /**
   * Files dropped or chosen: one is taken as takeFile does; several are decoded one after the
   * other as one input. An ip-ranges.json among several is taken as the ip-ranges (the first one,
   * when there are more), the others decoded. More than MAX_FILES: nothing is read, and the
   * status says why.
   */
  takeFiles(files) {
    const list = [...(files || [])];
    if (list.length <= 1) {
      this.takeFile(list[0]);
      return;
    }
    const logs = list.filter((f) => !isRangesFile(f));
    const ranges = list.find((f) => isRangesFile(f));
    if (logs.length > MAX_FILES) {
      this.app.areas.status.set('tooManyFiles', logs.length, MAX_FILES);
      return;
    }
    if (ranges) this.app.areas.ipranges.useFile(ranges);
    if (logs.length === 0) return;
    if (logs.length === 1) {
      this.takeFile(logs[0], ranges?.name);
      return;
    }
    this.app.source = ranges ? { files: logs, ranges: ranges.name } : { files: logs };
    this.el.text.value = '';
    this.showFile();
    this.app.decode();
  }

  /** Shows a source decoded earlier again (after a cancel): its text, or its file's chip. */
  restore(source) {
    this.el.text.value = source.file || source.files ? '' : source.text;
    this.showFile();
  }

  /** The text of the file decoded, when it is small and plain enough to be edited. */
  echo(text) {
    this.el.text.value = text;
  }

  /** Names the file (or files) being decoded (none for text). */
  showFile() {
    const { file, files } = this.app.source;
    this.el.chip.hidden = !file && !files;
    this.el.chip.textContent = files
      ? this.app.S.filesChip(files.length, formatSize(totalSize(files)))
      : file ? this.app.S.fileChip(file.name, formatSize(file.size)) : '';
    this.el.chip.title = files ? files.map((f) => f.name).join('\n') : '';
  }

  /** How much of the file is read: {read, total, lines}, or null when no file is being read. */
  setProgress(p) {
    this.progress = p;
    this.showProgress();
  }

  showProgress() {
    const p = this.progress;
    this.el.progress.hidden = !p;
    if (!p) return;
    // Nothing is kept before the first slice is decoded.
    this.el.keep.disabled = !p.lines;
    this.el.progressBar.value = p.total ? p.read / p.total : 0;
    this.el.progressText.textContent = this.app.S.progress(formatSize(p.read), formatSize(p.total), p.lines);
  }

  /** Everything the area says, again in the page's language. */
  relabel() {
    this.el.shortcut.textContent = this.app.S.shortcut(MOD);
    this.showFile();
    this.showProgress();
  }
}
