// The candidate's test page: save each answer the moment it is chosen, keep the countdown on the
// server's time, and follow pauses, extra time and submission made elsewhere.
(function () {
  "use strict";
  var bar = document.getElementById("attempt-bar");
  if (!bar) { return; }
  var csrf = document.querySelector('input[name="csrf_token"]');
  var csrfToken = csrf ? csrf.value : "";
  var attemptId = bar.dataset.attempt;
  var resultUrl = bar.dataset.resultUrl;
  var statusUrl = bar.dataset.statusUrl;
  var pollMs = Math.max(2, parseInt(bar.dataset.pollSeconds, 10) || 15) * 1000;
  var timeLeft = document.getElementById("time-left");
  var timerNote = document.getElementById("timer-note");
  var warning = document.getElementById("time-warning");
  var announcer = document.getElementById("announcer");
  var pausedBox = document.getElementById("paused-message");
  var questionArea = document.getElementById("question-area");

  // --- the clock: the server says how many seconds are left; we count down on a monotonic clock.
  var endsAt = 0;
  var paused = false;
  var finishing = false;
  function setRemaining(seconds, isPaused) {
    endsAt = performance.now() + seconds * 1000;
    paused = isPaused;
    timerNote.textContent = paused ? "(paused)" : "";
    pausedBox.hidden = !paused;
    if (questionArea) { questionArea.hidden = paused; }
  }
  function secondsLeft() {
    return Math.max(0, (endsAt - performance.now()) / 1000);
  }
  function format(seconds) {
    var s = Math.ceil(seconds);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(r).padStart(2, "0");
    return (h ? h + ":" : "") + mm + ":" + ss;
  }
  var WARNINGS = [[300, "5 minutes left."], [60, "1 minute left."]];
  function warnedKey(limit) { return "quiz-warned-" + attemptId + "-" + limit; }
  function warn(text) {
    warning.textContent = text + " Your answers are saved as you go.";
    warning.hidden = false;
    announcer.textContent = text;
  }
  function tick() {
    if (paused) { return; }
    var left = secondsLeft();
    timeLeft.textContent = format(left);
    bar.querySelector(".timer").classList.toggle("low", left <= 300);
    WARNINGS.forEach(function (w) {
      if (left <= w[0] && left > 0 && !sessionStorage.getItem(warnedKey(w[0]))) {
        sessionStorage.setItem(warnedKey(w[0]), "1");
        warn(w[1]);
      }
    });
    if (left <= 0 && !finishing) { finishing = true; finish(); }
  }
  function finish() {
    timeLeft.textContent = "0:00";
    announcer.textContent = "Time is up. Your answers are being submitted.";
    checkStatus().then(function (state) {
      if (state === "in_progress") { finishing = false; setTimeout(tick, 1000); }
    });
  }
  function checkStatus() {
    return fetch(statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state === "submitted" || s.state === "voided") {
          window.location.assign(s.result_url || resultUrl);
          return s.state;
        }
        setRemaining(s.remaining_seconds, s.state === "paused");
        return s.state;
      })
      .catch(function () { return "unknown"; });
  }
  setRemaining(parseFloat(bar.dataset.remaining), bar.dataset.paused === "true");
  tick();
  setInterval(tick, 250);
  setInterval(checkStatus, pollMs);

  // --- answers: each choice is sent with a rising sequence number; the newest one wins.
  var form = document.getElementById("answer-form");
  if (!form) { return; }
  var position = parseInt(form.dataset.position, 10);
  var seqField = document.getElementById("seq");
  var statusLine = document.getElementById("save-status");
  var seqKey = "quiz-seq-" + attemptId;
  function nextSeq() {
    var seq = Math.max(parseInt(form.dataset.lastSeq, 10) || 0,
                       parseInt(sessionStorage.getItem(seqKey), 10) || 0) + 1;
    sessionStorage.setItem(seqKey, String(seq));
    form.dataset.lastSeq = String(seq);
    seqField.value = String(seq);
    return seq;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrfToken},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return {ok: r.ok, status: r.status, data: data};
      });
    });
  }
  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
  }
  var navLink = document.getElementById("nav-" + position);
  function markNavigator(answered) {
    if (!navLink) { return; }
    navLink.classList.toggle("answered", answered);
    var flagged = navLink.classList.contains("flagged");
    navLink.setAttribute("aria-label", "Question " + navLink.dataset.position + ", " +
      (answered ? "answered" : "not answered") + (flagged ? ", flagged for review" : ""));
  }
  var pending = null;  // the newest unacknowledged save; older ones no longer matter
  var retryDelay = 1000;
  function send(save) {
    pending = save;
    say("Saving…");
    post(form.dataset.saveUrl, save).then(function (res) {
      if (pending !== save) { return; }  // a newer choice has been sent since
      if (res.ok) {
        pending = null;
        retryDelay = 1000;
        var held = res.data.choice;
        if (held !== save.choice) { checkOption(held); }
        markNavigator(held !== null && held !== undefined);
        say(held === null || held === undefined ? "Answer cleared." : "Answer saved.");
        return;
      }
      pending = null;
      if (res.data && (res.data.error === "time_up" || res.data.error === "attempt_closed")) {
        say(res.data.message, true);
        disableOptions();
        setTimeout(function () { window.location.assign(resultUrl); }, 4000);
      } else if (res.data && res.data.error === "paused") {
        say(res.data.message, true);
        checkStatus();
      } else {
        say((res.data && res.data.message) || "This answer was not saved.", true);
      }
    }).catch(function () {
      if (pending !== save) { return; }
      say("Not saved yet: trying again. Check the network cable or Wi-Fi, or tell the invigilator.", true);
      setTimeout(function () { if (pending === save) { send(save); } }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }
  function checkOption(index) {
    form.querySelectorAll('input[name="choice"]').forEach(function (input) {
      input.checked = (index !== null && parseInt(input.value, 10) === index);
    });
  }
  function disableOptions() {
    form.querySelectorAll("input, button").forEach(function (el) { el.disabled = true; });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name !== "choice") { return; }
    send({position: position, choice: parseInt(event.target.value, 10), seq: nextSeq()});
  });
  // Moving on by the form's buttons posts the chosen answer with its sequence number, so it is
  // saved either way; links away wait (briefly) for the newest save to be acknowledged.
  form.addEventListener("submit", function () { pending = null; });
  document.querySelectorAll(".navigator a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!pending) { return; }
      event.preventDefault();
      var waited = 0;
      (function wait() {
        if (!pending || waited >= 5000) { window.location.assign(link.href); return; }
        waited += 100;
        setTimeout(wait, 100);
      })();
    });
  });

  // --- flag for review without leaving the page.
  var flagButton = document.getElementById("flag-button");
  flagButton.addEventListener("click", function (event) {
    event.preventDefault();
    var flagged = flagButton.getAttribute("aria-pressed") !== "true";
    post(form.dataset.flagUrl, {position: position, flagged: flagged}).then(function (res) {
      if (!res.ok) { say((res.data && res.data.message) || "The flag was not saved.", true); return; }
      flagButton.setAttribute("aria-pressed", res.data.flagged ? "true" : "false");
      flagButton.textContent = res.data.flagged ? "Flagged for review" : "Flag for review";
      if (navLink) {
        navLink.classList.toggle("flagged", res.data.flagged);
        markNavigator(navLink.classList.contains("answered"));
      }
    });
  });
})();
