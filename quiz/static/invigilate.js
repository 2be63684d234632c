// The invigilator's live board: refresh each row's state, answers, time left and last contact
// every few seconds, changing only the text of cells so keyboard focus is never lost.
(function () {
  "use strict";
  // Filter the list of candidates to book as the invigilator types.
  var filter = document.getElementById("candidate-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      document.querySelectorAll("#candidate-list > div").forEach(function (row) {
        row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) === -1;
      });
    });
  }
  var table = document.getElementById("board");
  if (!table) { return; }
  var WORDS = {not_started: "Not started", waiting: "Waiting to start", in_progress: "In progress",
               paused: "Paused", submitted: "Submitted", voided: "Voided"};
  var pollMs = Math.max(2, parseInt(table.dataset.pollSeconds, 10) || 5) * 1000;
  var summary = document.getElementById("board-summary");
  var updated = document.getElementById("board-updated");
  var fetchedAt = performance.now();

  function mmss(seconds) {
    if (seconds === null || seconds === undefined || seconds === "") { return "–"; }
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function urlFor(template, attemptId) {
    return template.replace(/\/0(\/|$)/, "/" + attemptId + "$1");
  }
  function setText(el, text) { if (el.textContent !== text) { el.textContent = text; } }

  function apply(data) {
    fetchedAt = performance.now();
    var counts = {};
    data.rows.forEach(function (row) {
      counts[row.state] = (counts[row.state] || 0) + 1;
      var tr = table.querySelector('tr[data-candidate-id="' + row.candidate_id + '"]');
      if (!tr) { setText(updated, "New bookings: reload the page to see them."); return; }
      tr.dataset.state = row.state;
      tr.className = "state-" + row.state;
      var badge = tr.querySelector(".cell-state .badge");
      badge.className = "badge badge-" + row.state;
      setText(badge, WORDS[row.state] || row.state);
      setText(tr.querySelector(".cell-answered"), row.answered + " / " + row.questions);
      var time = tr.querySelector(".cell-time");
      time.dataset.remaining = row.remaining_seconds === null ? "" : String(row.remaining_seconds);
      setText(time, mmss(row.remaining_seconds));
      setText(tr.querySelector(".cell-seen"),
              row.last_seen_seconds_ago === null ? "–" : row.last_seen_seconds_ago + " s ago");
      if (row.attempt_id && tr.dataset.attemptId !== String(row.attempt_id)) {
        tr.dataset.attemptId = String(row.attempt_id);
        tr.querySelector(".act-pause").action = urlFor(table.dataset.pauseUrl, row.attempt_id);
        tr.querySelector(".act-resume").action = urlFor(table.dataset.resumeUrl, row.attempt_id);
        tr.querySelector(".act-manage").href = urlFor(table.dataset.attemptUrl, row.attempt_id);
      }
      tr.querySelector(".act-pause").hidden = row.state !== "in_progress";
      tr.querySelector(".act-resume").hidden = row.state !== "paused";
      tr.querySelector(".act-manage").hidden = !row.attempt_id;
    });
    var parts = [];
    ["in_progress", "paused", "waiting", "not_started", "submitted", "voided"].forEach(function (s) {
      if (counts[s]) { parts.push(counts[s] + " " + WORDS[s].toLowerCase()); }
    });
    setText(summary, parts.join(" · "));
    setText(updated, "Updated " + new Date().toLocaleTimeString());
    var status = document.getElementById("sitting-status");
    if (status && data.sitting.status) {
      setText(status, data.sitting.status.charAt(0).toUpperCase() + data.sitting.status.slice(1));
    }
  }

  // Between refreshes, running clocks count down here so the board never looks frozen.
  function tick() {
    var elapsed = (performance.now() - fetchedAt) / 1000;
    table.querySelectorAll('tr[data-state="in_progress"] .cell-time').forEach(function (cell) {
      if (cell.dataset.remaining !== "") {
        setText(cell, mmss(parseFloat(cell.dataset.remaining) - elapsed));
      }
    });
  }

  function poll() {
    fetch(table.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(apply)
      .catch(function () { setText(updated, "Could not refresh the board: retrying."); });
  }
  poll();
  setInterval(poll, pollMs);
  setInterval(tick, 1000);
})();
