// cyberdip's offline questionnaire. Draws the questions embedded in the page (the
// #questions block), keeps the answers in this browser's local storage as they are
// typed, and saves them as a file `cyberdip import` reads. No eval, no inline event
// handlers, no network API; rubric text only ever goes in through textContent.
"use strict";
(function () {
  var Q = JSON.parse(document.getElementById("questions").textContent);
  var T = Q.ui;  // our own words, in the form's language
  function say(key, values) {
    return T[key].replace(/%\((\w+)\)s/g, function (_, k) { return String(values[k]); });
  }
  var root = document.getElementById("form");
  var state = {};   // criterion id -> what is answered
  var meta = {};    // organisation, period, date, respondent
  var views = {};   // criterion id -> elements to refresh
  var stored = true;
  var lowest = Q.lowest;
  var all = [];
  Q.areas.forEach(function (a) { a.criteria.forEach(function (c) { all.push(c); }); });

  function el(tag, attrs) {
    var e = document.createElement(tag);
    var k;
    for (k in (attrs || {})) {
      if (k === "text") { e.textContent = attrs[k]; }
      else if (k === "cls") { e.className = attrs[k]; }
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) {
        e.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      e.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return e;
  }
  var uid = 0;
  function newId(base) { uid += 1; return "f" + uid + "-" + base.replace(/[^A-Za-z0-9_-]/g, "_"); }

  // -- the state of one criterion, from a carried answer or nothing ----------------------
  function empty() {
    return {level: null, ind: {}, indEv: {}, met: null, value: "", none: false, answer: null,
            na: false, reason: "", evidence: [], notes: "", target: null, carried: null,
            plan: {action: "", owner: "", due: "", status: ""}};
  }
  function evItem(x) {
    if (x && typeof x === "object") {
      return {text: String(x.text || ""), date: x.date ? String(x.date) : ""};
    }
    return {text: String(x === null || x === undefined ? "" : x), date: ""};
  }
  function fromAnswer(a) {
    var s = empty();
    if (!a || typeof a !== "object") { return s; }
    if (typeof a.level === "number") { s.level = a.level; }
    if (a.indicators && typeof a.indicators === "object") {
      Object.keys(a.indicators).forEach(function (k) {
        var v = a.indicators[k];
        var met = (v && typeof v === "object") ? v.met : v;
        if (met === true) { s.ind[k] = true; }
        if (v && typeof v === "object" && Array.isArray(v.evidence) && v.evidence.length) {
          s.indEv[k] = evItem(v.evidence[0]);
        }
      });
    }
    if (typeof a.met === "boolean") { s.met = a.met; }
    if (typeof a.value === "number") { s.value = String(a.value); }
    if (typeof a.answer === "string") { s.answer = a.answer; }
    if (a.not_applicable !== undefined && a.not_applicable !== null && a.not_applicable !== false) {
      s.na = true;
      s.reason = typeof a.not_applicable === "string" ? a.not_applicable : "";
    }
    if (Array.isArray(a.evidence)) { s.evidence = a.evidence.map(evItem); }
    if (typeof a.notes === "string") { s.notes = a.notes; }
    if (typeof a.target === "number") { s.target = a.target; }
    PLAN_KEYS.forEach(function (k) {
      if (a[k] !== undefined && a[k] !== null) { s.plan[k] = String(a[k]); }
    });
    if (a.carried) { s.carried = a.carried; }
    return s;
  }

  // -- what an answer says, as the assessment file holds it -------------------------------
  function levelFromIndicators(c, s) {
    var levels = [];
    c.indicators.forEach(function (i) { if (levels.indexOf(i[0]) < 0) { levels.push(i[0]); } });
    levels.sort(function (x, y) { return x - y; });
    var got = lowest;
    for (var j = 0; j < levels.length; j++) {
      var at = c.indicators.filter(function (i) { return i[0] === levels[j]; });
      if (at.every(function (i) { return s.ind[i[1]] === true; })) { got = levels[j]; }
      else { break; }
    }
    return got;
  }
  function anyIndicator(s) {
    return Object.keys(s.ind).some(function (k) { return s.ind[k] === true; });
  }
  function evidenceOut(items) {
    var out = [];
    items.forEach(function (x) {
      var t = x.text.trim();
      if (!t) { return; }
      out.push(x.date ? {text: t, date: x.date} : t);
    });
    return out;
  }
  function number(text) {
    var t = String(text).trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) { return null; }
    var x = Number(t);
    return isFinite(x) ? x : null;
  }
  function answered(c, s) {
    if (s.na) { return true; }
    if (c.kind === "level") { return s.level !== null || anyIndicator(s); }
    if (c.kind === "boolean") { return s.met !== null; }
    if (c.kind === "metric") { return s.none || String(s.value).trim() !== ""; }
    if (c.kind === "choice") { return s.answer !== null; }
    return false;
  }
  function answerOf(c, s) {
    var a = {};
    if (s.na) {
      a.not_applicable = s.reason.trim();
    } else if (c.kind === "level") {
      if (s.level !== null) { a.level = s.level; }
      else if (anyIndicator(s)) {
        a.indicators = {};
        c.indicators.forEach(function (i) {
          var met = s.ind[i[1]] === true;
          var ev = s.indEv[i[1]];
          var evs = ev ? evidenceOut([ev]) : [];
          a.indicators[i[1]] = (met && evs.length) ? {met: true, evidence: evs} : met;
        });
      }
    } else if (c.kind === "boolean") {
      if (s.met !== null) { a.met = s.met; }
    } else if (c.kind === "metric") {
      if (s.none) { a.level = c.metric.lowest; }
      else if (String(s.value).trim() !== "") { a.value = number(s.value); }
    } else if (c.kind === "choice") {
      if (s.answer !== null) { a.answer = s.answer; }
    }
    var ev = evidenceOut(s.evidence);
    if (ev.length) { a.evidence = ev; }
    if (s.notes.trim()) { a.notes = s.notes.trim(); }
    if (s.target !== null) { a.target = s.target; }
    PLAN_KEYS.forEach(function (k) {
      var v = String((s.plan || {})[k] || "").trim();
      if (v) { a[k] = v; }
    });
    if (s.carried && (answered(c, s) || ev.length)) { a.carried = s.carried; }
    return Object.keys(a).length ? a : null;
  }
  function problemsOf(c, s) {
    var out = [];
    if (s.na && !s.reason.trim()) { out.push(T.p_reason); }
    if (!s.na && c.kind === "metric" && !s.none && String(s.value).trim() !== "") {
      var x = number(s.value);
      var m = c.metric;
      if (x === null) { out.push(T.p_number); }
      else if ((m.min !== null && x < m.min) || (m.max !== null && x > m.max)) {
        out.push(say("p_range", {min: m.min === null ? "" : m.min,
                                 max: m.max === null ? "" : m.max}));
      }
    }
    s.evidence.concat(Object.keys(s.indEv).map(function (k) { return s.indEv[k]; }))
      .forEach(function (e) {
        if (e.date && !/^\d{4}-\d{2}-\d{2}$/.test(e.date)) { out.push(T.p_date); }
      });
    return out;
  }

  // -- keeping the answers in this browser ----------------------------------------------
  function save() {
    var keep = {meta: meta, answers: {}};
    all.forEach(function (c) { keep.answers[c.id] = state[c.id]; });
    try {
      window.localStorage.setItem(Q.key, JSON.stringify(keep));
      stored = true;
    } catch (e) {
      stored = false;
    }
    refreshStatus();
  }
  function restore() {
    var text = null;
    try { text = window.localStorage.getItem(Q.key); } catch (e) { stored = false; }
    var kept = null;
    if (text) { try { kept = JSON.parse(text); } catch (e) { kept = null; } }
    all.forEach(function (c) {
      var k = kept && kept.answers && kept.answers[c.id];
      state[c.id] = (k && typeof k === "object") ? Object.assign(empty(), k)
        : fromAnswer(Q.prefill[c.id]);
    });
    var org = Q.organisation || {};
    meta = (kept && kept.meta) || {name: org.name || "", unit: org.unit || "",
                                    country: org.country || "", period: "", date: "",
                                    respondent: Q.respondent || ""};
  }

  // -- drawing ----------------------------------------------------------------------------
  function field(labelText, input, hint) {
    var id = newId("in");
    input.id = id;
    return el("div", {cls: "field"}, el("label", {"for": id, text: labelText}), input,
              hint ? el("span", {cls: "hint", text: hint}) : null);
  }
  function textInput(value, onChange, attrs) {
    var i = el("input", Object.assign({type: "text", value: value}, attrs || {}));
    i.value = value;
    i.addEventListener("input", function () { onChange(i.value); });
    return i;
  }
  function changed(c) {
    var s = state[c.id];
    if (s.carried) { s.carried = null; }  // changing a carried answer confirms the change
    refresh(c);
    save();
  }
  function helpBox(c) {
    var box = el("details", {cls: "help"}, el("summary", {text: T.help, "aria-label": T.help_label}));
    var dl = el("dl");
    c.help.forEach(function (h) {
      dl.appendChild(el("dt", {text: h[0] + " \u2013 " + h[1]}));
      dl.appendChild(el("dd", {text: h[2]}));
    });
    box.appendChild(dl);
    c.terms.forEach(function (t) {
      var g = Q.glossary[t];
      box.appendChild(el("p", {cls: "term"}, el("dfn", {text: g[0]}), ": " + g[1]));
    });
    return box;
  }
  function evidenceEditor(c, s) {
    var wrap = el("div", {cls: "evidence"});
    function draw() {
      wrap.textContent = "";
      wrap.appendChild(el("p", {cls: "sub", text: T.evidence_head}));
      s.evidence.forEach(function (item, n) {
        var row = el("div", {cls: "evrow"});
        row.appendChild(field(say("evidence_n", {n: n + 1}), textInput(item.text, function (v) {
          item.text = v; changed(c); }, {size: 50})));
        var d = el("input", {type: "date", value: item.date});
        d.value = item.date;
        d.addEventListener("change", function () { item.date = d.value; changed(c); });
        row.appendChild(field(T.date_short, d));
        var rm = el("button", {type: "button", cls: "small", text: T.remove});
        rm.addEventListener("click", function () { s.evidence.splice(n, 1); draw(); changed(c); });
        row.appendChild(rm);
        wrap.appendChild(row);
      });
      var add = el("button", {type: "button", cls: "small", text: T.add_evidence});
      add.addEventListener("click", function () {
        s.evidence.push({text: "", date: ""}); draw(); save();
        var inputs = wrap.querySelectorAll("input[type=text]");
        if (inputs.length) { inputs[inputs.length - 1].focus(); }
      });
      wrap.appendChild(add);
    }
    draw();
    return wrap;
  }
  var PLAN_KEYS = ["action", "owner", "due", "status"];
  var STATUSES = ["planned", "under-way", "done", "dropped"];
  function planEditor(c, s) {
    s.plan = s.plan || {action: "", owner: "", due: "", status: ""};
    var box = el("details", {cls: "plan"}, el("summary", {text: T.plan}));
    box.open = PLAN_KEYS.some(function (k) { return s.plan[k]; });
    box.appendChild(field(T.plan_action, textInput(s.plan.action, function (v) {
      s.plan.action = v; changed(c); }, {size: 50})));
    box.appendChild(field(T.plan_owner, textInput(s.plan.owner, function (v) {
      s.plan.owner = v; changed(c); })));
    box.appendChild(field(T.plan_due, textInput(s.plan.due, function (v) {
      s.plan.due = v; changed(c); })));
    var st = el("select");
    st.appendChild(el("option", {value: "", text: "\u2014"}));
    STATUSES.forEach(function (w) { st.appendChild(el("option", {value: w, text: w})); });
    st.value = s.plan.status || "";
    st.addEventListener("change", function () { s.plan.status = st.value; changed(c); });
    box.appendChild(field(T.plan_status, st));
    return box;
  }
  function levelAnswer(c, s, box) {
    var groupName = newId("ind");
    if (c.indicators.length && Q.mode !== "levels") {
      var list = el("fieldset", {cls: "indicators"},
                    el("legend", {text: T.indicators}));
      var last = null;
      c.indicators.forEach(function (i) {
        if (i[0] !== last) {
          last = i[0];
          var name = c.levels.filter(function (l) { return l[0] === i[0]; })[0];
          list.appendChild(el("p", {cls: "lvl", text: say("level_n", {n: i[0]}) +
                                    (name ? " \u2013 " + name[1] : "")}));
        }
        var id = newId(i[1]);
        var cb = el("input", {type: "checkbox", id: id, name: groupName,
                              "data-indicator": i[1]});
        cb.checked = s.ind[i[1]] === true;
        cb.addEventListener("change", function () {
          if (cb.checked) { s.ind[i[1]] = true; } else { delete s.ind[i[1]]; }
          changed(c);
        });
        var row = el("div", {cls: "ind"}, cb, el("label", {"for": id, text: i[2]}));
        var ev = s.indEv[i[1]] || {text: "", date: ""};
        var evText = textInput(ev.text, function (v) {
          ev.text = v; s.indEv[i[1]] = ev; changed(c); }, {size: 40});
        var evDate = el("input", {type: "date"});
        evDate.value = ev.date;
        evDate.addEventListener("change", function () { ev.date = evDate.value;
          s.indEv[i[1]] = ev; changed(c); });
        var evBox = el("div", {cls: "indev"}, field(T.ind_evidence, evText),
                       field(T.date_short, evDate));
        evBox.hidden = !cb.checked;  // evidence for what is ticked
        cb.addEventListener("change", function () { evBox.hidden = !cb.checked; });
        row.appendChild(evBox);
        list.appendChild(row);
      });
      box.appendChild(list);
    }
    var sel = el("select");
    sel.appendChild(el("option", {value: "", text: c.indicators.length && Q.mode !== "levels" ?
      T.from_indicators : T.not_answered_opt}));
    c.levels.forEach(function (l) {
      sel.appendChild(el("option", {value: String(l[0]), text: l[0] + " \u2013 " + l[1] +
                                    ": " + l[2]}));
    });
    sel.value = s.level === null ? "" : String(s.level);
    sel.addEventListener("change", function () {
      s.level = sel.value === "" ? null : Number(sel.value); changed(c); });
    box.appendChild(field(c.indicators.length && Q.mode !== "levels" ? T.choose_level : T.level,
                          sel));
  }
  function radios(c, s, choices, get, set) {
    var name = newId("r");
    var fs = el("fieldset", {cls: "choices"}, el("legend", {text: T.answer}));
    choices.forEach(function (ch) {
      var id = newId("o");
      var r = el("input", {type: "radio", name: name, id: id, value: ch[0]});
      r.checked = get() === ch[2];
      r.addEventListener("change", function () { if (r.checked) { set(ch[2]); changed(c); } });
      fs.appendChild(el("div", {cls: "opt"}, r, el("label", {"for": id, text: ch[1]})));
    });
    return fs;
  }
  function criterionView(c, area) {
    var s = state[c.id];
    var box = el("section", {cls: "criterion", id: "q-" + c.id.replace(/[^A-Za-z0-9_.-]/g, "_"),
                             "data-criterion": c.id});
    box.appendChild(el("h3", {}, el("span", {cls: "cid", text: c.id}), " ",
                       c.title || c.question, c.critical ? el("span", {cls: "critical",
                       text: T.critical}) : null));
    if (c.title) { box.appendChild(el("p", {cls: "question", text: c.question})); }
    box.appendChild(helpBox(c));
    var carriedBox = el("div", {cls: "carried", role: "note"});
    box.appendChild(carriedBox);
    var answerBox = el("div", {cls: "answer"});
    if (c.kind === "level") { levelAnswer(c, s, answerBox); }
    else if (c.kind === "boolean") {
      answerBox.appendChild(radios(c, s, [["yes", say("yes", {what: c.yes}), true],
                                              ["no", say("no", {what: c.no}), false]],
        function () { return s.met; }, function (v) { s.met = v; }));
    } else if (c.kind === "choice") {
      answerBox.appendChild(radios(c, s, c.options.map(function (o) {
        return [o[0], o[0] + " \u2013 " + o[1] + (o[2] ? ": " + o[2] : ""), o[0]]; }),
        function () { return s.answer; }, function (v) { s.answer = v; }));
    } else if (c.kind === "metric") {
      var m = c.metric;
      var num = el("input", {type: "number", step: "any", inputmode: "decimal",
                             min: m.min, max: m.max});
      num.value = s.value;
      num.addEventListener("input", function () { s.value = num.value; changed(c); });
      var bounds = m.min !== null && m.max !== null ? say("between", m) :
        m.min !== null ? say("at_least", m) : m.max !== null ? say("at_most", m) : null;
      answerBox.appendChild(field(say("answer_in", {measure: m.unit}), num, bounds));
      if (m.none) {
        var nid = newId("none");
        var none = el("input", {type: "checkbox", id: nid});
        none.checked = s.none;
        none.addEventListener("change", function () { s.none = none.checked; changed(c); });
        answerBox.appendChild(el("div", {cls: "opt"}, none, el("label", {"for": nid,
          text: T.no_number})));
      }
    }
    box.appendChild(answerBox);
    var shows = el("p", {cls: "gives", "aria-live": "polite"});
    box.appendChild(shows);
    var naId = newId("na");
    var na = el("input", {type: "checkbox", id: naId});
    na.checked = s.na;
    var reason = textInput(s.reason, function (v) { s.reason = v; changed(c); }, {size: 50});
    var why = field(T.na_reason, reason);
    why.hidden = !s.na;
    na.addEventListener("change", function () { s.na = na.checked; why.hidden = !na.checked;
      changed(c); if (na.checked) { reason.focus(); } });
    box.appendChild(el("div", {cls: "na"}, el("div", {cls: "opt"}, na, el("label", {"for": naId,
      text: T.na})), why));
    box.appendChild(evidenceEditor(c, s));
    if (c.targets.length) {
      var t = el("select");
      t.appendChild(el("option", {value: "", text: T.default_target}));
      c.targets.forEach(function (l) {
        t.appendChild(el("option", {value: String(l[0]), text: l[0] + " \u2013 " + l[1]})); });
      t.value = s.target === null ? "" : String(s.target);
      t.addEventListener("change", function () {
        s.target = t.value === "" ? null : Number(t.value); changed(c); });
      box.appendChild(field(T.target, t));
    }
    box.appendChild(planEditor(c, s));
    var notes = el("textarea", {rows: 2, cols: 60});
    notes.value = s.notes;
    notes.addEventListener("input", function () { s.notes = notes.value; changed(c); });
    box.appendChild(field(T.notes, notes));
    var problems = el("p", {cls: "problems", role: "alert"});
    box.appendChild(problems);
    views[c.id] = {box: box, shows: shows, carried: carriedBox, problems: problems,
                   answerBox: answerBox, area: area};
    refresh(c);
    return box;
  }
  function refresh(c) {
    var s = state[c.id];
    var v = views[c.id];
    if (!v) { return; }
    var text;
    if (s.na) { text = T.gives_na; }
    else if (c.kind === "level" && s.level !== null) {
      text = say("gives_direct", {n: s.level});
    } else if (c.kind === "level" && anyIndicator(s)) {
      var lv = levelFromIndicators(c, s);
      var name = c.help.filter(function (h) { return h[0] === lv; })[0];
      text = say("gives_ind", {n: lv, name: name ? name[1] : ""});
    } else { text = answered(c, s) ? T.answered : T.unanswered; }
    v.shows.textContent = text;
    v.answerBox.querySelectorAll("input[data-indicator]").forEach(function (cb) {
      cb.disabled = s.level !== null || s.na; });
    v.carried.textContent = "";
    if (s.carried) {
      var where = s.carried.period ? s.carried.period + " (" + s.carried.source + ")" :
        String(s.carried.source);
      v.carried.appendChild(el("span", {text: say("carried", {where: where})}));
      var yes = el("button", {type: "button", cls: "small", text: T.confirm});
      yes.addEventListener("click", function () { s.carried = null; refresh(c); save(); });
      var clear = el("button", {type: "button", cls: "small", text: T.clear});
      clear.addEventListener("click", function () {
        state[c.id] = empty();
        var fresh = criterionView(c, v.area);
        v.box.parentNode.replaceChild(fresh, v.box);
        save();
      });
      v.carried.appendChild(yes);
      v.carried.appendChild(clear);
    }
    v.carried.hidden = !s.carried;
    var ps = problemsOf(c, s);
    v.problems.textContent = ps.join("; ");
    v.problems.hidden = !ps.length;
  }

  var statusLine = el("p", {cls: "status", "aria-live": "polite"});
  var storeNote = el("p", {cls: "store"});
  function counts() {
    var n = 0, carried = 0, problems = 0;
    all.forEach(function (c) {
      var s = state[c.id];
      if (answered(c, s)) { n += 1; }
      if (s.carried && answered(c, s)) { carried += 1; }
      if (problemsOf(c, s).length) { problems += 1; }
    });
    return {answered: n, carried: carried, problems: problems};
  }
  function refreshStatus() {
    var k = counts();
    statusLine.textContent = say("status", {n: k.answered, m: all.length}) +
      (k.carried ? say("status_carried", {k: k.carried}) : "") +
      (k.problems ? say("status_problems", {k: k.problems}) : "") + T.stop;
    storeNote.textContent = stored ? T.kept : T.not_kept;
    storeNote.className = stored ? "store" : "store warn";
    Q.areas.forEach(function (a) {
      var got = a.criteria.filter(function (c) { return answered(c, state[c.id]); }).length;
      var badge = document.getElementById("count-" + a.id);
      if (badge) { badge.textContent = say("of", {n: got, m: a.criteria.length}); }
    });
  }

  function document_() {
    var answers = {};
    all.forEach(function (c) {
      var a = answerOf(c, state[c.id]);
      if (a) { answers[c.id] = a; }
    });
    var org = {name: meta.name.trim()};
    if (meta.unit.trim()) { org.unit = meta.unit.trim(); }
    if (meta.country.trim()) { org.country = meta.country.trim(); }
    var doc = {rubric: Q.rubric.ref, rubric_version: Q.rubric.version, organisation: org};
    if (meta.period.trim()) { doc.period = meta.period.trim(); }
    if (meta.date) { doc.date = meta.date; }
    var who = meta.respondent.trim();
    doc.assessors = who ? [who] : [];
    if (Q.respondent) { doc.section = Q.respondent; }
    if (Q.profile) { doc.profile = Q.profile; }
    if (Q.marking) { doc.marking = Q.marking.text; }
    doc.answers = answers;
    return {cyberdip_form: Q.form, rubric: {id: Q.rubric.id, version: Q.rubric.version,
            sha256: Q.rubric.sha256}, assessment: doc};
  }
  var saveNote = el("p", {cls: "saved", role: "status"});
  function download() {
    var k = counts();
    if (k.problems) {
      saveNote.textContent = say("not_saved", {k: k.problems});
      var first = all.filter(function (c) { return problemsOf(c, state[c.id]).length; })[0];
      if (first) { views[first.id].box.scrollIntoView(); }
      return;
    }
    if (!meta.name.trim()) {
      saveNote.textContent = T.not_saved_org;
      return;
    }
    var text = JSON.stringify(document_(), null, 1) + "\n";
    var blob = new Blob([text], {type: "application/json"});
    var a = el("a", {href: URL.createObjectURL(blob), download: Q.answers_name});
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    saveNote.textContent = say("saved", {name: Q.answers_name});
  }

  function header() {
    var h = el("header", {});
    h.appendChild(el("h1", {text: Q.title}));
    h.appendChild(el("p", {cls: "sub", text: say("questionnaire", {rubric: Q.rubric.id + " " +
      Q.rubric.version}) + (Q.profile_name ? say("for_profile", {profile: Q.profile_name}) : "") +
      T.stop + (Q.respondent ? " " + say("section_for", {respondent: Q.respondent}) : "")}));
    var who = el("fieldset", {cls: "meta"}, el("legend", {text: T.who}));
    [["name", T.organisation], ["unit", T.unit], ["country", T.country],
     ["respondent", T.respondent], ["period", T.period]].forEach(function (f) {
      who.appendChild(field(f[1], textInput(meta[f[0]] || "", function (v) {
        meta[f[0]] = v; save(); })));
    });
    var d = el("input", {type: "date"});
    d.value = meta.date || "";
    d.addEventListener("change", function () { meta.date = d.value; save(); });
    who.appendChild(field(T.date, d));
    h.appendChild(who);
    h.appendChild(storeNote);
    h.appendChild(statusLine);
    var b = el("button", {type: "button", cls: "save", text: T.save});
    b.addEventListener("click", download);
    h.appendChild(el("div", {cls: "bar top"}, b, saveNote));
    var nav = el("nav", {"aria-label": T.areas});
    var ul = el("ul");
    Q.areas.forEach(function (a) {
      ul.appendChild(el("li", {}, el("a", {href: "#area-" + a.id, text: a.title}), " ",
                        el("span", {cls: "count", id: "count-" + a.id})));
    });
    nav.appendChild(ul);
    h.appendChild(nav);
    if (Q.glossary.length) {
      var g = el("details", {cls: "glossary"}, el("summary", {text: T.terms}));
      var dl = el("dl");
      Q.glossary.forEach(function (t) {
        dl.appendChild(el("dt", {text: t[0]})); dl.appendChild(el("dd", {text: t[1]})); });
      g.appendChild(dl);
      h.appendChild(g);
    }
    return h;
  }

  restore();
  if (Q.marking) {  // on every screen (it stays at the top) and every printed page
    var band = el("div", {cls: "marking", role: "note", text: Q.marking.text});
    if (Q.marking.colour) { band.classList.add("tlp"); band.setAttribute("data-tlp", Q.marking.text); }
    document.body.insertBefore(band, root);
  }
  root.appendChild(header());
  Q.areas.forEach(function (a) {
    var sec = el("section", {cls: "area", id: "area-" + a.id},
                 el("h2", {text: a.title + (a.context ? T.context : "")}));
    if (a.description) { sec.appendChild(el("p", {cls: "desc", text: a.description})); }
    a.criteria.forEach(function (c) { sec.appendChild(criterionView(c, a)); });
    root.appendChild(sec);
  });
  var foot = el("div", {cls: "bar"});
  var b2 = el("button", {type: "button", cls: "save", text: T.save});
  b2.addEventListener("click", download);
  foot.appendChild(b2);
  root.appendChild(foot);
  save();
}());
