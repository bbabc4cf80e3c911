// The editor shows the parts of the document type chosen (decisions/doctypes/): a decision's
// legal bases and articles, or another type's addressees, unit and text. The server reads only
// the chosen type's parts, whatever is shown.
(function () {
  "use strict";
  const shapes = JSON.parse(document.getElementById("type-shapes").textContent);
  const select = document.getElementById("id_document_type");
  const parts = document.getElementById("doctype-parts");
  if (!select || !parts) return;
  function show() {
    const fields = shapes[select.value] || [];
    parts.hidden = fields.length === 0;
    parts.querySelectorAll("[data-part]").forEach(function (field) {
      field.hidden = fields.indexOf(field.dataset.part) === -1;
    });
    document.querySelectorAll("[data-decision-part]").forEach(function (card) {
      card.hidden = fields.length > 0;
    });
  }
  select.addEventListener("change", show);
  show();
})();
