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
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f4f4f4;padding:2rem;";
      var title = document.createElement("p");
      title.textContent = "tebiki: the build failed. This page is the last good build; it reloads when the error is fixed.";
      title.style.cssText = "font:600 15px/1.5 sans-serif;margin:0 0 1rem;color:#ffb4a9;";
      var pre = document.createElement("pre");
      pre.style.cssText = "font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;margin:0;";
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
