/*
 * Starts Wagtail's admin widgets without inline script (docs/security.md).
 *
 * Wagtail 8 writes `<script>initDateChooser("id", {...});</script>` and the like,
 * which our Content Security Policy refuses. lms/admin_init.py and
 * templates/wagtailadmin/ write the same call as data instead:
 *
 *   <lms-admin-init hidden data-initialiser="initDateChooser">["id", {...}]</lms-admin-init>
 *
 * This file (added to every Wagtail admin page, deferred, by
 * lms/accounts/wagtail_hooks.py) defines that element. When one is connected to the
 * page it calls the initialiser of that name from the table below with the JSON
 * arguments: elements already parsed are upgraded when the element is defined, and
 * ones inserted later (an inline panel's "Add", a modal, a StreamField block) are
 * started during the insertion, as Wagtail's inline scripts were. Only the names in
 * the table run; the arguments are JSON, never code. Elements inside a <template>
 * stay inert until their copy is inserted.
 */
(() => {
  "use strict";

  const INITIALISERS = new Map([
    ["initDateChooser", (id, config) => window.initDateChooser(id, config)],
    ["initTimeChooser", (id, config) => window.initTimeChooser(id, config)],
    ["initDateTimeChooser", (id, config) => window.initDateTimeChooser(id, config)],
    ["InlinePanel", (options) => new window.InlinePanel(options)],
    ["MultipleChooserPanel", (options) => new window.MultipleChooserPanel(options)],
    ["Chooser", (id, options) => new window.Chooser(id, options)],
    ["PageChooser", (id, options) => new window.PageChooser(id, options)],
    ["ImageChooser", (id, options) => new window.ImageChooser(id, options)],
    ["DocumentChooser", (id, options) => new window.DocumentChooser(id, options)],
    ["SnippetChooser", (id, options) => new window.SnippetChooser(id, options)],
    ["createTaskChooser", (id) => window.createTaskChooser(id)],
  ]);

  class AdminInit extends HTMLElement {
    connectedCallback() {
      // Once per element: reordering an inline panel reconnects its children.
      if (this.started) return;
      this.started = true;
      const name = this.dataset.initialiser;
      const initialiser = INITIALISERS.get(name);
      if (!initialiser) {
        throw new Error(`<lms-admin-init>: no initialiser named "${name}"`);
      }
      initialiser(...JSON.parse(this.textContent));
    }
  }

  customElements.define("lms-admin-init", AdminInit);
})();
