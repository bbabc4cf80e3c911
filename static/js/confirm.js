// Ask before irreversible actions (sign, issue, void, recall): forms carry data-confirm.
// data-confirm-when names a checkbox: ask only when it is ticked (approve and sign at once).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  var when = form.getAttribute("data-confirm-when");
  if (when) {
    var box = form.querySelector('[name="' + when + '"]');
    if (!box || !box.checked) return;
  }
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
