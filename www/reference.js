// The field reference (#reference): every field of every version, in the page's language.
import { renderReference } from './render.js';

export class Reference {
  constructor(app) {
    this.app = app;
    this.node = document.getElementById('reference-body');
  }

  /** Draws the reference in the page's language (the specs come from the decoding worker). */
  async show() {
    const { app } = this;
    const lang = app.lang;
    const specs = await app.decoder.fields(lang);
    if (lang === app.lang) renderReference(this.node, specs.list, app.S);
  }
}
