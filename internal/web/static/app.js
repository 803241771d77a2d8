// Warroom's small script. Every page works without it; with it, times show
// in the viewer's zone, clocks tick, open pages stay live over Server-Sent
// Events, and a few keyboard shortcuts save seconds on a bad day.
"use strict";
(function () {
  const sameYear = (d) => d.getFullYear() === new Date().getFullYear();
  function localTime(d) {
    const opts = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    if (!sameYear(d)) opts.year = "numeric";
    return d.toLocaleString(undefined, opts);
  }

  // Times: the server writes UTC; show the viewer's zone, keep UTC on hover.
  function localiseTimes(root) {
    root.querySelectorAll("time[datetime]").forEach((el) => {
      const d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d)) el.textContent = localTime(d);
    });
  }

  function human(ms) {
    if (ms < 0) ms = 0;
    const m = Math.floor(ms / 60000), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (d > 0) return d + "d " + (h % 24) + "h";
    if (h > 0) return h + "h " + String(m % 60).padStart(2, "0") + "m";
    return m + "m";
  }
  function tickClocks() {
    document.querySelectorAll("[data-due]").forEach((el) => {
      const left = new Date(el.dataset.due) - new Date();
      el.textContent = left < 0 ? "overdue " + human(-left) : "in " + human(left);
      el.classList.toggle("overdue", left < 0);
    });
    document.querySelectorAll("[data-since]").forEach((el) => {
      const from = new Date(el.dataset.since);
      const until = el.dataset.until ? new Date(el.dataset.until) : new Date();
      el.textContent = human(until - from);
    });
  }

  // datetime-local inputs hold wall time with no zone: send the viewer's
  // offset for that moment (DST-aware) in the hidden <name>_tz field, and
  // show stored UTC values in local time.
  function pad(n) { return String(n).padStart(2, "0"); }
  function toLocalInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function prepareTimeInputs(root) {
    root.querySelectorAll("input[data-utc-value]").forEach((el) => {
      if (el.value) { const d = new Date(el.value + "Z"); if (!isNaN(d)) el.value = toLocalInput(d); }
      el.removeAttribute("data-utc-value");
    });
  }
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { ev.preventDefault(); return; }
    form.querySelectorAll('input[type="datetime-local"]').forEach((el) => {
      const tz = form.querySelector('input[name="' + el.name + '_tz"]');
      if (tz && el.value) tz.value = String(-new Date(el.value).getTimezoneOffset());
    });
  }, true);

  // Remember which forms have unsent changes.
  document.addEventListener("input", (ev) => { if (ev.target.form) ev.target.form.dataset.dirty = "1"; });

  // Selects in data-autosubmit forms apply on change.
  function enhanceForms(root) {
    root.querySelectorAll("form[data-autosubmit]").forEach((form) => {
      const btn = form.querySelector("button[type=submit]");
      if (btn) btn.hidden = true;
      form.querySelectorAll("select").forEach((sel) => sel.addEventListener("change", () => form.requestSubmit()));
    });
  }

  // Uploads show their progress. The form is sent as it would be without
  // script (the same fields, in the same order, CSRF token first); the
  // answer replaces the page, as a normal submission would.
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-upload]") || ev.defaultPrevented || !window.XMLHttpRequest) return;
    ev.preventDefault();
    const bar = form.querySelector("progress"), btn = form.querySelector("button[type=submit]");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (btn) btn.disabled = true;
    xhr.upload.addEventListener("progress", (e) => { if (bar && e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); });
    xhr.addEventListener("load", () => {
      if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) { window.location.assign(xhr.responseURL); return; }
      document.open(); document.write(xhr.responseText); document.close();
    });
    xhr.addEventListener("error", () => { if (btn) btn.disabled = false; if (bar) bar.hidden = true; window.alert("The upload failed: the connection was lost. Try again."); });
    xhr.send(new FormData(form));
  });

  // Keyboard: n = add a note, t = new task, / = search.
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.target.isContentEditable) {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    if (ev.key === "n") {
      const note = document.getElementById("note-text");
      if (note) { ev.preventDefault(); note.focus(); note.scrollIntoView({ block: "center" }); }
    } else if (ev.key === "t") {
      const box = document.getElementById("new-task"), title = document.getElementById("task-title");
      if (box && title) { ev.preventDefault(); box.open = true; title.focus(); title.scrollIntoView({ block: "center" }); }
    } else if (ev.key === "/") {
      const q = document.querySelector('input[name="q"]');
      if (q) { ev.preventDefault(); q.focus(); }
    }
  });

  // Live pages: an event means "something changed"; fetch the page again
  // and swap the live regions. The server renders the whole state, so a
  // missed or repeated event can never leave the page wrong. A region the
  // viewer is typing in is left alone until they leave it.
  let statusEl = null;
  function liveStatus(text, ok) {
    if (!statusEl) {
      statusEl = document.createElement("div");
      statusEl.className = "live-status";
      statusEl.setAttribute("role", "status");
      document.body.appendChild(statusEl);
    }
    statusEl.textContent = text;
    statusEl.classList.toggle("off", !ok);
  }

  let pending = false, running = false;
  async function refresh() {
    if (running) { pending = true; return; }
    running = true;
    try {
      const res = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (res.status === 404 || res.status === 401) { window.location.reload(); return; }
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      swapRegions(doc);
    } catch (e) {
      liveStatus("Offline: retrying", false);
    } finally {
      running = false;
      if (pending) { pending = false; setTimeout(refresh, 100); }
    }
  }

  const deferred = new Set();
  function swapRegions(doc) {
    const seen = new Set(Array.from(document.querySelectorAll(".entry[id]")).map((e) => e.id));
    doc.querySelectorAll("[data-live-region][id]").forEach((fresh) => {
      const cur = document.getElementById(fresh.id);
      if (!cur) return;
      if (cur.contains(document.activeElement) || cur.querySelector("details[open] textarea:not(:placeholder-shown)")) {
        deferred.add(fresh.id);
        return;
      }
      const copy = document.importNode(fresh, true);
      cur.replaceWith(copy);
      localiseTimes(copy); enhanceForms(copy); prepareTimeInputs(copy);
      copy.querySelectorAll(".entry[id]").forEach((e) => { if (!seen.has(e.id)) e.classList.add("live-new"); });
    });
    // Forms outside the regions carry the incident's version for If-Match.
    // A form someone is editing keeps the version they started from, so
    // saving over another person's change is refused, not silent.
    const art = doc.querySelector("[data-live-incident]");
    if (art) {
      document.querySelectorAll("input[data-incident-version]").forEach((el) => {
        const form = el.form;
        const editing = form && (form.contains(document.activeElement) || form.closest("details[open]") || form.dataset.dirty);
        if (!editing) el.value = art.dataset.version;
      });
    }
    document.title = doc.title;
    tickClocks();
  }
  document.addEventListener("focusout", () => {
    if (deferred.size) { deferred.clear(); setTimeout(refresh, 50); }
  });

  let timer = null;
  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 120); }

  function connect(url) {
    if (!window.EventSource) return;
    const es = new EventSource(url, { withCredentials: true });
    es.addEventListener("open", () => liveStatus("Live", true));
    es.addEventListener("entry", schedule);
    es.addEventListener("gone", () => { es.close(); window.location.reload(); });
    es.addEventListener("error", () => liveStatus("Reconnecting…", false));
  }

  function start() {
    localiseTimes(document);
    prepareTimeInputs(document);
    enhanceForms(document);
    tickClocks();
    setInterval(tickClocks, 15000);
    const room = document.querySelector("[data-live-incident]");
    if (room) {
      connect("/api/v1/incidents/" + encodeURIComponent(room.dataset.liveIncident) + "/events?after=" + encodeURIComponent(room.dataset.lastSeq || "0"));
    } else if (document.querySelector("[data-live-org]")) {
      connect("/api/v1/events");
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
