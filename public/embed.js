/*
 * Within 500 m: iframe resizer for host pages (articles, CMS pages).
 *
 * Add the app with an <iframe data-within500 src=".../?embed=1&step=2" title="..."> and load this
 * script once. The app posts {"within500-height": <pixels>} to its parent whenever its content
 * changes height (the same idea as Pym.js and Datawrapper's resizers); this script sets the
 * height of the iframe that sent it. It reads no cookies, stores nothing and sends nothing.
 */
(function () {
  "use strict";
  if (window.__within500Embed) return;
  window.__within500Embed = true;

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-within500]"));
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || !("within500-height" in data)) return;
    var height = Number(data["within500-height"]);
    if (!isFinite(height) || height <= 0 || height > 100000) return;
    frames().forEach(function (frame) {
      if (frame.contentWindow !== event.source) return;
      var expected;
      try { expected = new URL(frame.src, document.baseURI).origin; } catch (e) { return; }
      if (event.origin !== expected) return;
      frame.style.height = Math.ceil(height) + "px";
      frame.setAttribute("data-resized", String(Math.ceil(height)));
    });
  });
})();
