// The candidate's test page (docs/pages.md). It holds the whole paper, so the candidate can move
// between questions and keep answering while the network is down; every answer and flag goes
// through an outbox in localStorage before it is sent, and is sent in order when it can be. The
// countdown follows the server's clock, and the server pushes pauses, breaks, extra time and
// messages over a server-sent event stream (polling when the stream fails). Without JavaScript
// the server's pages work on their own.
(function () {
  "use strict";
  var bar = document.getElementById("attempt-bar");
  if (!bar) { return; }
  var D = bar.dataset;
  var csrfInput = document.querySelector('input[name="csrf_token"]');
  var csrfToken = csrfInput ? csrfInput.value : "";
  var baseUrl = D.baseUrl;
  var resultUrl = D.resultUrl;
  var pollMs = Math.max(2, parseInt(D.pollSeconds, 10) || 10) * 1000;
  var $ = function (id) { return document.getElementById(id); };
  var timeLeft = $("time-left"), timerNote = $("timer-note"), warning = $("time-warning");
  var announcer = $("announcer"), pausedBox = $("paused-message"), breakBox = $("break-message");
  var area = $("question-area"), outboxLine = $("outbox-status"), report = $("outbox-report");
  var messagesBox = $("room-messages");

  // --- small helpers --------------------------------------------------------------------------
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { el.textContent = value; } else { el.setAttribute(name, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }
  var store = {
    get: function (key, fallback) {
      try { var v = window.localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
      catch (e) { return fallback; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); return true; }
      catch (e) { return false; }
    },
    drop: function (key) { try { window.localStorage.removeItem(key); } catch (e) { /* gone */ } }
  };
  // Keyed by candidate and attempt, so a shared exam-room PC never mixes two people's answers.
  var KEY = "quiz:" + D.candidate + ":" + D.attempt + ":";
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function clockTime(ms) {
    return new Date(ms).toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"});
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrfToken},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return {ok: r.ok, status: r.status, data: data || {}};
      });
    });
  }
  function getJson(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { var err = new Error(String(r.status)); err.status = r.status; err.data = data; throw err; }
          return data;
        });
      });
  }

  // --- the clock: the server says how many seconds are left; we count down on a monotonic clock.
  var endsAt = 0, frozenAt = null, finishing = false, timeUpShown = false;
  function format(seconds) {
    var s = Math.ceil(seconds);
    var hh = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (hh ? String(m).padStart(2, "0") : String(m)), ss = String(r).padStart(2, "0");
    return (hh ? hh + ":" : "") + mm + ":" + ss;
  }
  function setRemaining(seconds, frozen) {
    endsAt = performance.now() + seconds * 1000;
    // While paused or on a break the time shown is exactly the server's (the board shows it too).
    frozenAt = frozen ? seconds : null;
    if (frozen) { timeLeft.textContent = format(seconds); }
    tick();
  }
  function secondsLeft() {
    return frozenAt !== null ? frozenAt : Math.max(0, (endsAt - performance.now()) / 1000);
  }
  var WARNINGS = [[300, "5 minutes left."], [60, "1 minute left."]];
  function warnedKey(limit) { return "quiz-warned-" + D.attempt + "-" + limit; }
  function warn(text) {
    warning.textContent = text + " Your answers are saved as you go.";
    warning.hidden = false;
    announcer.textContent = text;
  }
  function tick() {
    if (frozenAt !== null) { return; }
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
    // The page's countdown reached zero; the server decides whether time is really up.
    timeLeft.textContent = "0:00";
    if (!timeUpShown) {
      timeUpShown = true;
      announcer.textContent = "Time is up. Your answers are being submitted.";
    }
    setInputsDisabled(true);
    checkStatus().then(function (state) {
      if (state !== "submitted" && state !== "voided") {
        setTimeout(function () { finishing = false; tick(); }, 1000);
      }
    });
  }
  function setInputsDisabled(disabled) {
    area.querySelectorAll('input[name="choice"], #flag-button').forEach(function (el) {
      el.disabled = disabled;
    });
  }

  // --- the paper the page holds ------------------------------------------------------------------
  var paper = null;  // {total, questions: [{position, stem, options, chosen, flagged, seq, flag_seq}]}
  var serverLastSeq = parseInt(D.lastSeq, 10) || 0;
  function question(position) { return paper ? paper.questions[position - 1] : null; }

  // --- the outbox ----------------------------------------------------------------------------------
  // Entries: {kind: "answer"|"flag", position, choice|flagged, seq, at}. The newest entry for a
  // question replaces an older one still waiting; they are sent one at a time, lowest seq first.
  function outbox() { return store.get(KEY + "outbox", []); }
  function writeOutbox(list) {
    list.sort(function (a, b) { return a.seq - b.seq; });
    if (!list.length) { store.drop(KEY + "outbox"); } else if (!store.set(KEY + "outbox", list)) {
      say("This computer cannot keep unsent answers: tell the invigilator.", true);
    }
    showOutbox();
  }
  function nextSeq() {
    var held = outbox().reduce(function (m, e) { return Math.max(m, e.seq); }, 0);
    var seq = Math.max(serverLastSeq, store.get(KEY + "seq", 0), held) + 1;
    store.set(KEY + "seq", seq);
    return seq;
  }
  function enqueue(entry) {
    entry.seq = nextSeq();
    entry.at = Date.now();
    var list = outbox().filter(function (e) {
      return !(e.kind === entry.kind && e.position === entry.position);
    });
    list.push(entry);
    writeOutbox(list);
    flush();
  }
  function removeSent(entry) {
    writeOutbox(outbox().filter(function (e) { return e.seq !== entry.seq; }));
  }
  function waiting(kind, position) {
    return outbox().filter(function (e) {
      return e.kind === kind && (position === undefined || e.position === position);
    });
  }
  // Offline is what the last request found (navigator.onLine is only a hint: some machines
  // report offline with a working local network, others online with none).
  var offline = false, sending = false, held = null, retryTimer = null, retryDelay = 1000;
  var ended = null;  // set when the server says the attempt is over: "time" or "closed"
  function showOutbox() {
    var answers = waiting("answer").length, flags = waiting("flag").length;
    var parts = [];
    if (answers) { parts.push(plural(answers, "answer", "answers")); }
    if (flags) { parts.push(plural(flags, "flag", "flags")); }
    if (!parts.length) {
      outboxLine.textContent = offline ? "Offline: your answers will be kept on this computer." : "";
    } else {
      var text = parts.join(" and ") + " not saved yet";
      if (held === "signed_out") {
        text += ": sign in again to send them (they are kept on this computer).";
      } else if (held === "paused" || held === "on_break") {
        text += ": they will be sent when your test runs again.";
      } else if (offline || retryTimer) {
        text += ": they are kept on this computer and will be sent when the network is back.";
      } else {
        text += ".";
      }
      outboxLine.textContent = text;
    }
    outboxLine.classList.toggle("pending", parts.length > 0);
    showSaveStatus();
  }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }
  function flush() {
    if (sending || (held && !ended)) { return; }
    var list = outbox();
    if (!list.length) { showOutbox(); afterEnd(); return; }
    var entry = list[0];
    var body = entry.kind === "answer"
      ? {position: entry.position, choice: entry.choice, seq: entry.seq}
      : {position: entry.position, flagged: entry.flagged, seq: entry.seq};
    sending = true;
    showOutbox();
    post(entry.kind === "answer" ? D.saveUrl : D.flagUrl, body).then(function (res) {
      sending = false;
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      if (offline) { offline = false; }
      if (res.ok) {
        retryDelay = 1000;
        acknowledged(entry, res.data);
        removeSent(entry);
        flush();
        return;
      }
      refused(entry, res);
    }).catch(function () {
      sending = false;
      offline = true;
      scheduleRetry();
      showOutbox();
    });
  }
  function acknowledged(entry, data) {
    serverLastSeq = Math.max(serverLastSeq, data.seq || 0);
    var q = question(entry.position);
    if (!q) { return; }
    // "stale" means the server holds something newer (from another computer): show that.
    if (entry.kind === "answer") {
      if (data.seq >= q.seq) {
        q.seq = data.seq;
        if (!waiting("answer", entry.position).some(newer(data.seq))) { q.chosen = data.choice; }
      }
      if (data.status === "stale" && isCurrent(entry.position)) {
        say("A newer answer, chosen on another computer, is kept.", false);
      }
    } else if (data.seq >= q.flag_seq) {
      q.flag_seq = data.seq;
      if (!waiting("flag", entry.position).some(newer(data.seq))) { q.flagged = data.flagged; }
    }
    syncScreen();
  }
  function newer(seq) { return function (e) { return e.seq > seq; }; }
  var refusedLog = store.get(KEY + "refused", []);  // [{at, why}] for the report
  function refused(entry, res) {
    var code = res.data.error;
    if (code === "time_up" || code === "attempt_closed") {
      // Too late: the server will never take it. Drop it and say so plainly.
      ended = ended || (code === "time_up" ? "time" : "closed");
      if (entry.kind === "answer") { refusedLog.push({at: entry.at, why: code}); }
      store.set(KEY + "refused", refusedLog);
      removeSent(entry);
      if (entry.kind === "answer" && isCurrent(entry.position)) { say(res.data.message, true); }
      flush();
    } else if (code === "paused" || code === "on_break") {
      held = code;  // kept until the attempt runs again
      showOutbox();
      checkStatus();
    } else if (res.status === 401 || code === "csrf") {
      held = "signed_out";
      showOutbox();
      showSignedOut();
    } else if (res.status === 400 || res.status === 404) {
      removeSent(entry);  // it can never succeed; the message says why
      say(res.data.message || "This answer was not saved.", true);
      flush();
    } else {
      scheduleRetry();  // the server is struggling: try again later, in order
      showOutbox();
    }
  }
  function showSignedOut() {
    report.hidden = false;
    report.textContent = "";
    report.appendChild(h("p", {}, ["You have been signed out, so your latest answers could not be sent. ",
      h("a", {href: "/login?next=" + encodeURIComponent(location.pathname), text: "Sign in again"}),
      " on this computer and they will be sent: they are kept here until then."]));
  }
  function showReport() {
    var byWhy = {};
    refusedLog.forEach(function (r) { (byWhy[r.why] = byWhy[r.why] || []).push(r.at); });
    report.textContent = "";
    report.appendChild(h("h2", {text: ended === "time" ? "Time is up" : "Your test has been submitted"}));
    Object.keys(byWhy).forEach(function (why) {
      var times = byWhy[why], n = times.length, first = Math.min.apply(null, times);
      var verb = n === 1 ? "was" : "were";
      var late = why === "time_up" ? "after time ran out" : "after your test had been submitted";
      report.appendChild(h("p", {text: plural(n, "answer", "answers") + " you chose after " +
        clockTime(first) + " reached the server " + late + " and " + verb + " not saved."}));
    });
    report.appendChild(h("p", {}, ["Every answer the server acknowledged before then is kept. ",
      h("a", {href: resultUrl, id: "see-result", text: "Continue"})]));
    report.hidden = false;
  }
  function afterEnd() {
    // Once the attempt is over and the outbox is empty: report what was refused, or move on.
    if (!ended) { return; }
    stopStream();
    setInputsDisabled(true);
    area.hidden = true;
    if (refusedLog.length) {
      showReport();
      store.drop(KEY + "refused");
    } else {
      window.location.assign(resultUrl);
    }
    store.drop(KEY + "seq");
  }

  // --- the state the server pushes -------------------------------------------------------------
  var state = D.state || "in_progress";
  function applyStatus(s) {
    lastStatusAt = performance.now();
    if (typeof s.last_seq === "number") { serverLastSeq = Math.max(serverLastSeq, s.last_seq); }
    if (s.result_url) { resultUrl = s.result_url; }
    if (s.state === "submitted" || s.state === "voided") {
      ended = ended || (s.state === "voided" ? "closed" : "time");
      state = s.state;
      held = null;
      flush();  // anything still queued is refused; then report or move on
      return s.state;
    }
    state = s.state;
    var frozen = s.state === "paused" || s.state === "on_break";
    setRemaining(s.remaining_seconds, frozen);
    timerNote.textContent = s.state === "paused" ? "(paused)" : s.state === "on_break" ? "(on a break)" : "";
    pausedBox.hidden = s.state !== "paused";
    breakBox.hidden = s.state !== "on_break";
    area.hidden = frozen;
    showExtra(s.extra_seconds || 0);
    showBreak(s["break"], s.state);
    showMessages(s.messages || []);
    if (!frozen) {
      if (s.remaining_seconds > 0) { setInputsDisabled(false); }
      if (held === "paused" || held === "on_break") { held = null; flush(); }
    }
    return s.state;
  }
  function showExtra(seconds) {
    var box = $("extra-time");
    box.hidden = seconds <= 0;
    var m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
    $("extra-time-amount").textContent = "+" + m + " min" + (s ? " " + s + " s" : "");
  }
  var breakEndsAt = null, breakTimer = null;
  function showBreak(info, current) {
    var button = $("take-break");
    if (button) {
      button.hidden = !info || current !== "in_progress" || info.left_seconds <= 0;
      if (info) { $("break-allowance").textContent = format(info.left_seconds) + " left"; }
    }
    if (breakTimer) { clearTimeout(breakTimer); breakTimer = null; }
    if (info && current === "on_break") {
      breakEndsAt = performance.now() + info.left_seconds * 1000;
      var left = function () { return Math.max(0, (breakEndsAt - performance.now()) / 1000); };
      var draw = function () {
        $("break-left").textContent = format(left());
        // A break ends by itself when the allowance is used up: ask the server then.
        if (left() <= 0) { checkStatus(); return; }
        breakTimer = setTimeout(draw, 250);
      };
      draw();
    }
  }
  function breakAction(action) {
    return post(D.breakUrl, {action: action}).then(function (res) {
      if (!res.ok) {
        announcer.textContent = res.data.message || "That did not work: ask the invigilator.";
        return;
      }
      applyStatus(res.data);
      // The button pressed has gone: keep the keyboard where the candidate is now.
      var next = action === "start" ? $("end-break") : area.querySelector("[data-focus]");
      (next && !next.closest("[hidden]") ? next : $("main")).focus();
    }).catch(function () {
      announcer.textContent = "The network is down, so the break could not be changed: ask the invigilator.";
    });
  }
  $("end-break").addEventListener("click", function () { breakAction("end"); });
  var takeBreak = $("take-break");
  if (takeBreak) { takeBreak.addEventListener("click", function () { breakAction("start"); }); }

  var dismissed = store.get(KEY + "dismissed", []);
  function showMessages(messages) {
    // Only new messages are added, so the live region announces each one once.
    messages.forEach(function (m) {
      if (dismissed.indexOf(m.id) !== -1 || $("message-" + m.id)) { return; }
      var headingId = "message-" + m.id + "-heading";
      var to = m.to === "you" ? " to you" : "";
      var section = h("section", {"class": "room-message", id: "message-" + m.id,
                                  "aria-labelledby": headingId}, [
        h("h2", {id: headingId, text: "Message from " + m.from + to + ", " + clockTime(Date.parse(m.sent_at))}),
        h("p", {"class": "message-body", text: m.body}),
        h("button", {type: "button", "class": "dismiss", "data-message": String(m.id)},
          ["Dismiss", h("span", {"class": "visually-hidden", text: " the message from " + m.from})])
      ]);
      messagesBox.appendChild(section);
    });
  }
  messagesBox.addEventListener("click", function (event) {
    var button = event.target.closest("button.dismiss");
    if (!button) { return; }
    var id = parseInt(button.dataset.message, 10);
    if (dismissed.indexOf(id) === -1) { dismissed.push(id); store.set(KEY + "dismissed", dismissed); }
    var section = $("message-" + id);
    if (section) { section.remove(); }
    $("main").focus();
  });

  // --- hearing from the server: a stream, or polling when the stream fails ----------------------
  var source = null, pollTimer = null, lastStatusAt = performance.now(), streamErrors = 0;
  function checkStatus() {
    return getJson(D.statusUrl).then(applyStatus).catch(function (err) {
      if (err.status === 401) { held = "signed_out"; showOutbox(); }
      return "unknown";
    });
  }
  function startPolling() {
    if (!pollTimer) { pollTimer = setInterval(checkStatus, pollMs); }
  }
  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }
  function connect() {
    if (!window.EventSource || ended) { startPolling(); return; }
    source = new EventSource(D.eventsUrl);
    source.addEventListener("status", function (event) {
      streamErrors = 0;
      stopPolling();
      var data = null;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      applyStatus(data);
    });
    source.onerror = function () {
      // A stream that ends after its minute reconnects by itself; one that keeps failing (or
      // is refused) gives way to polling, and is tried again later.
      streamErrors += 1;
      if (source.readyState === EventSource.CLOSED || streamErrors >= 3) {
        stopStream();
        startPolling();
        if (!ended) { setTimeout(connect, 30000); }
      }
    };
  }
  function stopStream() {
    if (source) { source.close(); source = null; }
    if (ended) { stopPolling(); }
  }
  // A safety net for a stream that is open but silent (a buffering proxy): poll now and then.
  setInterval(function () {
    if (!ended && performance.now() - lastStatusAt > 90000) { checkStatus(); }
  }, pollMs);
  window.addEventListener("online", function () {
    offline = false;
    retryDelay = 1000;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    showOutbox();
    flush();
    checkStatus();
  });
  window.addEventListener("offline", function () { offline = true; showOutbox(); });

  // --- screens: a question, the review, the confirmation -----------------------------------------
  var screen = area.dataset.screen, position = null;
  var form = null;
  function routeOf(url) {
    var path = new URL(url, location.href).pathname;
    if (path.indexOf(baseUrl + "/") !== 0) { return null; }
    var rest = path.slice(baseUrl.length + 1);
    var m = /^q\/(\d+)$/.exec(rest);
    if (m) { return {screen: "question", position: parseInt(m[1], 10)}; }
    if (rest === "review") { return {screen: "review"}; }
    if (rest === "submit") { return {screen: "confirm"}; }
    return null;
  }
  function urlOf(route) {
    if (route.screen === "question") { return baseUrl + "/q/" + route.position; }
    return baseUrl + (route.screen === "review" ? "/review" : "/submit");
  }
  function headingTag() { return bar.querySelector("h1") ? "h2" : "h1"; }
  function go(route, push) {
    if (!paper || (route.screen === "question" && !question(route.position))) { return false; }
    if (push) { history.pushState(route, "", urlOf(route)); }
    var name = bar.querySelector(".test-name");
    if (route.screen === "question" && name.tagName !== "H1") {
      // The question screen's only top heading is the test's name, as the server draws it.
      var heading = h("h1", {"class": "test-name", text: name.textContent});
      name.replaceWith(heading);
    }
    area.textContent = "";
    screen = route.screen;
    area.dataset.screen = screen;
    area.className = screen === "question" ? "attempt-layout" : "";
    if (screen === "question") { drawQuestion(route.position); }
    else if (screen === "review") { drawReview(); }
    else { drawConfirm(); }
    area.hidden = state === "paused" || state === "on_break" || !!ended;
    var target = area.querySelector("[data-focus]");
    if (target) { target.focus(); }
    if (secondsLeft() <= 0) { setInputsDisabled(true); }
    return true;
  }
  function navigator(current) {
    var legendFlag = flagMark();
    return h("nav", {"class": "navigator", "aria-labelledby": "nav-heading"}, [
      h("h2", {id: "nav-heading", text: "Questions"}),
      h("ul", {"class": "legend", "aria-label": "Key to the question numbers"}, [
        h("li", {}, [h("span", {"class": "key answered", "aria-hidden": "true"}), " Answered"]),
        h("li", {}, [h("span", {"class": "key", "aria-hidden": "true"}), " Not answered"]),
        h("li", {}, [h("span", {"class": "key", "aria-hidden": "true"}, [legendFlag]), " Flagged for review"])
      ]),
      h("ol", {}, paper.questions.map(function (q) {
        return h("li", {}, [navLink(q, current)]);
      })),
      h("p", {}, [h("a", {href: urlOf({screen: "review"}), text: "Review all answers"})])
    ]);
  }
  function stateWords(q) {
    return (q.chosen !== null ? "answered" : "not answered") + (q.flagged ? ", flagged for review" : "");
  }
  function navLink(q, current) {
    var link = h("a", {href: urlOf({screen: "question", position: q.position}), id: "nav-" + q.position,
                       "data-position": String(q.position), "aria-current": current === q.position ? "page" : null});
    drawNavLink(link, q);
    return link;
  }
  function drawNavLink(link, q) {
    link.className = "nav-q" + (q.chosen !== null ? " answered" : "") + (q.flagged ? " flagged" : "");
    link.setAttribute("aria-label", "Question " + q.position + ", " + stateWords(q));
    link.textContent = String(q.position);
    if (q.flagged) { link.appendChild(flagMark()); }
  }
  var flagTemplate = document.querySelector(".navigator .legend .flag-mark");
  function flagMark() {
    if (flagTemplate) { return flagTemplate.cloneNode(true); }
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    [["class", "flag-mark"], ["aria-hidden", "true"], ["focusable", "false"], ["viewBox", "0 0 16 16"],
     ["width", "16"], ["height", "16"]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    var pole = document.createElementNS(ns, "path");
    pole.setAttribute("d", "M3.5 1.5v13"); pole.setAttribute("stroke", "currentColor");
    pole.setAttribute("stroke-width", "2"); pole.setAttribute("fill", "none");
    var cloth = document.createElementNS(ns, "path");
    cloth.setAttribute("d", "M4.5 2h9l-2.5 3.5 2.5 3.5h-9z"); cloth.setAttribute("fill", "currentColor");
    svg.appendChild(pole); svg.appendChild(cloth);
    flagTemplate = svg;
    return svg.cloneNode(true);
  }
  // The same markup as templates/delivery/_question_body.html (the item writers' preview uses it).
  function questionBody(q) {
    return h("fieldset", {"data-focus": true, tabindex: "-1"}, [
      h("legend", {}, [
        h("span", {"class": "question-number", text: "Question " + q.position + " of " + paper.total}),
        " ",
        h("span", {"class": "stem", text: q.stem})
      ]),
      h("div", {"class": "options"}, q.options.map(function (o) {
        return h("div", {"class": "option"}, [
          h("input", {type: "radio", name: "choice", id: "option-" + o.index, value: String(o.index),
                      checked: q.chosen === o.index}),
          h("label", {"for": "option-" + o.index}, [
            h("span", {"class": "letter", "aria-hidden": "true", text: o.label}), " " + o.text])
        ]);
      }))
    ]);
  }
  function drawQuestion(n) {
    var q = question(n);
    position = n;
    document.title = "Question " + n + " of " + paper.total + " – Quiz";
    var actions = [];
    if (n > 1) { actions.push(h("button", {type: "submit", name: "action", value: "previous", text: "Previous"})); }
    actions.push(h("button", {type: "submit", name: "action", value: "flag", id: "flag-button",
                              "aria-pressed": q.flagged ? "true" : "false",
                              text: q.flagged ? "Flagged for review" : "Flag for review"}));
    if (n < paper.total) { actions.push(h("button", {type: "submit", name: "action", value: "next", "class": "primary", text: "Next"})); }
    actions.push(h("button", {type: "submit", name: "action", value: "review", text: "Review answers"}));
    form = h("form", {method: "post", "class": "question", id: "answer-form", autocomplete: "off",
                      action: urlOf({screen: "question", position: n}),
                      "data-position": String(n)}, [
      h("input", {type: "hidden", name: "csrf_token", value: csrfToken}),
      h("input", {type: "hidden", name: "seq", id: "seq", value: String(serverLastSeq + 1)}),
      questionBody(q),
      h("p", {id: "save-status", "class": "save-status", role: "status", "aria-live": "polite"}),
      h("div", {"class": "actions"}, actions)
    ]);
    area.appendChild(form);
    area.appendChild(navigator(n));
    showSaveStatus();
  }
  function drawReview() {
    document.title = "Review your answers – Quiz";
    var unanswered = paper.questions.filter(function (q) { return q.chosen === null; }).length;
    var flagged = paper.questions.filter(function (q) { return q.flagged; }).length;
    var summary = "You have answered " + (paper.total - unanswered) + " of " + paper.total + " questions." +
      (unanswered ? " " + unanswered + " not answered." : "") + (flagged ? " " + flagged + " flagged for review." : "");
    area.appendChild(h(headingTag(), {text: "Review your answers", tabindex: "-1", "data-focus": true}));
    area.appendChild(h("p", {text: summary}));
    area.appendChild(h("table", {"class": "data review"}, [
      h("caption", {"class": "visually-hidden", text: "Every question and its state"}),
      h("thead", {}, [h("tr", {}, [h("th", {scope: "col", text: "Question"}), h("th", {scope: "col", text: "State"})])]),
      h("tbody", {}, paper.questions.map(function (q) {
        var words = stateWords(q);
        return h("tr", {"class": q.chosen === null ? "unanswered" : null}, [
          h("td", {}, [h("a", {href: urlOf({screen: "question", position: q.position}), text: "Question " + q.position})]),
          h("td", {text: words.charAt(0).toUpperCase() + words.slice(1)})
        ]);
      }))
    ]));
    area.appendChild(h("p", {}, [h("a", {"class": "button primary", href: urlOf({screen: "confirm"}), text: "Submit the test"})]));
  }
  function positionsList(list) {
    var items = [];
    list.forEach(function (q, i) {
      items.push(h("a", {href: urlOf({screen: "question", position: q.position}), text: String(q.position)}));
      if (i < list.length - 1) { items.push(", "); }
    });
    items.push(".");
    return items;
  }
  function drawConfirm() {
    document.title = "Submit the test? – Quiz";
    var unanswered = paper.questions.filter(function (q) { return q.chosen === null; });
    var flagged = paper.questions.filter(function (q) { return q.flagged; });
    area.appendChild(h(headingTag(), {text: "Submit the test?", tabindex: "-1", "data-focus": true}));
    if (unanswered.length) {
      area.appendChild(h("p", {"class": "warning", role: "alert"},
        ["You have not answered " + plural(unanswered.length, "question", "questions") + ": "].concat(positionsList(unanswered))));
    }
    if (flagged.length) {
      area.appendChild(h("p", {}, ["You flagged " + plural(flagged.length, "question", "questions") +
        " for review: "].concat(positionsList(flagged))));
    }
    area.appendChild(h("p", {text: "Once you submit, you cannot change your answers."}));
    area.appendChild(h("p", {id: "submit-status", "class": "save-status", role: "status", "aria-live": "polite"}));
    area.appendChild(h("form", {method: "post", action: urlOf({screen: "confirm"}), id: "confirm-form"}, [
      h("input", {type: "hidden", name: "csrf_token", value: csrfToken}),
      h("button", {type: "submit", "class": "primary", id: "confirm-submit", text: "Yes, submit my answers"}),
      " ",
      h("a", {"class": "button", href: urlOf({screen: "review"}), text: "No, go back"})
    ]));
  }

  // Bring the screen in view up to date with the paper and the outbox, without redrawing it.
  function syncScreen() {
    if (!paper) { return; }
    paper.questions.forEach(function (q) {
      var link = $("nav-" + q.position);
      if (link) { drawNavLink(link, q); }
    });
    if (screen !== "question" || !position) { return; }
    var q = question(position);
    area.querySelectorAll('input[name="choice"]').forEach(function (input) {
      input.checked = q.chosen !== null && parseInt(input.value, 10) === q.chosen;
    });
    var flag = $("flag-button");
    if (flag) {
      flag.setAttribute("aria-pressed", q.flagged ? "true" : "false");
      flag.textContent = q.flagged ? "Flagged for review" : "Flag for review";
    }
    showSaveStatus();
  }
  var lastSaid = null;
  function say(text, isError) {
    lastSaid = {position: position, text: text, error: !!isError};
    var line = $("save-status");
    if (line) { line.textContent = text; line.classList.toggle("error", !!isError); }
  }
  function isCurrent(p) { return screen === "question" && position === p; }
  function showSaveStatus() {
    var line = $("save-status");
    if (!line || screen !== "question" || !position) { return; }
    var queued = waiting("answer", position).length > 0;
    var q = question(position);
    var text, error = false;
    if (queued) {
      text = (sending && !offline) ? "Saving…" : "Not saved yet: kept on this computer and sent when the network is back.";
      if (held === "paused" || held === "on_break") { text = "Not saved yet: it will be sent when your test runs again."; }
      error = !sending || offline;
    } else if (lastSaid && lastSaid.position === position) {
      text = lastSaid.text; error = lastSaid.error;
    } else if (q) {
      text = q.chosen !== null ? "Answer saved." : "Not answered yet.";
    } else {
      return;  // before the paper arrives the server's words stand
    }
    if (line.textContent !== text) { line.textContent = text; }
    line.classList.toggle("error", error);
  }

  // --- what the candidate does ------------------------------------------------------------------------
  area.addEventListener("change", function (event) {
    if (event.target.name !== "choice") { return; }
    var form = event.target.form, n = parseInt(form.dataset.position, 10);
    var choice = parseInt(event.target.value, 10);
    var q = question(n);
    if (q) { q.chosen = choice; }
    lastSaid = null;
    enqueue({kind: "answer", position: n, choice: choice});
    syncScreen();
  });
  area.addEventListener("submit", function (event) {
    var target = event.target;
    if (target.id === "confirm-form") {
      // Submitting waits for every answer to reach the server first.
      if (!outbox().length) { return; }
      event.preventDefault();
      var status = $("submit-status");
      status.textContent = "Sending your last answers first…";
      flush();
      var tries = 0;
      (function wait() {
        if (!outbox().length) { target.submit(); return; }
        if (++tries > 50) {
          status.textContent = "Your test cannot be submitted until your answers are saved: " +
            "check the network, or tell the invigilator. Nothing is lost.";
          return;
        }
        setTimeout(wait, 200);
      })();
      return;
    }
    if (target.id !== "answer-form") { return; }
    var n = parseInt(target.dataset.position, 10);
    var action = event.submitter ? event.submitter.value : "next";
    if (action === "flag") {
      event.preventDefault();
      var q = question(n);
      var button = $("flag-button");
      var flagged = q ? !q.flagged : button.getAttribute("aria-pressed") !== "true";
      if (q) { q.flagged = flagged; }
      button.setAttribute("aria-pressed", flagged ? "true" : "false");
      button.textContent = flagged ? "Flagged for review" : "Flag for review";
      enqueue({kind: "flag", position: n, flagged: flagged});
      syncScreen();
      return;
    }
    if (!paper) {
      // Before the paper arrives the server's form does the work: it saves the answer too.
      return;
    }
    event.preventDefault();
    var route = action === "previous" ? {screen: "question", position: n - 1}
      : action === "next" ? {screen: "question", position: n + 1} : {screen: "review"};
    if (!go(route, true)) { go({screen: "review"}, true); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey || link.target) { return; }
    var route = routeOf(link.href);
    if (!route || !paper) { return; }
    event.preventDefault();
    go(route, true);
  });
  window.addEventListener("popstate", function () {
    var route = routeOf(location.href);
    if (route && !go(route, false)) { location.reload(); }
  });

  // A choice made between the page being drawn and this (deferred) script running was shown by
  // the browser but no listener heard it. The server's form has autocomplete="off", so the browser
  // restores no old choice into it: a checked option the server did not check is the candidate's.
  function takeEarlyChoice() {
    if (screen !== "question" || !position) { return; }
    var q = question(position), picked = area.querySelector('input[name="choice"]:checked');
    if (!q || !picked || picked.defaultChecked) { return; }
    var choice = parseInt(picked.value, 10);
    if (choice === q.chosen) { return; }  // already heard, or already queued
    q.chosen = choice;
    lastSaid = null;
    enqueue({kind: "answer", position: position, choice: choice});
  }

  // --- start: show the server's clock, fetch the paper, listen for changes ------------------------
  setRemaining(parseFloat(D.remaining), D.paused === "true");
  setInterval(tick, 250);
  if (screen === "question") {
    form = $("answer-form");
    position = parseInt(form.dataset.position, 10);
  }
  showOutbox();
  // The question page carries the paper (docs/pages.md); other pages fetch it.
  var carried = $("paper-data"), fromPage = null;
  if (carried) {
    try { fromPage = JSON.parse(carried.textContent); } catch (e) { fromPage = null; }
  }
  (fromPage ? Promise.resolve(fromPage) : getJson(D.paperUrl)).then(function (data) {
    paper = data;
    // Answers still queued here and newer than the server's are what the candidate last chose.
    var keep = outbox().filter(function (e) {
      var q = question(e.position);
      if (!q) { return false; }
      if (e.kind === "answer") {
        if (e.seq <= q.seq) { return false; }  // already there, or overtaken elsewhere
        q.chosen = e.choice;
      } else {
        if (e.seq <= q.flag_seq) { return false; }
        q.flagged = e.flagged;
      }
      return true;
    });
    writeOutbox(keep);
    takeEarlyChoice();
    // Start answers with question 1 at the keycode page's address: give it its own, so that
    // reloading it shows the question instead of sending the keycode again.
    var here = routeOf(location.href) || (screen === "question" && position ?
      {screen: "question", position: position} : null);
    history.replaceState(here, "", here ? urlOf(here) : location.href);
    applyStatus(data.status);
    syncScreen();
    flush();
  }).catch(function (err) {
    if (err.status === 401) { held = "signed_out"; showOutbox(); }
    flush();
  });
  connect();
})();
