// tebiki default theme: glossary tooltips on touch screens, and kept inside the window.
// Without this script the definitions still show on hover and keyboard focus, and a tap on
// a term opens its glossary entry. With it, Escape hides a definition shown any way.
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

  // Turns a tip to end at its term when it would run past the right edge of the window, and
  // when it would then run past the left edge (a narrow window), moves it to fit.
  function place(wrap) {
    var tip = wrap.querySelector(".glossary-tip");
    if (!tip) return;
    tip.classList.remove("tip-end");
    tip.style.left = "";
    if (getComputedStyle(tip).position === "fixed") return; // the bottom sheet of touch screens
    var edge = document.documentElement.clientWidth - 8;
    var box = tip.getBoundingClientRect();
    if (!box.width || box.right <= edge) return;
    tip.classList.add("tip-end");
    var end = tip.getBoundingClientRect();
    if (end.left >= 8) return;
    tip.classList.remove("tip-end");
    tip.style.left = Math.max(8, edge - box.width) - box.left + "px";
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
      wrap.classList.remove("is-dismissed");
      wrap.classList.add("is-open");
      open = wrap;
      place(wrap);
      return;
    }
    if (open && wrap !== open) close();
  });

  // Escape hides a definition however it is shown: a tap, or hover or focus, which the
  // stylesheet answers and the script cannot undo; `is-dismissed` hides it until the pointer
  // or the focus comes back to the term. The focus stays where it is.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    close();
    var shown = document.querySelectorAll(".glossary:hover, .glossary:focus-within");
    for (var i = 0; i < shown.length; i++) shown[i].classList.add("is-dismissed");
  });

  function onShow(e) {
    var wrap = glossaryOf(e.target);
    if (!wrap) return;
    // From outside the term and its tip: a new hover or focus, which shows it again.
    if (!wrap.contains(e.relatedTarget)) wrap.classList.remove("is-dismissed");
    place(wrap);
  }
  document.addEventListener("mouseover", onShow);
  document.addEventListener("focusin", onShow);
})();
