/* Charts of the workforce pages (forecast, intraday, staffing what-if), drawn with the
   vendored Chart.js from the data-* attributes of their canvas; a static file because the
   Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  function line(el, datasets, extraScales, plugins) {
    var scales = {y: {beginAtZero: true}};
    Object.keys(extraScales || {}).forEach(function (k) { scales[k] = extraScales[k]; });
    if (el._chart) { el._chart.destroy(); }
    el._chart = new Chart(el, {type: "line", data: {labels: JSON.parse(el.dataset.chart).labels,
      datasets: datasets}, options: {animation: false, scales: scales, plugins: plugins || {},
      interaction: {mode: "index", intersect: false}}});
  }
  function forecast() {
    // The forecast's calls with the 80 % band (shaded between low and high), the imported
    // actuals, and the average handle time on a second axis (seconds, right).
    var el = document.getElementById("forecast-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var d = JSON.parse(el.dataset.chart);
    var sets = [];
    if (d.has_band) {
      sets.push({label: el.dataset.labelBand, data: d.low, borderColor: "rgba(29,78,216,0)",
        backgroundColor: "rgba(29,78,216,0.15)", pointRadius: 0, fill: false});
      sets.push({label: el.dataset.labelBand, data: d.high, borderColor: "rgba(29,78,216,0)",
        backgroundColor: "rgba(29,78,216,0.15)", pointRadius: 0, fill: "-1"});
    }
    sets.push({label: el.dataset.labelForecast, data: d.forecast, borderColor: "#1d4ed8", pointRadius: 0});
    if (d.has_actuals) {
      sets.push({label: el.dataset.labelActual, data: d.actual, borderColor: "#b45309",
        backgroundColor: "#b45309", pointRadius: 1.5, spanGaps: false});
    }
    sets.push({label: el.dataset.labelAht, data: d.aht, yAxisID: "aht", borderColor: "#6b7280",
      borderDash: [4, 3], borderWidth: 1, pointRadius: 0});
    line(el, sets, {
      y: {beginAtZero: true, title: {display: true, text: el.dataset.axisCalls}},
      aht: {position: "right", beginAtZero: true, grid: {drawOnChartArea: false},
        title: {display: true, text: el.dataset.axisAht}}
    }, {legend: {labels: {filter: function (item, data) {
      // One legend entry for the band (its two edges share the label).
      return !(d.has_band && item.datasetIndex === 0);
    }}}});
  }
  function forecastCompare() {
    var el = document.getElementById("forecast-compare-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var d = JSON.parse(el.dataset.chart);
    line(el, [
      {label: el.dataset.labelA, data: d.a, borderColor: "#6b7280", borderDash: [5, 3], pointRadius: 0},
      {label: el.dataset.labelB, data: d.b, borderColor: "#1d4ed8", pointRadius: 0}
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
  window.addEventListener("load", function () { forecast(); forecastCompare(); intraday(); whatIf(); });
  document.addEventListener("htmx:afterSwap", whatIf);
})();
