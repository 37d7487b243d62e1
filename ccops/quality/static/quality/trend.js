/* The agent's scorecard trend: a stacked bar per month (the four dimensions), drawn with the
   vendored Chart.js from a json_script tag ("scorecard-trend"). */
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("scorecard-trend");
    var canvas = document.getElementById("chart-trend");
    if (!node || !canvas || typeof Chart === "undefined" || canvas.dataset.drawn) { return; }
    canvas.dataset.drawn = "1";
    var d = JSON.parse(node.textContent);
    var colors = ["#1f5f8b", "#4f9bc9", "#9cc7e4", "#e0a84c"];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: d.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colors[i % colors.length] };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, max: 100 } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
