// Refreshes the processing job's progress on the case page while the job
// runs (the page works without it: the "show the latest state" link
// reloads it). When the case leaves PROCESSING the page reloads once.
(function () {
  "use strict";
  var bar = document.getElementById("job-progress");
  if (!bar || !window.fetch) { return; }
  var text = document.getElementById("job-progress-text");
  var phase = document.getElementById("job-phase");
  var url = bar.getAttribute("data-poll");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { setTimeout(tick, 5000); return; }
        if (p.state !== "PROCESSING") { window.location.reload(); return; }
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        if (text) { text.textContent = p.percent + "%"; }
        if (phase) { phase.textContent = p.phase_label; }
        setTimeout(tick, 2000);
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
}());
