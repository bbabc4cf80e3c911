// Suggestions from the directory for the Nơi nhận lines: after two letters, the server's
// accent-free search fills the shared datalist (no library, no CDN).
(function () {
  "use strict";
  var list = document.getElementById("directory-suggestions");
  if (!list) { return; }
  var timer = null;
  function fill(input) {
    var query = input.value.trim();
    if (query.length < 2) { return; }
    var url = input.getAttribute("data-directory-search") + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        list.textContent = "";
        data.results.forEach(function (entry) {
          var option = document.createElement("option");
          option.value = entry.label;
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a help; typing a full name still works */ });
  }
  document.querySelectorAll("[data-directory-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fill(input); }, 200);
    });
  });
})();
