/* Behaviour of every page (no inline scripts: the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  function ready() {
    // the language selector switches as soon as a language is chosen
    var select = document.getElementById("language-select");
    if (select && select.form) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
    // a list whose options belong to an owner chosen in another list (data-follows): only
    // the chosen owner's options show, and choosing an option chooses its owner
    document.querySelectorAll("select[data-follows]").forEach(function (list) {
      var owner = document.getElementById(list.dataset.follows);
      if (!owner) return;
      function follow() {
        Array.prototype.forEach.call(list.options, function (o) {
          var mine = !o.dataset.owner || !owner.value || o.dataset.owner === owner.value;
          o.hidden = !mine;
          if (!mine && o.selected) list.value = "";
        });
      }
      owner.addEventListener("change", follow);
      list.addEventListener("change", function () {
        var o = list.options[list.selectedIndex];
        if (o && o.dataset.owner && owner.value !== o.dataset.owner) {
          owner.value = o.dataset.owner;
          follow();
        }
      });
      follow();
    });
    // on a phone the main menu opens and closes with one button
    var toggle = document.getElementById("menu-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.closest(".topbar").classList.toggle("menu-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  }
  // "/" anywhere outside a form field puts the cursor in the top bar's search box
  document.addEventListener("keydown", function (e) {
    var box = document.getElementById("topbar-search"), t = e.target;
    if (!box || e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    e.preventDefault(); box.focus(); box.select();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
