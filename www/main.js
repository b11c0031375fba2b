// Wiring: makes the decoder and the page's areas, connects them, and installs every listener.
// The areas draw their own parts of the page; app.js holds the state and what crosses them.
import { App } from './app.js';
import { Decoder } from './decoder-client.js';
import { Explorer } from './explore.js';
import { giveBack, sliceReader } from './file-reader.js';
import { FormatBox } from './format-box.js';
import { InputArea } from './input.js';
import { IpRangesArea } from './ipranges.js';
import { Keys } from './keys.js';
import { RecordList } from './record-list.js';
import { Reference } from './reference.js';
import { registerOffline } from './offline.js';
import { Results } from './results.js';
import { ShareArea } from './share.js';
import { StatusLine } from './status.js';
import { SUMMARY_ROWS, SummarySection } from './summary.js';
import { TimePick } from './time-pick.js';
import { ResultsView } from './view.js';

// The modules run: index.html's message for a page that could not start (file://) is not needed.
document.getElementById('no-modules')?.remove();

const app = new App();
app.decoder = new Decoder({
  // The summary worker runs on machines with two cores or more (`?workers=1` in the address: none).
  summaryWorker: navigator.hardwareConcurrency >= 2 && new URLSearchParams(location.search).get('workers') !== '1',
  top: SUMMARY_ROWS,
  // `?keep=N` in the address: keep at most N records of an input (the default is a memory budget).
  keep: Number(new URLSearchParams(location.search).get('keep')) || undefined,
  slices: { open: sliceReader, giveBack },
  onEvent: (ev) => app.decoderEvent(ev),
});
const areas = {
  status: new StatusLine(app),
  input: new InputArea(app),
  format: new FormatBox(app),
  ipranges: new IpRangesArea(app),
  results: new Results(app),
  summary: new SummarySection(app),
  reference: new Reference(app),
  explore: new Explorer(app),
  list: new RecordList(app),
  share: new ShareArea(app),
  times: new TimePick(app),
  keys: new Keys(app),
  view: new ResultsView(app),
};
app.areas = areas;

const { input, format, ipranges, results } = areas;
const lang = document.getElementById('lang');

const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');

// A zone that takes the files dropped on it, lit up while files are dragged over it.
function dropZone(zone, take) {
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      zone.classList.add('dragging');
    });
  }
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (e) => {
    zone.classList.remove('dragging');
    const files = e.dataTransfer?.files;
    if (!files?.length) return;
    e.preventDefault();
    take(files);
  });
}

// The whole window takes files too (after a decode the input card is scrolled away), with an
// overlay that says so while files are dragged over the page. The zones above decide for drops on
// them (their handlers run first and prevent the default). The browser never opens what is
// dropped: a file, a link or text dropped outside a text box would take the page away.
function dropAnywhere(overlay, take) {
  const editable = (t) => t?.closest?.('textarea, input, [contenteditable]:not([contenteditable="false"])');
  const show = (on) => {
    overlay.hidden = !on;
  };
  for (const type of ['dragenter', 'dragover']) {
    window.addEventListener(type, (e) => {
      if (hasFiles(e)) {
        e.preventDefault();
        // Over the ip-ranges line a file is an ip-ranges.json: that line's own highlight says so.
        show(!e.target?.closest?.('#ipranges-zone'));
      } else if (!editable(e.target)) {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
      }
    });
  }
  // Leaving the window (no element entered), or a drag ended elsewhere.
  window.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) show(false);
  });
  window.addEventListener('dragend', () => show(false));
  window.addEventListener('drop', (e) => {
    show(false);
    if (e.defaultPrevented) return; // taken by a zone
    if (hasFiles(e)) {
      e.preventDefault();
      if (e.dataTransfer.files.length) take(e.dataTransfer.files);
    } else if (!editable(e.target)) {
      e.preventDefault();
    }
  });
}

// A hidden file input opened by its button; the file chosen is taken, and the input emptied so
// that choosing the same file again is a change too.
function filePicker(button, picker, take) {
  button.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    take(picker.files);
    picker.value = '';
  });
}

// The input.
input.el.text.addEventListener('input', () => input.typed());
input.el.text.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    input.decodeNow();
  }
});
input.el.example.addEventListener('click', () => input.example());
input.el.clear.addEventListener('click', () => input.clear());
input.el.cancel.addEventListener('click', () => app.cancelFile());
input.el.keep.addEventListener('click', () => app.keepPartial());
filePicker(input.el.openFile, input.el.file, (files) => input.takeFiles(files));
dropZone(input.el.zone, (files) => input.takeFiles(files));
dropAnywhere(document.getElementById('drop-overlay'), (files) => input.takeFiles(files));
// Esc, wherever the focus is, cancels the read of a file; otherwise it is left alone.
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !e.isComposing && app.cancelFile()) e.preventDefault();
});

// The format box.
format.el.box.addEventListener('change', () => format.apply());
format.el.box.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    format.apply();
  }
});
format.el.clear.addEventListener('click', () => format.clear());

// The ip-ranges line: any file dropped there is an ip-ranges.json, whatever its name.
filePicker(ipranges.el.open, ipranges.el.file, (files) => ipranges.useFile(files[0]));
dropZone(ipranges.el.zone, (files) => ipranges.useFile(files[0]));

// The results. Delegated, so that entries rendered again need no new listeners.
results.el.info.addEventListener('click', (e) => {
  const guessed = results.formatToEdit(e);
  if (guessed !== null) format.edit(guessed);
});
results.el.more.addEventListener('click', () => results.more());
results.el.list.addEventListener('mouseover', (e) => results.hover(e));
results.el.list.addEventListener('mouseleave', () => results.unhover());
// The same by keyboard, in the results and in the breakdown under the record list: a token or a
// row's field link focused lights up both; a field link goes to its entry in the field reference.
for (const id of ['results', 'record-detail']) {
  const root = document.getElementById(id);
  root.addEventListener('focusin', (e) => Results.focusIn(e));
  root.addEventListener('focusout', (e) => Results.focusOut(e));
  root.addEventListener('keydown', (e) => Results.tokenKey(e));
  root.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[data-field-link]');
    if (link && areas.reference.go(link.dataset.fieldLink, link)) e.preventDefault();
  });
}
const detail = document.getElementById('record-detail');
detail.addEventListener('mouseover', (e) => results.hover(e));
detail.addEventListener('mouseleave', () => {
  for (const n of detail.querySelectorAll('.hl')) n.classList.remove('hl');
});

// Filters, the record list and exports; the field reference; the keyboard shortcuts.
areas.explore.listen();
areas.list.listen();
areas.reference.listen();
areas.keys.listen();

// Share links.
areas.share.listen();
areas.share.update();
areas.view.listen();

// One click (or Enter) on a summary row, a chart bar or a field's value adds its filter; a hint's
// line goes to that record. Delegated: the summary and the entries are drawn again and again.
function takeClicks(root) {
  const act = (e) => {
    const jump = e.target.closest?.('[data-goto-line]');
    if (jump) {
      areas.list.goToLine(Number(jump.dataset.gotoLine));
      return true;
    }
    const f = e.target.closest?.('[data-filter]');
    if (!f || f.closest('#filter-stack')) return false;
    areas.explore.add(f.dataset.filter).then((ok) => {
      if (ok) document.getElementById('explore').scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
    return true;
  };
  root.addEventListener('click', (e) => act(e));
  root.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches?.('[data-filter]:not(button), [data-goto-line]:not(button)') && act(e)) e.preventDefault();
  });
}
for (const id of ['summary', 'results', 'record-detail']) takeClicks(document.getElementById(id));

// The zone times are shown in.
areas.times.listen();

// The language.
lang.value = app.lang;
lang.addEventListener('change', () => app.setLang(lang.value));

// A share link in the address (#share=…) is read, checked and restored; else the usual start.
areas.share.fromAddress().catch(() => null).then((shared) => app.start(shared));

// Offline use and updates (sw.js): a new version waiting is said, and taken when the user asks.
let takeUpdate = null;
document.getElementById('update-reload').addEventListener('click', () => takeUpdate?.());
registerOffline((take) => {
  takeUpdate = take;
  document.getElementById('update').hidden = false;
});
