// Builds the page's DOM from the worker's data. Only createElement and textContent: the data is
// whatever the user pasted, and none of it is ever parsed as HTML.

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Fills every `[data-i18n]` element with its string, and `[data-i18n-placeholder]` placeholders. */
export function applyStrings(root, S) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const text = S[node.dataset.i18n];
    if (typeof text === 'string') node.textContent = text;
  }
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = S[node.dataset.i18nPlaceholder] || '';
  }
}

export function renderCounts(node, counts, S) {
  node.textContent = counts && counts.lines > 0 ? S.counts(counts) : '';
}

function recordView(entry, specs, S) {
  const article = el('article', { class: 'entry record', 'data-line': String(entry.line) });
  article.append(el('h3', { text: S.line(entry.line) }));
  article.append(el('p', { class: 'summary', text: entry.summary || '' }));

  const annotations = entry.annotations || {};
  const keys = Object.keys(entry.fields || annotations);

  // The line as tokens, each tied to its row (hover one to light up the other).
  const tokens = el('p', { class: 'tokens' });
  tokens.setAttribute('aria-hidden', 'true');
  keys.forEach((key, i) => {
    const a = annotations[key] || {};
    const raw = a.raw ?? String(entry.fields?.[key] ?? '-');
    if (i > 0) tokens.append(' ');
    tokens.append(el('code', { class: raw === '-' ? 'tok absent' : 'tok', 'data-key': key, text: raw, title: specs.get(key)?.label || key }));
  });
  article.append(tokens);

  const head = el('tr', {},
    el('th', { scope: 'col', text: S.colField }),
    el('th', { scope: 'col', text: S.colRaw }),
    el('th', { scope: 'col', text: S.colValue }),
    el('th', { scope: 'col', text: S.colMeaning }));
  const body = el('tbody');
  let previousText = null;
  for (const key of keys) {
    const a = annotations[key] || {};
    const raw = a.raw ?? String(entry.fields?.[key] ?? '-');
    const label = specs.get(key)?.label || key;
    const value = String(a.value ?? '');
    // A run of '-' fields (NODATA, SKIPDATA) all say the same: say it once.
    const text = a.text && a.text === previousText ? S.sameAsAbove : a.text ?? '';
    previousText = a.text;
    body.append(el('tr', { 'data-key': key, class: raw === '-' ? 'absent' : undefined },
      el('th', { scope: 'row' }, el('span', { class: 'label', text: label }), el('code', { class: 'key', text: key })),
      el('td', { class: 'raw', 'data-col': S.colRaw }, el('code', { text: raw })),
      // Identifiers and timestamps read badly when broken at a hyphen.
      el('td', { class: /\s/.test(value) || value.length > 40 ? 'value' : 'value word', 'data-col': S.colValue, text: value }),
      el('td', { class: 'text', 'data-col': S.colMeaning, text })));
  }
  article.append(el('div', { class: 'table-wrap' }, el('table', { class: 'fields' }, el('thead', {}, head), body)));
  return article;
}

function errorView(entry, S) {
  const article = el('article', { class: 'entry error', 'data-line': String(entry.line) });
  if (entry.field) article.dataset.field = entry.field;
  article.append(el('h3', { text: S.line(entry.line) }));
  article.append(el('p', { class: 'message' }, el('strong', { text: `${S.errorLabel}: ` }), entry.error || ''));
  article.append(el('p', { class: 'raw-label', text: S.rawLine }));
  article.append(el('pre', { class: 'raw' }, el('code', { text: entry.raw ?? '' })));
  return article;
}

/** Renders `entries` into `container`, replacing its content unless `append`. */
export function renderEntries(container, entries, specs, S, { append = false } = {}) {
  const frag = document.createDocumentFragment();
  for (const entry of entries) {
    frag.append('error' in entry ? errorView(entry, S) : recordView(entry, specs, S));
  }
  if (append) container.append(frag);
  else container.replaceChildren(frag);
}

export function renderEmpty(container, S) {
  container.replaceChildren(el('p', { class: 'empty', text: S.empty }));
}

/** The field reference table, from field_specs(lang). */
export function renderReference(node, specs, S) {
  const head = el('tr', {},
    el('th', { scope: 'col', text: S.refKey }),
    el('th', { scope: 'col', text: S.refLabel }),
    el('th', { scope: 'col', text: S.refVersion }),
    el('th', { scope: 'col', text: S.refMeaning }));
  const body = el('tbody');
  for (const f of specs) {
    body.append(el('tr', {},
      el('th', { scope: 'row' }, el('code', { text: f.key })),
      el('td', { text: f.label }),
      el('td', { class: 'num', text: String(f.version) }),
      el('td', { text: f.meaning })));
  }
  node.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'reference' }, el('thead', {}, head), body)));
}

/** Lights up a field's token and row together (explainshell-style); `key` null clears. */
export function highlight(article, key) {
  for (const n of article.querySelectorAll('.hl')) n.classList.remove('hl');
  if (!key) return;
  for (const n of article.querySelectorAll('[data-key]')) {
    if (n.dataset.key === key) n.classList.add('hl');
  }
}
