// Draws the dashboard's charts from the figures embedded in the page (#dashboard-data).
// Every chart has a table beside it; without script the page still shows every number.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const colours = ["#0b6e4f", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f"];
  function bar(id, labels, values) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: values, backgroundColor: colours[0] }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  function lines(id, trend, type) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const datasets = Object.keys(trend.series).map(function (key, index) {
      return { label: data.names[key] || key, data: trend.series[key], borderColor: colours[index],
               backgroundColor: colours[index], tension: 0.2 };
    });
    new Chart(canvas, {
      type: type,
      data: { labels: trend.labels, datasets: datasets },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  bar("chart-ppks", data.ppks.labels, data.ppks.values);
  bar("chart-cases", data.cases.labels, data.cases.values);
  bar("chart-activities", data.activities.labels, data.activities.values);
  lines("chart-monthly", data.monthly, "line");
  lines("chart-yearly", data.yearly, "bar");
})();
