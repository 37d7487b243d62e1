/* Behaviour of every page (no inline scripts: the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  function ready() {
    // the language selector switches as soon as a language is chosen
    var select = document.getElementById("language-select");
    if (select && select.form) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
