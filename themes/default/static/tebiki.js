// tebiki default theme: glossary tooltips on touch screens, and kept inside the window.
// Without this script the definitions still show on hover and keyboard focus, and a tap on
// a term opens its glossary entry.
(function () {
  "use strict";
  var open = null;
  var touch = false;

  function close() {
    if (open) {
      open.classList.remove("is-open");
      open = null;
    }
  }

  // Turns a tip to end at its term when it would run past the right edge of the window.
  function place(wrap) {
    var tip = wrap.querySelector(".glossary-tip");
    if (!tip) return;
    tip.classList.remove("tip-end");
    var box = tip.getBoundingClientRect();
    if (box.width && box.right > document.documentElement.clientWidth - 8) {
      tip.classList.add("tip-end");
    }
  }

  function glossaryOf(target) {
    return target && target.closest ? target.closest(".glossary") : null;
  }

  document.addEventListener("pointerdown", function (e) {
    touch = e.pointerType === "touch" || e.pointerType === "pen";
  }, true);

  document.addEventListener("click", function (e) {
    var wrap = glossaryOf(e.target);
    var term = e.target.closest && e.target.closest(".glossary-term");
    if (term && wrap && touch && open !== wrap) {
      // First tap shows the definition; a second tap on the term follows the link.
      e.preventDefault();
      close();
      wrap.classList.add("is-open");
      open = wrap;
      place(wrap);
      return;
    }
    if (open && wrap !== open) close();
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") close();
  });

  function onShow(e) {
    var wrap = glossaryOf(e.target);
    if (wrap) place(wrap);
  }
  document.addEventListener("mouseover", onShow);
  document.addEventListener("focusin", onShow);
})();
