// tebiki serve: live reload. Injected into served HTML only, never into `tebiki build` output.
(function () {
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : null;
  var key = "tebiki-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, parseFloat(saved) || 0); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "__tebiki_error";
      overlay.setAttribute("role", "alert");
      // !important throughout: the site's own styles must not restyle the overlay.
      overlay.style.cssText = "position:fixed !important;inset:0 !important;z-index:2147483647 !important;" +
        "overflow:auto !important;margin:0 !important;padding:2rem !important;" +
        "background:#17171c !important;color:#f4f4f4 !important;opacity:1 !important;";
      var title = document.createElement("p");
      title.textContent = "tebiki: the build failed. This page is the last good build; it reloads when the error is fixed.";
      title.style.cssText = "font:600 15px/1.5 sans-serif !important;margin:0 0 1rem !important;" +
        "color:#ffb4a9 !important;background:none !important;";
      var pre = document.createElement("pre");
      pre.style.cssText = "font:13px/1.5 ui-monospace,monospace !important;white-space:pre-wrap !important;" +
        "margin:0 !important;padding:0 !important;border:0 !important;color:#f4f4f4 !important;" +
        "background:none !important;box-shadow:none !important;max-width:none !important;";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  function clearError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function swapStyles(version) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      url.searchParams.set("tebiki", version);
      links[i].href = url.href;
    }
  }
  var events = new EventSource("/__tebiki/events");
  events.addEventListener("hello", function (e) {
    var state = JSON.parse(e.data);
    if (state.error) { showError(state.error); return; }
    clearError();
    if (generation !== null && String(state.generation) !== generation) { reload(); }
  });
  events.addEventListener("reload", reload);
  events.addEventListener("css", function (e) { swapStyles(e.data); });
  events.addEventListener("build-error", function (e) { showError(JSON.parse(e.data)); });
})();
