/* Akademi PPID — quiz attempt: autosave each answer as it changes, and a countdown.
   Progressive enhancement: without this script every page still saves on
   "Simpan", "Berikutnya" and on submit. The server holds the deadline; the
   countdown only shows it. Nothing here knows anything about the answers. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var version = form.querySelector("input[name=version]").value;
  // Status texts come translated from the template (data-status-* on the form).
  var messages = {
    saving: form.getAttribute("data-status-saving"),
    saved: form.getAttribute("data-status-saved"),
    failed: form.getAttribute("data-status-failed")
  };
  var timers = {};

  function send(fieldset) {
    var slot = fieldset.getAttribute("data-slot");
    var status = fieldset.querySelector("[data-status]");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("version", version);
    body.append("slots", slot);
    fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      body.append(el.name, el.value);
    });
    if (status) { status.textContent = messages.saving; }
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) { return { response: response, data: data }; });
    }).then(function (result) {
      if (result.response.ok) {
        if (status) { status.textContent = messages.saved; }
        var nav = form.querySelector("[data-nav-slot='" + slot + "']");
        if (nav) { nav.classList.add("is-answered"); }
      } else {
        if (status) { status.textContent = result.data.error || messages.failed; }
        if (result.response.status === 409 && result.data.review) {
          window.location.assign(result.data.review);
        }
      }
    }).catch(function () {
      if (status) { status.textContent = messages.failed; }
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-slot]");
    if (!fieldset) { return; }
    var slot = fieldset.getAttribute("data-slot");
    clearTimeout(timers[slot]);
    timers[slot] = setTimeout(function () { send(fieldset); }, 150);
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text") { return; }
    var fieldset = event.target.closest("fieldset[data-slot]");
    if (!fieldset) { return; }
    var slot = fieldset.getAttribute("data-slot");
    clearTimeout(timers[slot]);
    timers[slot] = setTimeout(function () { send(fieldset); }, 1200);
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.getAttribute("data-confirm") && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    // The form carries every answer on the page: an autosave still waiting for
    // its delay would only arrive after it (after a submit: refused as closed).
    Object.keys(timers).forEach(function (slot) { clearTimeout(timers[slot]); });
  });

  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
    var text = timer.querySelector("[data-timer-text]");
    var end = Date.now() + left * 1000;
    var tick = function () {
      var remaining = Math.max(0, Math.round((end - Date.now()) / 1000));
      var minutes = Math.floor(remaining / 60), seconds = remaining % 60;
      text.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (remaining <= 60) { timer.classList.add("is-urgent"); }
      if (remaining === 0) {
        clearInterval(interval);
        var action = document.createElement("input");
        action.type = "hidden"; action.name = "action"; action.value = "submit";
        form.appendChild(action);
        form.submit();
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
})();
