/* dupefind report: sorts, filters and pages the pairs table, renders a pair's passages when it
   is opened. Text from the report is only ever set with textContent: never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dupefind-data").textContent);
  var ids = data.ids;
  var rows = data.pairs.map(function (p, i) {
    return {n: i + 1, a: ids[p[0]], b: ids[p[1]], kind: p[2], sim: p[3], ca: p[4], cb: p[5], passages: p[6],
            kinds: p[2] ? p[2].split(" + ") : []};
  });
  var state = {key: "n", dir: 1, kind: "", minSim: 0, query: "", page: 0, size: 50, open: 0};
  var table = document.getElementById("pairs-table");

  // Characters that would reorder the text around them (bidirectional controls) or hide in it
  // (other controls) are shown as escapes, as the page's other text is written.
  var HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  function visible(text) {
    return String(text).replace(HIDDEN, function (c) { return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4); });
  }

  function el(tag, text, css) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = visible(text); }
    if (css) { node.className = css; }
    return node;
  }

  // The folder every pair's ids share is said once, in the table's caption, and left out of
  // its cells (the full id is the cell's tooltip, and what the id search matches).
  var prefix = data.prefix || "";
  function idCell(id, label) {
    var cell = el("td", null, "id");
    cell.setAttribute("role", "cell");
    var rest = prefix && id.indexOf(prefix) === 0 ? id.slice(prefix.length) : id;
    var text = el("span", null, "id-text");
    // A line may break after a separator (/ _ - . and space) before it breaks anywhere.
    visible(rest).split(/([\/_.\- ])/).forEach(function (piece, k) {
      if (!piece) { return; }
      text.appendChild(document.createTextNode(piece));
      if (k % 2) { text.appendChild(document.createElement("wbr")); }
    });
    cell.appendChild(text);
    cell.title = visible(id);
    cell.dataset.label = label;
    return cell;
  }

  function cell(text, css, label) {
    var node = el("td", text, css);
    node.setAttribute("role", "cell");
    if (label) { node.dataset.label = label; }
    return node;
  }

  function shown() {
    var q = state.query.toLowerCase();
    var out = rows.filter(function (r) {
      return (!state.kind || r.kinds.indexOf(state.kind) >= 0) && r.sim >= state.minSim &&
        (!q || r.a.toLowerCase().indexOf(q) >= 0 || r.b.toLowerCase().indexOf(q) >= 0);
    });
    var key = state.key, dir = state.dir;
    out.sort(function (x, y) {
      var u = x[key], v = y[key];
      if (u < v) { return -dir; }
      if (u > v) { return dir; }
      return x.n - y.n;
    });
    return out;
  }

  function render() {
    if (!table) { return; }
    var list = shown();
    var pages = Math.max(1, Math.ceil(list.length / state.size));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * state.size;
    var body = table.tBodies[0];
    var fresh = document.createElement("tbody");
    fresh.setAttribute("role", "rowgroup");
    list.slice(start, start + state.size).forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("role", "row");
      tr.dataset.n = r.n;
      if (r.n === state.open) { tr.className = "open"; }
      // The number is a link to the pair: rows are reached with Tab and opened with Enter.
      var number = cell(null, "num pair-number", "pair");
      var link = el("a", r.n);
      link.href = "#pair-" + r.n;
      link.setAttribute("aria-label", "pair " + r.n + ": show its passages");
      number.appendChild(link);
      tr.appendChild(number);
      tr.appendChild(idCell(r.a, "A"));
      tr.appendChild(idCell(r.b, "B"));
      tr.appendChild(cell(r.kind, "pair-kind"));
      tr.appendChild(cell(r.sim.toFixed(2), "num", "similarity"));
      tr.appendChild(cell(r.ca.toFixed(2), "num", "A in B"));
      tr.appendChild(cell(r.cb.toFixed(2), "num", "B in A"));
      tr.appendChild(cell(r.passages, "num", "passages"));
      fresh.appendChild(tr);
    });
    table.replaceChild(fresh, body);
    var info = list.length ? (start + 1) + "–" + Math.min(start + state.size, list.length) + " of " + list.length +
      " pairs" : "no pair matches";
    if (list.length !== rows.length) { info += " (" + rows.length + " in all)"; }
    info += ", page " + (state.page + 1) + " of " + pages;
    document.getElementById("page-info").textContent = info;
    document.getElementById("prev-page").disabled = state.page === 0;
    document.getElementById("next-page").disabled = state.page >= pages - 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.dataset.key === state.key) {
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function marked(text, spans, css) {
    var cell = document.createElement("td");
    var cursor = 0;
    spans.slice().sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; }).forEach(function (s) {
      var start = Math.max(s[0], cursor), end = Math.min(s[1], text.length);
      if (end <= start) { return; }
      cell.appendChild(document.createTextNode(visible(text.slice(cursor, start))));
      cell.appendChild(el("mark", text.slice(start, end), css));
      cursor = end;
    });
    cell.appendChild(document.createTextNode(visible(text.slice(cursor))));
    return cell;
  }

  function openPair(n, focus) {
    var view = document.getElementById("pair-view");
    var holder = document.getElementById("pd-" + n);
    var r = rows[n - 1];
    if (!holder && document.readyState === "loading") {
      // The passages come after the code in the page: wait until they are parsed.
      document.addEventListener("DOMContentLoaded", function () { openPair(n, focus); });
      return;
    }
    if (!view || !holder || !r) { return; }
    var d = JSON.parse(holder.textContent);
    state.open = n;
    view.textContent = "";
    var title = el("h3");
    title.id = "pair-" + n;
    title.tabIndex = -1;  // focused when opened, so a screen reader says what appeared
    title.appendChild(document.createTextNode(n + ". "));
    title.appendChild(el("span", r.a, "id"));
    title.appendChild(document.createTextNode(" ↔ "));
    title.appendChild(el("span", r.b, "id"));
    view.appendChild(title);
    view.appendChild(el("p", "similarity " + r.sim.toFixed(2) + ", containment " + r.ca.toFixed(2) +
      " of A in B, " + r.cb.toFixed(2) + " of B in A, " + r.passages + " matching passage(s)", "muted"));
    if (d.describe) { view.appendChild(el("p", "kind: " + d.describe, "kind-line")); }
    if (d.substitutions) { view.appendChild(el("p", "substitutions: " + d.substitutions, "subs-line")); }
    if (d.passages.length) {
      var t = el("table", null, "passages");
      var head = t.createTHead().insertRow();
      head.appendChild(el("th", "A  " + r.a, "id"));
      head.appendChild(el("th", "B  " + r.b, "id"));
      var body = t.appendChild(document.createElement("tbody"));
      d.passages.forEach(function (p, k) {
        var h = body.insertRow();
        var th = el("th", "passage " + (k + 1) + ": A [" + p[0] + ":" + p[1] + "] / B [" + p[2] + ":" + p[3] +
          "], " + Math.round(p[4] * 100) + "% identical, " + p[5] + " ↔ " + p[6] + " words", "head");
        th.colSpan = 2;
        h.appendChild(th);
        var row = body.insertRow();
        row.appendChild(marked(p[7], p[9], "del"));
        row.appendChild(marked(p[8], p[10], "ins"));
      });
      view.appendChild(t);
    }
    view.hidden = false;
    render();
    if (focus) {
      view.scrollIntoView();
      title.focus({preventScroll: true});
    }
  }

  function fromHash() {
    var m = /^#pair-(\d+)$/.exec(location.hash);
    if (m) { openPair(parseInt(m[1], 10), true); }
  }

  if (table) {
    table.tHead.addEventListener("click", function (event) {
      var th = event.target.closest("th");
      if (!th) { return; }
      var key = th.dataset.key;
      state.dir = state.key === key ? -state.dir : (key === "a" || key === "b" || key === "kind" || key === "n" ? 1 : -1);
      state.key = key;
      render();
    });
    table.addEventListener("click", function (event) {
      var tr = event.target.closest("tbody tr");
      if (tr && !(event.target.closest("a") && (event.ctrlKey || event.metaKey || event.shiftKey))) {
        event.preventDefault();  // a click on the number's link: opened here, not by a hash change
        history.replaceState(null, "", "#pair-" + tr.dataset.n);
        openPair(parseInt(tr.dataset.n, 10), true);
      }
    });
    document.getElementById("kind-filter").addEventListener("change", function (e) {
      state.kind = e.target.value; state.page = 0; render();
    });
    document.getElementById("min-similarity").addEventListener("input", function (e) {
      state.minSim = parseFloat(e.target.value) || 0; state.page = 0; render();
    });
    document.getElementById("id-search").addEventListener("input", function (e) {
      state.query = e.target.value; state.page = 0; render();
    });
    document.getElementById("page-size").addEventListener("change", function (e) {
      state.size = parseInt(e.target.value, 10); state.page = 0; render();
    });
    document.getElementById("prev-page").addEventListener("click", function () { state.page -= 1; render(); });
    document.getElementById("next-page").addEventListener("click", function () { state.page += 1; render(); });
    window.addEventListener("hashchange", fromHash);
    render();
    if (rows.length === 1) { openPair(1); } else { fromHash(); }
  }

  var docs = document.getElementById("documents");
  if (docs) {
    docs.addEventListener("toggle", function () {
      var body = docs.querySelector("tbody");
      if (!docs.open || body.rows.length) { return; }
      data.documents.forEach(function (d) {
        var tr = body.insertRow();
        tr.appendChild(el("td", ids[d[0]], "id"));
        tr.appendChild(el("td", d[1], "id"));
        tr.appendChild(el("td", d[2], "num"));
        tr.appendChild(el("td", d[3], "num"));
        tr.appendChild(el("td", d[4] ? "short" : ""));
      });
    });
  }
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
}());
