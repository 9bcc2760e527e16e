/*
 * The officials' console: chat (the widget, inline) with the cited passage shown in its
 * document, a task browser (filters, sorting, CSV export) and the list of documents.
 * Plain JavaScript against the same HTTP API; no build step.
 */
(function () {
  "use strict";

  var CONTEXT_LINES = 6; // source lines shown around a cited passage

  function $(selector) { return document.querySelector(selector); }
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function apiMessage(body, fallback) {
    var m = body && body.error && body.error.message;
    return m ? m.split(" / ")[0] : fallback;
  }
  function getJSON(url) {
    return fetch(url).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok) throw new Error(apiMessage(body, "Lỗi " + r.status));
        return body;
      });
    });
  }

  // ---- tabs (arrow keys move between them, as the ARIA tabs pattern expects) -------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    tab.focus();
    if (tab.id === "tab-tasks" && !loadedTasks) loadTasks();
    if (tab.id === "tab-docs" && !loadedDocs) loadDocs();
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab); });
    tab.addEventListener("keydown", function (e) {
      var step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); select(tabs[(i + step + tabs.length) % tabs.length]); }
      if (e.key === "Home") { e.preventDefault(); select(tabs[0]); }
      if (e.key === "End") { e.preventDefault(); select(tabs[tabs.length - 1]); }
    });
  });

  // ---- the cited passage, highlighted in its document ----------------------------------
  window.addEventListener("dnpa:citation", function (event) {
    event.preventDefault(); // shown here, beside the chat, not inside it
    showSource(event.detail);
  });

  function showSource(c) {
    var meta = $("#source-meta"), list = $("#source-lines");
    $("#source-hint").hidden = true;
    meta.hidden = false;
    meta.textContent = "[" + c.id + "] " + (c.title || c.doc) + (c.section ? " — mục " + c.section : "") +
      " — dòng " + c.lines[0] + "–" + c.lines[1] + (c.page ? ", trang " + c.page : "");
    list.hidden = false;
    list.textContent = "Đang tải…";
    var start = Math.max(1, c.lines[0] - CONTEXT_LINES);
    var end = c.lines[1] + CONTEXT_LINES;
    getJSON("/api/documents/" + encodeURIComponent(c.doc) + "/lines?start=" + start + "&end=" + end)
      .then(function (body) {
        list.textContent = "";
        list.start = start;
        var first = null;
        body.lines.forEach(function (line) {
          var li = document.createElement("li");
          li.value = line.no;
          var inSpan = line.no >= c.lines[0] && line.no <= c.lines[1];
          if (inSpan) {
            var mark = document.createElement("mark");
            mark.textContent = line.text || " ";
            li.appendChild(mark);
            li.className = "cited";
            first = first || li;
          } else {
            li.textContent = line.text || " ";
          }
          list.appendChild(li);
        });
        if (first) first.scrollIntoView({ block: "center" });
        $("#source").focus();
      })
      .catch(function (err) { list.textContent = "Không tải được văn bản gốc: " + err.message; });
  }
  $("#source").tabIndex = -1;

  // ---- task browser --------------------------------------------------------------------
  var loadedTasks = false, loadedDocs = false, tasks = [], sortKey = null, sortDir = 1;
  var form = $("#task-filters");

  function filterParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      value = String(value).trim();
      if (!value || (key === "role" && value === "any")) return;
      // <input type=month> gives "2026-06", the API's YYYY-MM.
      params.set(key, value);
    });
    return params;
  }

  function loadTasks() {
    loadedTasks = true;
    var params = filterParams();
    $("#export").href = "/api/tasks?" + params.toString() + (params.toString() ? "&" : "") + "format=csv";
    $("#task-error").hidden = true;
    $("#task-count").textContent = "Đang tải…";
    $("#tasks").setAttribute("aria-busy", "true");
    getJSON("/api/tasks?" + params.toString())
      .then(function (body) { tasks = body.tasks; render(); })
      .catch(function (err) {
        tasks = [];
        render();
        $("#task-count").textContent = "";
        $("#task-error").textContent = err.message;
        $("#task-error").hidden = false;
      })
      .then(function () { $("#tasks").setAttribute("aria-busy", "false"); });
  }

  function sortValue(t, key) {
    if (key === "deadline") return t.deadline.end || "9999";
    if (key === "lead" || key === "coordinating") return t[key].join("; ");
    if (key === "section") return t.section.split(".").map(function (p) { return /^\d+$/.test(p) ? ("000" + p).slice(-4) : p; }).join(".");
    return t[key] || "";
  }

  function render() {
    var rows = tasks.slice();
    if (sortKey) {
      rows.sort(function (a, b) { return sortValue(a, sortKey).localeCompare(sortValue(b, sortKey), "vi") * sortDir; });
    }
    var body = $("#tasks tbody");
    body.textContent = "";
    rows.forEach(function (t) {
      var tr = document.createElement("tr");
      var doc = cell(t.title.split(" — ")[0]);
      doc.title = t.title;
      tr.appendChild(doc);
      tr.appendChild(cell(t.section));
      tr.appendChild(cell(t.text.replace(/\s+/g, " ")));
      tr.appendChild(cell(t.lead.join("; ") || "—"));
      tr.appendChild(cell(t.coordinating.join("; ") || "—"));
      tr.appendChild(cell(t.deadline.text || "—"));
      body.appendChild(tr);
    });
    $("#task-count").textContent = rows.length + " nhiệm vụ";
  }

  document.querySelectorAll("#tasks th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-key");
      sortDir = sortKey === key ? -sortDir : 1;
      sortKey = key;
      document.querySelectorAll("#tasks th").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
      button.parentElement.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      render();
    });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); loadTasks(); });
  form.addEventListener("reset", function () { setTimeout(loadTasks, 0); });

  // ---- documents -------------------------------------------------------------------------
  function loadDocs() {
    loadedDocs = true;
    getJSON("/api/documents").then(function (body) {
      var tbody = $("#docs tbody");
      tbody.textContent = "";
      body.documents.forEach(function (d) {
        var tr = document.createElement("tr");
        [d.title, d.kind || "—", d.number || "—", d.date || "—", d.issuer || "—",
          d.years && d.years.length ? d.years[0] + (d.years.length > 1 ? "–" + d.years[d.years.length - 1] : "") : "—",
          String(d.tasks), String(d.targets), d.id].forEach(function (v) { tr.appendChild(cell(v)); });
        tbody.appendChild(tr);
      });
    });
  }

  // The document filter lists the indexed documents, most recent first.
  getJSON("/api/documents").then(function (body) {
    var selectDoc = form.elements.doc;
    body.documents.forEach(function (d) {
      var option = document.createElement("option");
      option.value = d.id;
      option.textContent = d.title.length > 90 ? d.title.slice(0, 88) + "…" : d.title;
      selectDoc.appendChild(option);
    });
  }).catch(function () { /* the filter still works for all documents */ });
})();
