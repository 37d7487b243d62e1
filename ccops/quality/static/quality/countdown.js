/* The skills test's countdown: hands the test in when the time is up. */
(function () {
  var el = document.getElementById("countdown");
  var left = parseInt(el.dataset.seconds, 10);
  function show() {
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 60) { el.classList.add("bad"); }
  }
  show();
  var timer = setInterval(function () {
    left -= 1;
    if (left <= 3) { clearInterval(timer); show(); var f = document.querySelector(".test-form"); var b = document.createElement("input"); b.type = "hidden"; b.name = "submit"; b.value = "1"; f.appendChild(b); f.submit(); return; }
    show();
  }, 1000);
})();
