/* cleaner report: draws the page from the JSON blob in #report-data. No library, no network.
   Text from the data is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const SVGNS = "http://www.w3.org/2000/svg";
  const NUM = new Intl.NumberFormat("en-US");
  const state = { rule: "", kind: "", query: "", visible: [], current: -1 };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    return node;
  }
  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  const fmt = (n) => NUM.format(n);
  const pct = (part, whole) => (whole ? (100 * part / whole).toFixed(1) + "%" : "–");
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  /* ------------------------------------------------------------------ the run in numbers */
  function renderNumbers() {
    const t = DATA.totals, m = DATA.meta;
    $("run-meta").textContent = `Run ${m.run} (${m.kind}) · cleaner ${m.cleaner_versions.map((v) => v[0]).join(", ") || "?"}` +
      ` · ${fmt(m.sampled)} documents sampled (--sample ${m.sample} --seed ${m.seed}, plus up to ${m.per_rule} per rule)`;
    const cards = [
      ["Documents", fmt(t.documents), null],
      ["Characters in", fmt(t.chars_in), null],
      ["Characters out", fmt(t.chars_out), pct(t.chars_out, t.chars_in) + " of the input kept"],
      ["Removed items", fmt(t.removed), `${fmt(t.removed_blocks)} whole blocks, ${fmt(t.removed_spans)} spans`],
      ["Removed characters", fmt(t.removed_chars), pct(t.removed_chars, t.chars_in) + " of the input"],
      ["Languages", fmt(DATA.languages.length), DATA.languages.slice(0, 3).map((l) => l[0]).join(", ")],
      ["Failures", fmt(t.failures), t.failures ? DATA.failures.map((f) => f[0]).join(", ") : "none"],
      ["Rejections", fmt(t.rejections), t.rejections ? DATA.rejections.map((f) => f[0]).join(", ") : "none"],
    ];
    for (const [label, value, note] of cards) {
      $("cards").append(el("div", { id: "card-" + label.toLowerCase().replace(/ /g, "-") },
        el("dt", { text: label }), el("dd", {}, value, note ? el("small", { text: note }) : null)));
    }
    if (m.lines_pruned) {
      $("notes").textContent = "Very many distinct lines were removed: counts of the rarest lines are lower bounds.";
    }
  }

  /* ------------------------------------------------------------------------------ charts */
  function table(headers, rows) {
    return el("table", {},
      el("thead", {}, el("tr", {}, ...headers.map((h, i) => el("th", { scope: "col", class: i ? "num" : null, text: h })))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => i ? el("td", { class: "num", text: fmt(c) }) : el("th", { scope: "row", text: c }))))));
  }

  function withTable(figure, headers, rows) {
    figure.append(el("details", {}, el("summary", { text: "Show as a table" }), table(headers, rows)));
  }

  /* Horizontal bars: label, bar, number. rows: [name, value]; filter: "rule" | "kind" | null. */
  function barChart(id, rows, filter, headers, tableRows) {
    const figure = $(id);
    if (!rows.length) {
      figure.append(el("p", { class: "empty", text: "Nothing to show: none in this run." }));
      return;
    }
    const rowH = 24, labelW = 190, numW = 70, width = 560, barW = width - labelW - numW;
    const max = Math.max(...rows.map((r) => r[1]));
    const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowH + 4}`, role: "group",
      "aria-label": figure.querySelector("figcaption").textContent });
    rows.forEach((row, i) => {
      const [name, value] = row;
      const y = i * rowH + 2, w = Math.max(2, Math.round(barW * value / max));
      const g = svg("g", { class: "item", "data-name": name });
      g.append(svg("rect", { class: "bar-bg", x: 0, y: y, width: width, height: rowH - 2, rx: 3 }));
      const label = svg("text", { class: "label", x: labelW - 8, y: y + rowH / 2 + 2, "text-anchor": "end",
        "dominant-baseline": "middle", text: short(name, 28) });
      label.append(svg("title", { text: name }));
      g.append(label);
      g.append(svg("rect", { class: "bar", x: labelW, y: y + 3, width: w, height: rowH - 8 }));
      g.append(svg("text", { class: "value", x: labelW + w + 6, y: y + rowH / 2 + 2, "dominant-baseline": "middle", text: fmt(value) }));
      if (filter) {
        setAttrs(g, { tabindex: 0, role: "button", "aria-pressed": "false",
          "aria-label": `${name}: ${fmt(value)}. Filter by this ${filter}` });
        const choose = () => setFilter(filter === "rule"
          ? { rule: state.rule === name ? "" : name, kind: state.kind }
          : { rule: state.rule, kind: state.kind === name ? "" : name });
        g.addEventListener("click", choose);
        g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(); } });
      } else {
        setAttrs(g, { role: "img", "aria-label": `${name}: ${fmt(value)}` });
      }
      chart.append(g);
    });
    figure.append(chart);
    withTable(figure, headers, tableRows || rows);
  }

  /* Columns for the months, in date order; every column has its number (in its tooltip and table). */
  function columnChart(id, rows, tableRows) {
    const figure = $(id);
    if (!rows.length) {
      figure.append(el("p", { class: "empty", text: "No documents." }));
      return;
    }
    const height = 170, base = 130, width = 560, left = 40;
    const step = Math.max(8, Math.min(60, (width - left) / rows.length));
    const max = Math.max(...rows.map((r) => r[1]));
    const every = Math.ceil(rows.length / Math.floor((width - left) / 56));
    const chart = svg("svg", { viewBox: `0 0 ${Math.max(width, left + step * rows.length)} ${height}`, role: "group",
      "aria-label": figure.querySelector("figcaption").textContent });
    chart.append(svg("line", { class: "axis", x1: left - 4, y1: base, x2: left + step * rows.length, y2: base }));
    chart.append(svg("text", { x: left - 8, y: 14, "text-anchor": "end", text: fmt(max) }));
    chart.append(svg("text", { x: left - 8, y: base, "text-anchor": "end", text: "0" }));
    rows.forEach(([name, value], i) => {
      const h = value ? Math.max(1, Math.round((base - 20) * value / max)) : 0;
      const x = left + i * step;
      const g = svg("g", { class: "item", role: "img", "aria-label": `${name}: ${fmt(value)}` });
      const bar = svg("rect", { class: "bar", x: x + 1, y: base - h, width: Math.max(2, step - 3), height: h });
      bar.append(svg("title", { text: `${name}: ${fmt(value)}` }));
      g.append(bar);
      if (step >= 26) g.append(svg("text", { x: x + step / 2, y: base - h - 4, "text-anchor": "middle", text: fmt(value) }));
      if (i % every === 0) g.append(svg("text", { x: x + step / 2, y: base + 16, "text-anchor": "middle", text: name }));
      chart.append(g);
    });
    figure.append(chart);
    withTable(figure, ["Month", "Documents"], tableRows || rows);
  }

  /* Months on a continuous axis: the months between the first and the last, empty ones too. */
  function fillMonths(rows) {
    const isMonth = (r) => /^\d{4}-\d{2}$/.test(r[0]);
    const months = rows.filter(isMonth), other = rows.filter((r) => !isMonth(r));
    if (months.length < 2) return rows;
    const index = (s) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
    const first = index(months[0][0]), last = index(months[months.length - 1][0]);
    if (last - first > 600) return rows;
    const have = new Map(months);
    const out = [];
    for (let i = first; i <= last; i++) {
      const name = `${Math.floor(i / 12)}-${String(i % 12 + 1).padStart(2, "0")}`;
      out.push([name, have.get(name) || 0]);
    }
    return out.concat(other);
  }

  function renderCharts() {
    barChart("chart-kinds", DATA.kinds.map((k) => [k[0], k[1]]), "kind", ["Kind", "Removed", "Characters", "Documents"], DATA.kinds);
    barChart("chart-rules", DATA.rules.map((r) => [r[0], r[1]]), "rule", ["Rule", "Removed", "Documents"], DATA.rules);
    const langs = DATA.languages.slice(0, 12);
    const rest = DATA.languages.slice(12).reduce((sum, l) => sum + l[1], 0);
    if (rest) langs.push([`${DATA.languages.length - 12} others`, rest]);
    barChart("chart-languages", langs, null, ["Language", "Documents"]);
    columnChart("chart-months", fillMonths(DATA.months), DATA.months);
    const problems = [...DATA.failures.map((f) => ["failed: " + f[0], f[1]]), ...DATA.rejections.map((r) => ["rejected: " + r[0], r[1]])];
    barChart("chart-problems", problems, null, ["Reason", "Documents"]);
  }

  function markCharts() {
    for (const [id, key] of [["chart-rules", "rule"], ["chart-kinds", "kind"]]) {
      for (const g of $(id).querySelectorAll("g.item")) {
        const on = state[key] === g.dataset.name;
        g.classList.toggle("active", on);
        g.classList.toggle("dim", Boolean(state[key]) && !on);
        g.setAttribute("aria-pressed", String(on));
      }
    }
  }

  /* ---------------------------------------------------------------------- removed lines */
  function lineMatches(line) {
    return (!state.rule || line[2].includes(state.rule)) && (!state.kind || line[3] === state.kind);
  }

  function chip(rule) {
    const b = el("button", { type: "button", class: "chip" + (rule === state.rule ? " active" : ""),
      "aria-label": `Filter by rule ${rule}`, text: rule });
    b.addEventListener("click", () => setFilter({ rule: state.rule === rule ? "" : rule, kind: state.kind }));
    return b;
  }

  function renderLines() {
    const body = $("lines-table").tBodies[0];
    const rows = DATA.lines.filter(lineMatches);
    body.replaceChildren(...rows.map((line) => el("tr", {},
      el("td", { class: "num", text: fmt(line[1]) }), el("td", { class: "line-text", text: line[0] }),
      el("td", { text: line[3] }), el("td", {}, ...line[2].map(chip)))));
    if (!rows.length) body.append(el("tr", {}, el("td", { colspan: 4, text: "No removed line matches the filter." })));
    $("lines-more").textContent = `${fmt(rows.length)} of the ${fmt(DATA.lines.length)} most frequent removed lines shown` +
      (state.rule || state.kind ? " (filtered)." : ".");
  }

  /* ---------------------------------------------------------------------- document list */
  function removalMatches(r) {
    return (!state.rule || r[3].includes(state.rule)) && (!state.kind || r[2] === state.kind);
  }

  function docMatches(doc) {
    if (state.query) {
      const q = state.query.toLowerCase();
      if (![doc.id, doc.name, doc.title || ""].some((s) => String(s).toLowerCase().includes(q))) return false;
    }
    return !(state.rule || state.kind) || doc.removed.some(removalMatches);
  }

  function renderDocList(keep) {
    const list = $("doc-list");
    const previous = state.visible[state.current];
    state.visible = DATA.docs.map((d, i) => i).filter((i) => docMatches(DATA.docs[i]));
    list.replaceChildren(...state.visible.map((i, n) => {
      const doc = DATA.docs[i];
      const hits = (state.rule || state.kind) ? doc.removed.filter(removalMatches).length : doc.removed.length;
      const sub = `${hits} removed${state.rule || state.kind ? " (filter)" : ""}` +
        (doc.language ? ` · ${doc.language}` : "") + (doc.title ? ` · ${short(doc.title, 50)}` : "");
      const item = el("li", { id: "doc-opt-" + n, role: "option", "aria-selected": "false", "data-id": doc.id },
        el("span", { text: doc.name }), el("span", { class: "sub", text: sub }));
      item.addEventListener("click", () => selectDoc(n, false));
      return item;
    }));
    $("doc-count").textContent = `${fmt(state.visible.length)} of ${fmt(DATA.docs.length)} sampled documents` +
      (state.rule || state.kind ? " touched by the filter" : "") + (state.query ? ` matching “${state.query}”` : "");
    const again = keep && previous !== undefined ? state.visible.indexOf(previous) : -1;
    selectDoc(again >= 0 ? again : (state.visible.length ? 0 : -1), false);
  }

  function selectDoc(n, focusList) {
    const list = $("doc-list");
    state.current = n;
    for (const li of list.children) li.setAttribute("aria-selected", "false");
    if (n < 0) {
      list.removeAttribute("aria-activedescendant");
      renderDoc(null);
      return;
    }
    const item = list.children[n];
    item.setAttribute("aria-selected", "true");
    list.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
    if (focusList) list.focus();
    renderDoc(DATA.docs[state.visible[n]]);
    updateHash();
  }

  function listKeys(e) {
    const last = state.visible.length - 1;
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    let n = state.current;
    if (e.key in moves) n = Math.min(last, Math.max(0, n + moves[e.key]));
    else if (e.key === "Home") n = 0;
    else if (e.key === "End") n = last;
    else if (e.key === "Enter") { const first = $("doc-text").querySelector(".rm"); if (first) first.focus(); e.preventDefault(); return; }
    else return;
    e.preventDefault();
    if (last >= 0) selectDoc(n, true);
  }

  /* ----------------------------------------------------------------------- the document */
  function renderDoc(doc) {
    const head = $("doc-head"), text = $("doc-text"), removed = $("doc-removed");
    hideTip();
    if (!doc) {
      head.replaceChildren(el("h3", { text: "No document" }));
      text.replaceChildren(el("p", { class: "meta", text: "No sampled document matches; change the search or the filter." }));
      removed.replaceChildren();
      return;
    }
    const s = doc.stats || {};
    head.replaceChildren(...[
      el("h3", { text: doc.title || doc.name }),
      el("p", { class: "meta" }, el("span", { text: `id ${doc.id}` }), doc.name !== doc.id ? el("span", { text: doc.name }) : null,
        el("span", { text: `language ${doc.language || "unknown"}` }), el("span", { text: `date ${doc.date || "none"}` }),
        el("span", { text: `${fmt(s.chars_in || 0)} → ${fmt(s.chars_out || 0)} characters` }),
        el("span", { text: `${fmt(doc.removed_total)} removed` }),
        el("span", { text: doc.mode === "source" ? "text: the original input" : "text: rebuilt" })),
      doc.mode === "rebuilt" ? el("p", { class: "notice", text: "The original input was not found, so this is the clean " +
        "text with the removed items put back near their place: the positions are approximate." }) : null,
      doc.truncated ? el("p", { class: "notice", text: `Long document: only its first ${fmt(doc.text.length)} characters ` +
        `are embedded (${doc.removed.length} of ${doc.removed_total} removals).` }) : null].filter(Boolean));
    const parts = [];
    const items = [];
    let pos = 0;
    doc.removed.forEach((r, i) => {
      const start = Math.max(pos, r[0]), end = Math.max(start, r[1]);
      if (start > pos) parts.push(doc.text.slice(pos, start));
      const mark = el("del", { class: "rm", tabindex: 0, "data-i": i, id: "rm-" + i, "aria-describedby": "tip" },
        el("span", { class: "rm-tag", text: "✂ " + r[2] }), doc.text.slice(start, end));
      parts.push(mark);
      pos = end;
      const link = el("a", { href: "#rm-" + i, text: short(doc.text.slice(start, end).replace(/\s+/g, " "), 90) || "(empty)" });
      link.addEventListener("click", (e) => { e.preventDefault(); mark.focus(); });
      items.push(el("li", { "data-i": i }, link, el("span", { class: "why", text: `${r[2]} · line ${r[5]} · ${r[3].join(", ")}` +
        (r[4] ? ` · ${r[4]}` : "") })));
    });
    parts.push(doc.text.slice(pos));
    text.replaceChildren(...parts);
    text.scrollTop = 0;
    removed.replaceChildren(...items);
    if (!items.length) removed.append(el("li", { text: "Nothing was removed." }));
    markDoc();
  }

  function markDoc() {
    const doc = DATA.docs[state.visible[state.current]];
    if (!doc) return;
    const filtering = Boolean(state.rule || state.kind);
    for (const node of document.querySelectorAll("#doc-text .rm, #doc-removed li[data-i]")) {
      const on = removalMatches(doc.removed[Number(node.dataset.i)]);
      node.classList.toggle("match", filtering && on);
      node.classList.toggle("dim", filtering && !on);
    }
  }

  function jump(step) {
    const marks = [...$("doc-text").querySelectorAll(".rm")].filter((m) => !m.classList.contains("dim"));
    if (!marks.length) return;
    const at = marks.indexOf(document.activeElement);
    const next = at < 0 ? (step > 0 ? 0 : marks.length - 1) : (at + step + marks.length) % marks.length;
    marks[next].focus();
    marks[next].scrollIntoView({ block: "nearest" });
  }

  /* ------------------------------------------------------------------------------ tooltip */
  function showTip(mark) {
    const doc = DATA.docs[state.visible[state.current]];
    const r = doc && doc.removed[Number(mark.dataset.i)];
    if (!r) return;
    const tip = $("tip");
    tip.replaceChildren(
      el("div", {}, el("b", { text: r[2] }), ` · input line ${r[5]}`),
      el("div", {}, "Rules: ", ...r[3].flatMap((rule, i) => [i ? ", " : "", el("code", { text: rule })])),
      el("div", { text: "Evidence: " + (r[4] || "(none recorded)") }));
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const top = window.scrollY + box.bottom + 6;
    const left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.top = top + "px";
    tip.style.left = Math.max(window.scrollX + 4, left) + "px";
    for (const m of document.querySelectorAll("#doc-text .rm.current")) m.classList.remove("current");
    mark.classList.add("current");
  }
  function hideTip() {
    $("tip").hidden = true;
  }

  /* ------------------------------------------------------------------------------ filter */
  function setFilter(next) {
    state.rule = next.rule || "";
    state.kind = next.kind || "";
    $("filter-rule").value = state.rule;
    $("filter-kind").value = state.kind;
    $("filters").classList.toggle("active", Boolean(state.rule || state.kind));
    const what = [state.rule && `rule ${state.rule}`, state.kind && `kind ${state.kind}`].filter(Boolean).join(" and ");
    markCharts();
    renderLines();
    renderDocList(true);
    $("filter-status").textContent = what
      ? `Showing only what ${what} touched: ${fmt(DATA.lines.filter(lineMatches).length)} removed lines, ` +
        `${fmt(state.visible.length)} sampled documents.`
      : "Showing everything.";
    updateHash();
  }

  function updateHash() {
    const params = new URLSearchParams();
    if (state.rule) params.set("rule", state.rule);
    if (state.kind) params.set("kind", state.kind);
    const doc = DATA.docs[state.visible[state.current]];
    if (doc) params.set("doc", doc.id);
    history.replaceState(null, "", "#" + params.toString());
  }

  function fillSelect(id, names) {
    const select = $(id);
    for (const name of names) select.append(el("option", { value: name, text: name }));
  }

  /* ------------------------------------------------------------------------------- start */
  function start() {
    renderNumbers();
    renderCharts();
    fillSelect("filter-rule", DATA.rules.map((r) => r[0]));
    fillSelect("filter-kind", DATA.kinds.map((k) => k[0]));
    $("filter-rule").addEventListener("change", (e) => setFilter({ rule: e.target.value, kind: state.kind }));
    $("filter-kind").addEventListener("change", (e) => setFilter({ rule: state.rule, kind: e.target.value }));
    $("filter-clear").addEventListener("click", () => setFilter({}));
    $("doc-search").addEventListener("input", (e) => { state.query = e.target.value.trim(); renderDocList(false); updateHash(); });
    $("doc-search").addEventListener("keydown", (e) => { if (e.key === "ArrowDown" || e.key === "Enter") { e.preventDefault(); $("doc-list").focus(); } });
    $("doc-list").addEventListener("keydown", listKeys);
    $("doc-list").addEventListener("focus", () => { if (state.current < 0 && state.visible.length) selectDoc(0, false); });
    const text = $("doc-text");
    text.addEventListener("mouseover", (e) => { const m = e.target.closest(".rm"); if (m) showTip(m); });
    text.addEventListener("mouseout", (e) => { if (e.target.closest(".rm") && document.activeElement !== e.target.closest(".rm")) hideTip(); });
    text.addEventListener("focusin", (e) => { const m = e.target.closest(".rm"); if (m) showTip(m); });
    text.addEventListener("focusout", hideTip);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { hideTip(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
      if (e.key === "n") jump(1);
      else if (e.key === "p") jump(-1);
      else if (e.key === "/") { e.preventDefault(); $("doc-search").focus(); }
    });
    const params = new URLSearchParams(location.hash.slice(1));
    const wanted = params.get("doc");
    state.query = "";
    setFilter({ rule: params.get("rule") || "", kind: params.get("kind") || "" });
    if (wanted) {
      const n = state.visible.findIndex((i) => DATA.docs[i].id === wanted);
      if (n >= 0) selectDoc(n, false);
    }
    document.body.dataset.ready = "true";
  }

  start();
})();
