// The item form: the enemy finder, and the Range points of the chosen criterion only.
// Without JavaScript the writer types enemy ids and sees every criterion's Range points; the
// server refuses a point of another criterion beside the field.

// Range points: show the chosen criterion's and disable the others', so only those are posted.
(function () {
  "use strict";
  var field = document.querySelector(".range-field");
  var criterion = document.getElementById("criterion");
  if (!field || !criterion) { return; }
  var groups = Array.prototype.slice.call(field.querySelectorAll(".range-criterion"));
  if (!groups.length) { return; }
  var status = document.getElementById(field.id + "-status");

  function show() {
    var chosen = criterion.value;
    var mine = null;
    groups.forEach(function (group) {
      var shown = group.dataset.criterion === chosen;
      group.hidden = !shown;
      group.disabled = !shown;
      if (shown) { mine = group; }
    });
    status.hidden = false;
    if (!chosen) {
      status.textContent = "Choose the assessment criterion above to see its Range points.";
    } else if (!mine) {
      status.textContent = "Criterion " + chosen + " has no Range points.";
    } else {
      var ticked = mine.querySelectorAll("input:checked").length;
      status.textContent = "The Range points of " + chosen + ": " + ticked + " ticked.";
    }
  }

  criterion.addEventListener("change", show);
  field.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") { show(); }
  });
  show();
}());

// The enemy finder: search the bank and add ids to the Enemies field.
(function () {
  "use strict";
  var finder = document.querySelector(".enemy-finder");
  if (!finder) { return; }
  var target = document.getElementById(finder.dataset.target);
  var search = document.getElementById("enemy-search");
  var button = document.getElementById("enemy-search-button");
  var status = document.getElementById("enemy-search-status");
  var results = document.getElementById("enemy-results");
  var none = document.getElementById(finder.dataset.none);
  finder.hidden = false;

  function ids() {
    return target.value.split(/[\s,;]+/).filter(function (id) { return id; });
  }

  function add(id) {
    var current = ids();
    if (current.indexOf(id) === -1) { current.push(id); }
    target.value = current.join(", ");
    var unticked = none && none.checked;
    if (unticked) { none.checked = false; }
    status.textContent = "Added " + id + " to the enemies." +
      (unticked ? " \u201cNone\u201d is no longer ticked." : "");
  }

  function show(data) {
    results.textContent = "";
    var shown = 0;
    data.items.forEach(function (item) {
      if (item.id === finder.dataset.self) { return; }
      var li = document.createElement("li");
      var add_button = document.createElement("button");
      add_button.type = "button";
      add_button.textContent = "Add " + item.id;
      add_button.addEventListener("click", function () { add(item.id); });
      var words = document.createElement("span");
      words.textContent = " AC" + item.criterion + ", " + item.status.replace("_", " ") + ": " + item.stem;
      li.appendChild(add_button);
      li.appendChild(words);
      results.appendChild(li);
      shown += 1;
    });
    status.textContent = shown ? shown + " of " + data.total + " matching items shown." : "No items match.";
  }

  function run() {
    var words = search.value.trim();
    if (!words) { status.textContent = "Type some words to search for."; return; }
    status.textContent = "Searching…";
    fetch(finder.dataset.lookupUrl + "?q=" + encodeURIComponent(words), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(show).catch(function () {
      status.textContent = "The search did not work; type the ids instead.";
    });
  }

  button.addEventListener("click", run);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); run(); }  // search, do not save the item
  });
}());
