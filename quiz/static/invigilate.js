// The invigilator's live board: refresh each row's state, answers, time left and last contact
// every few seconds, changing only the text of cells so keyboard focus is never lost; find, filter
// and sort the candidates; act on one candidate or on the ticked ones, always with a reason.
// Without this script the page still works: every action has a page of its own.
(function () {
  "use strict";
  // Filter the list of candidates to book as the invigilator types.
  var bookFilter = document.getElementById("candidate-filter");
  if (bookFilter) {
    bookFilter.addEventListener("input", function () {
      var words = bookFilter.value.trim().toLowerCase();
      document.querySelectorAll("#candidate-list > div").forEach(function (row) {
        row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) === -1;
      });
    });
  }
  var table = document.getElementById("board");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var pollMs = Math.max(2, parseInt(table.dataset.pollSeconds, 10) || 5) * 1000;
  var summary = document.getElementById("board-summary");
  var updated = document.getElementById("board-updated");
  var search = document.getElementById("board-search");
  var filter = document.getElementById("board-filter");
  var shown = document.getElementById("board-shown");
  var selectAll = document.getElementById("select-all");
  var selectionForm = document.getElementById("selection-form");
  var selectionCount = document.getElementById("selection-count");
  var STATE_ORDER = ["in_progress", "paused", "on_break", "waiting", "not_started", "submitted", "voided"];
  var storageKey = "board:" + table.dataset.url;
  var sort = {key: "number", ascending: true};
  var fetchedAt = performance.now();
  var words = {};
  Array.prototype.forEach.call(filter ? filter.options : [], function (option) {
    if (option.value) { words[option.value] = option.text; }
  });

  function rows() { return Array.prototype.slice.call(tbody.querySelectorAll("tr[data-candidate-id]")); }
  function mmss(seconds) {
    if (seconds === null || seconds === undefined || seconds === "") { return "–"; }
    // As the time_left filter and the candidate's page: h:mm:ss from an hour.
    var s = Math.max(0, Math.ceil(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s % 60).padStart(2, "0");
  }
  function agoWords(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    if (s < 60) { return s + " s ago"; }
    var m = Math.floor(s / 60);
    if (m < 60) { return m + " min " + (s % 60) + " s ago"; }
    return Math.floor(m / 60) + " h " + (m % 60) + " min ago";
  }
  function urlFor(template, attemptId) {
    return template.replace(/\/0(\/|$)/, "/" + attemptId + "$1");
  }
  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
  function nameOf(tr) { return tr.dataset.name + " (" + tr.dataset.number + ")"; }

  // --- refreshing ------------------------------------------------------------------------------

  function apply(data) {
    fetchedAt = performance.now();
    var counts = {};
    var silent = 0;
    data.rows.forEach(function (row) {
      counts[row.state] = (counts[row.state] || 0) + 1;
      if (row.silent) { silent += 1; }
      var tr = tbody.querySelector('tr[data-candidate-id="' + row.candidate_id + '"]');
      if (!tr) { setText(updated, "New bookings: reload the page to see them."); return; }
      tr.dataset.state = row.state;
      tr.dataset.answered = String(row.answered);
      tr.dataset.remaining = row.remaining_seconds === null ? "" : String(row.remaining_seconds);
      tr.dataset.heard = row.last_seen_seconds_ago === null ? "" : String(row.last_seen_seconds_ago);
      tr.dataset.silent = row.silent ? "yes" : "";
      tr.className = "state-" + row.state + (row.silent ? " silent" : "");
      var badge = tr.querySelector(".cell-state .badge");
      badge.className = "badge badge-" + row.state;
      setText(badge, row.state_words);
      setText(tr.querySelector(".cell-answered"), row.answered + " / " + row.questions);
      setText(tr.querySelector(".time-left"), mmss(row.remaining_seconds));
      setText(tr.querySelector(".extra"), row.extra_words);
      var flag = tr.querySelector(".silent-flag");
      if (row.silent && !flag) {
        flag = document.createElement("strong");
        flag.className = "silent-flag";
        flag.textContent = "Not heard from";
        var cell = tr.querySelector(".cell-seen");
        cell.insertBefore(document.createTextNode(" "), cell.firstChild);
        cell.insertBefore(flag, cell.firstChild);
      } else if (!row.silent && flag) {
        flag.parentNode.removeChild(flag.nextSibling);
        flag.parentNode.removeChild(flag);
      }
      setText(tr.querySelector(".seen-words"), row.last_seen_words ||
              (row.last_seen_local ? "at " + row.last_seen_local : "–"));
      setText(tr.querySelector(".cell-breaks"), row.break_words || "–");
      var forms = tr.querySelectorAll("form.act");
      if (row.attempt_id && tr.dataset.attemptId !== String(row.attempt_id)) {
        tr.dataset.attemptId = String(row.attempt_id);
        forms.forEach(function (form) {
          form.setAttribute("action", urlFor(form.getAttribute("action"), row.attempt_id));
        });
        tr.querySelector(".act-extra").href = urlFor(table.dataset.attemptUrl, row.attempt_id);
        tr.querySelector(".act-void").href = urlFor(table.dataset.voidUrl, row.attempt_id);
      }
      forms.forEach(function (form) {
        form.hidden = row.actions.indexOf(form.dataset.action) === -1;
      });
      tr.querySelector(".act-extra").hidden = row.actions.indexOf("extra_time") === -1;
      tr.querySelector(".act-void").hidden = row.actions.indexOf("void") === -1;
    });
    var parts = [];
    STATE_ORDER.forEach(function (s) {
      if (counts[s]) { parts.push(counts[s] + " " + (words[s] || s).toLowerCase()); }
    });
    if (silent) { parts.push(silent + " not heard from"); }
    setText(summary, parts.join(" · "));
    setText(updated, "Updated " + data.updated_local);
    var status = document.getElementById("sitting-status");
    if (status && data.sitting.status) {
      setText(status, data.sitting.status.charAt(0).toUpperCase() + data.sitting.status.slice(1));
    }
    arrange();
  }

  // Between refreshes, running clocks count down and silences count up, so the board never
  // looks frozen; ended attempts keep the moment they were last heard from.
  function tick() {
    var elapsed = (performance.now() - fetchedAt) / 1000;
    rows().forEach(function (tr) {
      if (tr.dataset.state === "in_progress" && tr.dataset.remaining !== "") {
        setText(tr.querySelector(".time-left"), mmss(parseFloat(tr.dataset.remaining) - elapsed));
      }
      if (tr.dataset.heard !== "") {
        setText(tr.querySelector(".seen-words"), agoWords(parseFloat(tr.dataset.heard) + elapsed));
      }
    });
  }

  function poll() {
    fetch(table.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(apply)
      .catch(function () { setText(updated, "Could not refresh the board: retrying."); });
  }

  // --- finding, filtering and sorting -----------------------------------------------------------

  function value(tr, key) {
    if (key === "number") { return tr.dataset.number; }
    if (key === "name") { return tr.dataset.name.toLowerCase(); }
    if (key === "state") { return STATE_ORDER.indexOf(tr.dataset.state); }
    var raw = tr.dataset[key];
    return raw === "" ? null : parseFloat(raw);
  }

  function compare(a, b) {
    var x = value(a, sort.key), y = value(b, sort.key);
    if (x === null && y === null) { return 0; }
    if (x === null) { return 1; }  // no figure: always last
    if (y === null) { return -1; }
    var order = typeof x === "string" ? x.localeCompare(y, "en-GB", {numeric: true}) : x - y;
    return sort.ascending ? order : -order;
  }

  function arrange() {
    var words = search ? search.value.trim().toLowerCase() : "";
    var wanted = filter ? filter.value : "";
    var count = 0;
    var all = rows();
    all.forEach(function (tr) {
      var text = (tr.dataset.number + " " + tr.dataset.name).toLowerCase();
      var match = (!words || text.indexOf(words) !== -1) &&
        (!wanted || (wanted === "silent" ? tr.dataset.silent === "yes" : tr.dataset.state === wanted));
      tr.hidden = !match;
      if (match) { count += 1; }
    });
    var sorted = all.slice().sort(function (a, b) {
      return compare(a, b) || a.dataset.number.localeCompare(b.dataset.number, "en-GB", {numeric: true});
    });
    // Move rows only when the order changed, so focus inside a row is not lost every refresh.
    if (sorted.some(function (tr, i) { return tr !== all[i]; })) {
      sorted.forEach(function (tr) { tbody.appendChild(tr); });
    }
    if (shown) {
      setText(shown, count === all.length ? "Showing all " + all.length + " candidates."
        : "Showing " + count + " of " + all.length + " candidates.");
    }
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(
        {search: search ? search.value : "", filter: wanted, sort: sort}));
    } catch (e) { /* private browsing: the board still works, it just forgets */ }
    updateSelection();
  }

  function setupSorting() {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        if (sort.key === th.dataset.sort) { sort.ascending = !sort.ascending; }
        else { sort = {key: th.dataset.sort, ascending: th.dataset.sort !== "heard"}; }
        showSort();
        arrange();
      });
    });
  }

  function showSort() {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.dataset.sort === sort.key) {
        th.setAttribute("aria-sort", sort.ascending ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  // --- selecting, and acting with a reason -----------------------------------------------------

  function ticked() {
    return rows().filter(function (tr) {
      var box = tr.querySelector('input[name="candidate_id"]');
      return box && box.checked;
    });
  }

  function updateSelection() {
    if (!selectionCount) { return; }
    var chosen = ticked();
    var hidden = chosen.filter(function (tr) { return tr.hidden; }).length;
    if (!chosen.length) {
      setText(selectionCount, "Tick candidates on the board to act on several at once.");
    } else {
      setText(selectionCount, chosen.length + " selected: " + chosen.map(nameOf).join(", ") +
              (hidden ? " (" + hidden + " not shown by the current filter)" : ""));
    }
    if (selectAll) {
      var visible = rows().filter(function (tr) { return !tr.hidden; });
      var on = visible.filter(function (tr) { return tr.querySelector('input[name="candidate_id"]').checked; });
      selectAll.checked = visible.length > 0 && on.length === visible.length;
      selectAll.indeterminate = on.length > 0 && on.length < visible.length;
    }
  }

  var opener = null;
  function openDialog(action, title, button, url, candidateIds) {
    var dialog = document.getElementById("dialog-" + action);
    if (!dialog || !dialog.showModal) { return false; }
    // setAttribute, because a form holding a field named "action" hides its .action property.
    dialog.querySelector("form").setAttribute("action", url);
    setText(dialog.querySelector(".dialog-title"), title);
    setText(dialog.querySelector(".dialog-submit"), button);
    var targets = dialog.querySelector(".dialog-targets");
    targets.textContent = "";
    candidateIds.forEach(function (id) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "candidate_id";
      input.value = id;
      targets.appendChild(input);
    });
    opener = document.activeElement;
    dialog.showModal();
    dialog.querySelector("select, textarea").focus();
    return true;
  }

  document.querySelectorAll("dialog.action-dialog").forEach(function (dialog) {
    dialog.querySelector(".dialog-cancel").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (opener && document.body.contains(opener)) { opener.focus(); }
    });
  });

  function verbFor(action) {
    var dialog = document.getElementById("dialog-" + action);
    return dialog ? dialog.dataset.verb : action;
  }
  tbody.addEventListener("submit", function (event) {
    var form = event.target.closest("form.act");
    if (!form) { return; }
    var tr = form.closest("tr");
    var verb = verbFor(form.dataset.action);
    if (openDialog(form.dataset.action, verb + " " + nameOf(tr), verb + " " + tr.dataset.name,
                   form.getAttribute("action"), [])) {
      event.preventDefault();
    }
  });

  if (selectionForm) {
    selectionForm.addEventListener("submit", function (event) {
      var action = event.submitter ? event.submitter.value : "";
      var chosen = ticked();
      if (!chosen.length) {
        event.preventDefault();
        setText(selectionCount, "Tick at least one candidate on the board first.");
        return;
      }
      var verb = verbFor(action);
      var title = verb + " " + (chosen.length === 1 ? nameOf(chosen[0])
        : chosen.length + " candidates: " + chosen.map(nameOf).join(", "));
      var button = verb + " " + (chosen.length === 1 ? chosen[0].dataset.name
        : chosen.length + " candidates");
      if (openDialog(action, title, button,
                     selectionForm.getAttribute("action"), chosen.map(function (tr) { return tr.dataset.candidateId; }))) {
        event.preventDefault();
      }
    });
  }
  tbody.addEventListener("change", function (event) {
    if (event.target.name === "candidate_id") { updateSelection(); }
  });
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      rows().forEach(function (tr) {
        if (!tr.hidden) { tr.querySelector('input[name="candidate_id"]').checked = selectAll.checked; }
      });
      updateSelection();
    });
  }

  // --- start ------------------------------------------------------------------------------------

  try {
    var saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
    if (saved) {
      if (search) { search.value = saved.search || ""; }
      if (filter) { filter.value = saved.filter || ""; }
      if (saved.sort && saved.sort.key) { sort = saved.sort; }
    }
  } catch (e) { /* nothing saved */ }
  document.getElementById("board-tools").hidden = false;
  setupSorting();
  showSort();
  if (search) { search.addEventListener("input", arrange); }
  if (filter) { filter.addEventListener("change", arrange); }
  arrange();
  poll();
  setInterval(poll, pollMs);
  setInterval(tick, 1000);
})();
