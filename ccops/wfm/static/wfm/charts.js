/* Charts of the workforce pages (forecast, intraday, staffing what-if), drawn with the
   vendored Chart.js from the data-* attributes of their canvas; a static file because the
   Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  function line(el, datasets, extraScales) {
    var scales = {y: {beginAtZero: true}};
    Object.keys(extraScales || {}).forEach(function (k) { scales[k] = extraScales[k]; });
    if (el._chart) { el._chart.destroy(); }
    el._chart = new Chart(el, {type: "line", data: {labels: JSON.parse(el.dataset.chart).labels,
      datasets: datasets}, options: {animation: false, scales: scales}});
  }
  function forecast() {
    var el = document.getElementById("forecast-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var d = JSON.parse(el.dataset.chart);
    line(el, [
      {label: el.dataset.labelForecast, data: d.forecast, borderColor: "#1d4ed8", pointRadius: 0},
      {label: el.dataset.labelActual, data: d.actual, borderColor: "#b45309", pointRadius: 0, spanGaps: false}
    ]);
  }
  function intraday() {
    var el = document.getElementById("intraday-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var d = JSON.parse(el.dataset.chart);
    line(el, [
      {label: el.dataset.labelForecast, data: d.forecast, borderColor: "#1d4ed8", pointRadius: 0},
      {label: el.dataset.labelActual, data: d.actual, borderColor: "#b45309", pointRadius: 0},
      {label: el.dataset.labelReforecast, data: d.reforecast, borderColor: "#6b7280", borderDash: [4, 3], pointRadius: 0}
    ]);
  }
  function whatIf() {
    var el = document.getElementById("whatif-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var d = JSON.parse(el.dataset.chart);
    line(el, [
      {label: el.dataset.labelScheduled, data: d.scheduled, stepped: true, borderColor: "#b45309"},
      {label: el.dataset.labelAgents, data: d.agents, stepped: true, borderColor: "#1d4ed8"},
      {label: el.dataset.labelCalls, data: d.calls, yAxisID: "calls", borderColor: "#9ca3af", borderDash: [4, 3]}
    ], {calls: {position: "right", beginAtZero: true, grid: {drawOnChartArea: false}}});
  }
  window.addEventListener("load", function () { forecast(); intraday(); whatIf(); });
  document.addEventListener("htmx:afterSwap", whatIf);
})();
