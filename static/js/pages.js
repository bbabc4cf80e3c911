// The decision's pages as images, progressively: the first at once, each next one lazily, once
// the one before it has loaded; the first missing page ends the list. Used where the number of
// pages is not known without rendering the PDF (a draft), so that the page is sent at once.
// A container [data-phone-pages] is filled only on a phone: a desktop shows the PDF itself.
(function () {
  var PHONE = window.matchMedia("(max-width: 600px)");

  function pageUrl(first, number) {
    return first.replace(/\/1\.png$/, "/" + number + ".png");
  }

  function add(container, number) {
    var count = Number(container.getAttribute("data-page-count") || "0");
    if (count && number > count) return;
    var first = container.getAttribute("data-first-page");
    var img = document.createElement("img");
    img.src = pageUrl(first, number) + "?w=900";
    img.srcset = [600, 900, 1400].map(function (w) {
      return pageUrl(first, number) + "?w=" + w + " " + w + "w";
    }).join(", ");
    img.sizes = "(max-width: 700px) 100vw, 900px";
    img.width = 900;
    img.height = 1273;
    img.loading = number === 1 ? "eager" : "lazy";
    img.alt = (container.getAttribute("data-page-alt") || "") + " " + number;
    img.addEventListener("load", function () { add(container, number + 1); }, { once: true });
    img.addEventListener("error", function () { img.remove(); }, { once: true });
    container.appendChild(img);
  }

  function start(container) {
    if (container.hasAttribute("data-started")) return;
    if (container.hasAttribute("data-phone-pages") && !PHONE.matches) return;
    container.setAttribute("data-started", "");
    add(container, Number(container.getAttribute("data-next-page") || "1"));
  }

  function startAll() {
    document.querySelectorAll("[data-phone-pages], [data-next-page]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
  PHONE.addEventListener("change", startAll);
})();
