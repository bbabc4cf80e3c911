// Copy buttons beside long codes (the SHA-256 of a decision): the button carries the text in
// data-copy and its "copied" label in data-copied; it stays hidden where scripts do not run.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.hidden = false;
  });
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = button.getAttribute("data-copied");
  });
});
