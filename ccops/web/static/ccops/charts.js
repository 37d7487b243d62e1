/* Charts of the home page, drawn with the vendored Chart.js from data in json_script tags. */
(function () {
  "use strict";
  function bar(canvasId, labels, values, color) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || typeof Chart === "undefined" || canvas.dataset.drawn) { return; }
    canvas.dataset.drawn = "1";
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: values, backgroundColor: color, borderRadius: 4 }] },
      options: {
        responsive: true,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  function draw() {
    var node = document.getElementById("center-overview-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    bar("chart-headcount", data.labels, data.values, "#1f5f8b");
    bar("chart-skills", data.queue_labels, data.queue_values, "#4f9bc9");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
