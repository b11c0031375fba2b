// The header's switch of the zone times are shown in (#time-pick): UTC, or the browser's zone,
// named with its offset now ("Local (Asia/Tokyo, UTC+9)"). The choice is kept by time.js.
import { localOffset, localZoneName, timeMode } from './time.js';

export class TimePick {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = { group: $('time-pick'), utc: $('times-utc'), local: $('times-local'), localLabel: $('times-local-label') };
  }

  listen() {
    this.el.group.addEventListener('change', (e) => {
      if (e.target.name === 'times') this.app.setTimeMode(e.target.value);
    });
  }

  /** The choice in use, and the labels in the page's language. */
  show() {
    const { S } = this.app;
    const { utc, local, localLabel } = this.el;
    utc.checked = timeMode() === 'utc';
    local.checked = timeMode() === 'local';
    localLabel.textContent = S.timesLocal(localZoneName(), localOffset());
    utc.parentElement.title = S.timesUtcTitle;
    local.parentElement.title = S.timesLocalTitle;
  }
}
