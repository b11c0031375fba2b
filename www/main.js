// Wiring: makes the decoder and the page's areas, connects them, and installs every listener.
// The areas draw their own parts of the page; app.js holds the state and what crosses them.
import { App } from './app.js';
import { Decoder } from './decoder-client.js';
import { Explorer } from './explore.js';
import { giveBack, sliceReader } from './file-reader.js';
import { FormatBox } from './format-box.js';
import { InputArea } from './input.js';
import { IpRangesArea } from './ipranges.js';
import { RecordList } from './record-list.js';
import { Reference } from './reference.js';
import { Results } from './results.js';
import { StatusLine } from './status.js';
import { SUMMARY_ROWS, SummarySection } from './summary.js';

const app = new App();
app.decoder = new Decoder({
  // The summary worker runs on machines with two cores or more (`?workers=1` in the address: none).
  summaryWorker: navigator.hardwareConcurrency >= 2 && new URLSearchParams(location.search).get('workers') !== '1',
  top: SUMMARY_ROWS,
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
};
app.areas = areas;

const { input, format, ipranges, results } = areas;
const lang = document.getElementById('lang');

// A zone that takes a dropped file (the first one), lit up while a file is dragged over it.
function dropZone(zone, take) {
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => {
      if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
      e.preventDefault();
      zone.classList.add('dragging');
    });
  }
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (e) => {
    zone.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    take(file);
  });
}

// A hidden file input opened by its button; the file chosen is taken, and the input emptied so
// that choosing the same file again is a change too.
function filePicker(button, picker, take) {
  button.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    take(picker.files[0]);
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
input.el.cancel.addEventListener('click', () => app.decoder.cancel());
filePicker(input.el.openFile, input.el.file, (file) => input.takeFile(file));
dropZone(input.el.zone, (file) => input.takeFile(file));

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
filePicker(ipranges.el.open, ipranges.el.file, (file) => ipranges.useFile(file));
dropZone(ipranges.el.zone, (file) => ipranges.useFile(file));

// The results. Delegated, so that entries rendered again need no new listeners.
results.el.info.addEventListener('click', (e) => {
  const guessed = results.formatToEdit(e);
  if (guessed !== null) format.edit(guessed);
});
results.el.more.addEventListener('click', () => results.more());
results.el.list.addEventListener('mouseover', (e) => results.hover(e));
results.el.list.addEventListener('mouseleave', () => results.unhover());

// Filters, the record list and exports.
areas.explore.listen();
areas.list.listen();

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

// The language.
lang.value = app.lang;
lang.addEventListener('change', () => app.setLang(lang.value));

app.start();
