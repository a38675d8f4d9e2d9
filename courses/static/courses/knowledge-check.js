/* Knowledge checks: progressive enhancement only. Without this script the form posts
   and the page reloads at the question; with it, the same POST is sent in the
   background and only the question's section (and the messages) are replaced. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-check]")) return;
    event.preventDefault();
    var id = "check-" + form.getAttribute("data-check");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(id);
        var current = document.getElementById(id);
        if (!fresh || !current) { form.submit(); return; }
        current.replaceWith(fresh);
        var messages = doc.querySelector(".messages");
        var oldMessages = document.querySelector(".messages");
        if (oldMessages) oldMessages.remove();
        if (messages) document.querySelector("main").prepend(messages);
        var result = fresh.querySelector(".check-result");
        if (result) { result.setAttribute("tabindex", "-1"); result.focus(); }
      })
      .catch(function () { form.submit(); });
  });
})();
