// The structured editor: add, remove and reorder items; keep the posted names in page order
// (the server reads lists by index); refresh the PDF preview while the drafter types.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var LETTERS = "abcdđeghiklmnopqrstuvxy";

  function items(list) {
    return Array.prototype.filter.call(list.children, function (el) { return el.hasAttribute("data-item"); });
  }

  // name = <list>-<index>[-<list>-<index>…][-<field>], from the item ancestors of the input
  function renumber() {
    form.querySelectorAll("[data-list]").forEach(function (list) {
      items(list).forEach(function (item, index) {
        item.dataset.index = index;
        var number = item.querySelector(":scope > .item-head [data-number]");
        if (number) number.textContent = String(index + 1);
      });
    });
    form.querySelectorAll("[data-field]").forEach(function (input) {
      var parts = [];
      for (var el = input.closest("[data-item]"); el; el = el.parentElement.closest("[data-item]")) {
        parts.unshift(el.getAttribute("data-item") + "-" + el.dataset.index);
      }
      var field = input.getAttribute("data-field");
      var name = parts.join("-") + (field ? "-" + field : "");
      input.name = name;
      input.id = name;
      var label = input.previousElementSibling;
      if (label && label.tagName === "LABEL") label.htmlFor = name;
    });
  }

  function add(button) {
    var template = document.getElementById(button.getAttribute("data-add"));
    var list = button.previousElementSibling;
    while (list && !list.hasAttribute("data-list")) list = list.previousElementSibling;
    if (!template || !list) return;
    var node = template.content.firstElementChild.cloneNode(true);
    list.appendChild(node);
    renumber();
    var first = node.querySelector("input, textarea");
    if (first) first.focus();
    changed();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    if (button.hasAttribute("data-add")) { event.preventDefault(); add(button); return; }
    var item = button.closest("[data-item]");
    if (!item) return;
    if (button.hasAttribute("data-remove")) {
      event.preventDefault();
      var list = item.parentElement;
      item.remove();
      renumber();
      var next = list.querySelector("input, textarea");
      if (next) next.focus();
      changed();
    } else if (button.getAttribute("data-move") === "up" && item.previousElementSibling) {
      event.preventDefault();
      item.parentElement.insertBefore(item, item.previousElementSibling);
      renumber(); button.focus(); changed();
    } else if (button.getAttribute("data-move") === "down" && item.nextElementSibling) {
      event.preventDefault();
      item.parentElement.insertBefore(item.nextElementSibling, item);
      renumber(); button.focus(); changed();
    }
  });

  // Live preview: debounced POST of the form to the preview URL, shown in the iframe.
  var frame = document.getElementById("preview-frame");
  var status = document.getElementById("preview-status");
  var live = document.getElementById("live-preview");
  var timer = null, url = null, running = false, again = false;
  function refresh() {
    if (running) { again = true; return; }
    running = true;
    status.textContent = status.dataset.loading || "…";
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) return response.text().then(function (text) { throw new Error(text); });
        return response.blob();
      })
      .then(function (blob) {
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(blob);
        frame.src = url;
        status.textContent = "";
      })
      .catch(function (error) { status.textContent = error.message; })
      .finally(function () { running = false; if (again) { again = false; refresh(); } });
  }
  function changed() {
    if (!live || !live.checked || !frame) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 1200);
  }
  // Text areas grow with their text, so that a long article is read whole.
  function fit(area) { area.style.height = "auto"; area.style.height = area.scrollHeight + 2 + "px"; }
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") fit(event.target);
  });
  form.querySelectorAll("textarea").forEach(fit);

  form.addEventListener("input", changed);
  renumber();
  if (live && live.checked && frame) refresh();
  window.decisionEditor = { refresh: refresh, letters: LETTERS };
})();
