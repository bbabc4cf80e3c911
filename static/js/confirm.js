// Ask before irreversible actions (sign, issue, void, recall): forms carry data-confirm.
// data-confirm-when names a checkbox: ask only when it is ticked (approve and sign at once).
// An action's form is sent once: a second click (a double click, an impatient tap) while the
// first is on its way neither asks again nor posts again; its buttons show it is being sent.
(function () {
  var ONCE = "form.action-form, form[data-confirm]";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(ONCE)) return;
    if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
    var message = form.getAttribute("data-confirm");
    var when = form.getAttribute("data-confirm-when");
    if (when) {
      var box = form.querySelector('[name="' + when + '"]');
      if (!box || !box.checked) message = "";
    }
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    form.setAttribute("data-submitting", "");
    form.setAttribute("aria-busy", "true");
    // Disabled after the browser has read the form: a disabled field would not be sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back to a page kept in the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
