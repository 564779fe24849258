/* The field app: works from the phone's copy of the worker's area (store.js) and
   keeps everything done offline in the outbox until it is sent. Every text it
   shows comes from the page (config.strings), in the user's language; records are
   put on the page as text, never as HTML. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("field-config").textContent);
  var S = config.strings;
  var Store = window.PilarStore;
  var db = null;
  var villages = [];
  var regions = [];
  var keepMessage = false; // the message just shown outlives the next change of tab

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_all, name) { return String(values[name]); });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function villageName(code) {
    var found = villages.find(function (village) { return village.code === code; });
    return found ? found.name : code;
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = $("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(text, isError) {
    var box = $("#field-message");
    box.textContent = text;
    box.hidden = !text;
    box.className = isError ? "message error" : "message";
  }
  function today() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  // --- the tabs: one section at a time, chosen by the address's #name ---
  function showTab() {
    var name = (location.hash || "#warga").slice(1);
    if (!$("#" + name + "[data-tab]")) name = "warga";
    $$("[data-tab]").forEach(function (section) { section.hidden = section.id !== name; });
    $$(".tabs a").forEach(function (link) {
      if (link.getAttribute("href") === "#" + name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
  }

  // --- status: online or not, what waits, how fresh the data is ---
  async function renderStatus() {
    var online = navigator.onLine;
    var net = $("#net");
    net.textContent = online ? S.online : S.offline;
    net.setAttribute("data-online", online ? "true" : "false");
    var waiting = await Store.waiting(db);
    var stuck = (await db.getAll("outbox")).filter(function (item) {
      return item.state === "refused" || item.state === "conflict";
    });
    var words = [waiting.length ? fill(S.waiting, { count: waiting.length }) : S.nothing_waiting];
    if (stuck.length) words.push(fill(S.attention, { count: stuck.length }));
    $("#pending").textContent = words.join(" · ");
    $("#pending").setAttribute("data-attention", String(stuck.length));
    $("#pending").setAttribute("data-count", String(waiting.length));
    var badge = $("#pending-badge");
    badge.textContent = String(waiting.length + stuck.length);
    badge.hidden = !(waiting.length + stuck.length);
    var when = await db.get("meta", "downloaded_at");
    $("#freshness").textContent = when ? fill(S.downloaded, { when: new Date(when).toLocaleString(document.documentElement.lang) }) : S.never_downloaded;
  }

  // --- the people of the area, and those registered here and not sent yet ---
  function personLine(person, pending) {
    var types = (person.ppks || []).map(function (record) {
      return el("span", { className: "tag", text: (config.ppks[record.category] || record.category) + " · " + record.status_label });
    });
    var facts = [person.nik || S.no_nik, villageName(person.village)];
    if (person.birth_date) facts.push(person.birth_date);
    var actions = el("p", { className: "field-actions" });
    if (!pending) {
      actions.appendChild(el("a", { href: "#ubah", "data-edit": String(person.id), text: S.edit }));
      actions.appendChild(el("a", { href: "#lapor", "data-report": String(person.id), text: S.report }));
    }
    return el("li", { className: "card", "data-person": pending ? "pending" : String(person.id) }, [
      el("strong", { text: person.full_name }),
      pending ? el("span", { className: "tag", text: S.not_sent_yet }) : null,
      el("div", { className: "muted", text: facts.join(" · ") }),
      el("div", {}, types),
      actions,
    ]);
  }

  async function renderPeople() {
    var query = $("#people-search").value.trim().toLowerCase();
    var village = $("#people-village").value;
    var people = await db.getAll("people");
    var pending = (await db.getAll("outbox")).filter(function (item) {
      return item.kind === "person" && item.state !== "sent";
    }).map(function (item) {
      return {
        full_name: item.data.full_name, nik: item.data.nik, village: item.data.village, birth_date: item.data.birth_date,
        ppks: (item.data.categories || []).map(function (category) { return { category: category, status_label: S.not_sent_yet }; }),
      };
    });
    function matches(person) {
      if (village && person.village !== village) return false;
      if (!query) return true;
      return person.full_name.toLowerCase().indexOf(query) >= 0 || (person.nik || "").indexOf(query) === 0;
    }
    people.sort(function (a, b) { return a.full_name.localeCompare(b.full_name); });
    var list = $("#people-list");
    list.replaceChildren();
    pending.filter(matches).forEach(function (person) { list.appendChild(personLine(person, true)); });
    var shown = people.filter(matches);
    shown.slice(0, 200).forEach(function (person) { list.appendChild(personLine(person, false)); });
    $("#people-count").textContent = shown.length ? String(shown.length) : S.no_people;
  }

  // --- the worker's open cases with their last visits ---
  async function renderCases() {
    var cases = await db.getAll("cases");
    var pending = (await db.getAll("outbox")).filter(function (item) { return item.kind === "visit" && item.state !== "sent"; });
    var list = $("#case-list");
    list.replaceChildren();
    if (!cases.length) list.appendChild(el("li", { className: "muted", text: S.no_cases }));
    cases.forEach(function (found) {
      var visits = found.visits.map(function (visit) {
        return el("li", { text: visit.happened_on + (visit.place ? " · " + visit.place : "") + ": " + visit.text + (visit.photo ? " (" + S.visit_with_photo + ")" : "") });
      });
      pending.filter(function (item) { return Number(item.data.case) === found.id; }).forEach(function (item) {
        visits.push(el("li", { className: "pending", text: item.data.happened_on + ": " + item.data.text + " (" + S.not_sent_yet + ")" }));
      });
      var due = found.due_at ? fill(S.due, { date: found.due_at.slice(0, 10) }) : "";
      list.appendChild(el("li", { className: "card", "data-case": String(found.id) }, [
        el("strong", { text: found.subject }),
        el("div", { className: "muted", text: [found.status_label, found.priority_label, due, found.is_overdue ? S.overdue : ""].filter(Boolean).join(" · ") }),
        found.summary ? el("p", { text: found.summary }) : null,
        el("ul", { className: "timeline" }, visits),
        el("p", {}, [el("a", { href: "#kunjungan", "data-visit": String(found.id), text: S.record_visit })]),
      ]));
    });
  }

  // --- the outbox: every item's state, and what can be done with it ---
  // Every value where the worker's version (their changes over the record as they
  // opened it) and the saved one differ, side by side.
  function conflictTable(item) {
    var mine = Object.assign({}, item.base || {}, item.data);
    var labels = config.labels || {};
    var rows = Object.keys(labels).filter(function (name) {
      return item.current && String(item.current[name] || "") !== String(mine[name] || "");
    }).map(function (name) {
      return el("tr", { "data-field": name }, [
        el("th", { text: labels[name] }), el("td", { text: String(mine[name] || "") }), el("td", { text: String(item.current[name] || "") }),
      ]);
    });
    return el("table", { className: "conflict" }, [
      el("tr", {}, [el("th", { text: "" }), el("th", { text: S.mine }), el("th", { text: S.saved })]),
    ].concat(rows));
  }

  function summary(item) {
    var data = item.data;
    if (item.kind === "person" || item.kind === "person_edit") return data.full_name || "";
    if (item.kind === "visit") return (data.happened_on || "") + " · " + (data.text || "");
    if (item.kind === "activity") return (data.held_on || "") + " · " + (data.title || "");
    return config.ppks[data.category] || data.category || "";
  }

  async function renderOutbox() {
    var items = await db.getAllFromIndex("outbox", "created");
    var list = $("#outbox-list");
    list.replaceChildren();
    items.reverse().forEach(function (item) {
      var actions = el("p", { className: "field-actions" });
      if (item.state === "refused") {
        actions.appendChild(el("button", { type: "button", "data-fix": item.key, text: S.fix }));
      }
      if (item.state === "conflict") {
        actions.appendChild(el("button", { type: "button", "data-keep-mine": item.key, text: S.keep_mine }));
        actions.appendChild(el("button", { type: "button", "data-take-theirs": item.key, text: S.take_theirs }));
      }
      if (item.state !== "sent") {
        actions.appendChild(el("button", { type: "button", className: "secondary", "data-discard": item.key, text: S.discard }));
      }
      list.appendChild(el("li", { className: "card outbox-" + item.state, "data-item": item.key, "data-state": item.state }, [
        el("strong", { text: S["kind_" + item.kind] || item.kind }),
        el("span", { className: "tag", text: S["state_" + item.state] || item.state }),
        el("div", { text: summary(item) }),
        item.message ? el("div", { className: "errorlist", text: item.message }) : null,
        item.state === "conflict" ? el("p", { className: "muted", text: S.conflict_help }) : null,
        item.state === "conflict" ? conflictTable(item) : null,
        actions,
      ]));
    });
  }

  async function renderAll() {
    await Promise.all([renderStatus(), renderPeople(), renderCases(), renderOutbox()]);
  }

  function fillVillages() {
    $$("select[data-villages]").forEach(function (select) {
      var current = select.value;
      select.replaceChildren();
      if (select.hasAttribute("data-any")) select.appendChild(el("option", { value: "", text: select.getAttribute("data-any") }));
      else select.appendChild(el("option", { value: "", text: "—" }));
      if (select.hasAttribute("data-regions")) {
        regions.forEach(function (code) {
          if (!villages.some(function (village) { return village.code === code; })) select.appendChild(el("option", { value: code, text: code }));
        });
      }
      villages.forEach(function (village) { select.appendChild(el("option", { value: village.code, text: village.name })); });
      select.value = current;
      if (!select.value && villages.length === 1 && !select.hasAttribute("data-any")) select.value = villages[0].code;
    });
  }

  async function loadMeta() {
    villages = (await db.get("meta", "villages")) || [];
    regions = (await db.get("meta", "regions")) || [];
    fillVillages();
  }

  // --- sending and downloading ---
  async function sync() {
    if (!navigator.onLine) { await renderStatus(); return; }
    $("#pending").textContent = S.sending;
    try {
      await Store.sync();
      say("");
    } catch (error) {
      if (error && error.name === "SessionEnded") {
        say(S.sign_in_again, true);
        var box = $("#field-message");
        box.appendChild(document.createTextNode(" "));
        box.appendChild(el("a", { href: config.login, text: "→" }));
      } else {
        say(S.download_failed, true);
      }
    }
    await loadMeta();
    await renderAll();
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("pilar-outbox");
      return null;
    }).catch(function () {});
  }

  // --- the forms: what was typed goes into the outbox, never straight to the server ---
  async function resize(file) {
    var bitmap = await createImageBitmap(file);
    var scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("photo")); }, "image/jpeg", 0.8);
    });
  }

  async function collect(form) {
    var data = {};
    var names = [];
    $$("input, select, textarea", form).forEach(function (field) { if (field.name && names.indexOf(field.name) < 0) names.push(field.name); });
    for (var name of names) {
      var fields = $$("[name=" + name + "]", form);
      var first = fields[0];
      if (first.type === "checkbox") {
        data[name] = fields.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      } else if (first.type === "file") {
        var kept = form.kept && form.kept[name];
        if (first.files.length) {
          var photos = [];
          for (var file of Array.prototype.slice.call(first.files, 0, 5)) photos.push(await resize(file));
          data[name] = photos;
        } else if (kept) {
          data[name] = kept;
        }
      } else {
        data[name] = first.value.trim();
      }
    }
    return data;
  }

  function showErrors(form, messages, fields) {
    var list = $("[data-errors]", form);
    list.replaceChildren();
    messages.forEach(function (message) { list.appendChild(el("li", { text: message })); });
    list.hidden = !messages.length;
    $$("[aria-invalid]", form).forEach(function (field) { field.removeAttribute("aria-invalid"); });
    Object.keys(fields || {}).forEach(function (name) {
      var field = $("[name=" + name + "]", form);
      if (field) field.setAttribute("aria-invalid", "true");
    });
  }

  function missing(form) {
    return $$("[required]", form).filter(function (field) { return !field.value.trim(); }).map(function (field) {
      var label = $("label[for=" + field.id + "]", form);
      return (label ? label.textContent : field.name) + ": " + S.required;
    });
  }

  function resetForm(form) {
    form.reset();
    form.editing = null;
    form.kept = null;
    form.base = null;
    showErrors(form, [], {});
    $$("[data-today]", form).forEach(function (field) { field.value = today(); });
    fillVillages();
  }

  async function submitted(event) {
    event.preventDefault();
    var form = event.target;
    var problems = missing(form);
    if (problems.length) { showErrors(form, problems, {}); return; }
    var data;
    try {
      data = await collect(form);
    } catch (error) {
      showErrors(form, [S.photo_failed], {});
      return;
    }
    var kind = form.getAttribute("data-kind");
    var base = null;
    if (kind === "person_edit") {
      // Only what the worker changed is sent: a correction never carries back the
      // other values as they were downloaded, over someone else's newer change.
      base = form.base || (await db.get("people", Number(data.id)));
      data = changedOnly(data, base);
    }
    await Store.queue(kind, data, form.editing, base);
    resetForm(form);
    say(S.saved_offline);
    keepMessage = location.hash !== "#kiriman";
    location.hash = "#kiriman";
    await renderAll();
    askBackgroundSync();
    if (navigator.onLine) sync();
  }

  function changedOnly(data, base) {
    var changed = { id: data.id, version: data.version };
    Object.keys(data).forEach(function (name) {
      if (name !== "id" && name !== "version" && String(data[name]) !== String(base[name] == null ? "" : base[name])) {
        changed[name] = data[name];
      }
    });
    return changed;
  }

  function setValues(form, data) {
    Object.keys(data).forEach(function (name) {
      var fields = $$("[name=" + name + "]", form);
      if (!fields.length || fields[0].type === "file") return;
      if (fields[0].type === "checkbox") {
        fields.forEach(function (box) { box.checked = (data[name] || []).indexOf(box.value) >= 0; });
      } else {
        fields[0].value = data[name] == null ? "" : data[name];
      }
    });
  }

  var FORMS = { person: "#person-form", person_edit: "#edit-form", ppks: "#ppks-form", visit: "#visit-form", activity: "#activity-form" };
  var TABS = { person: "#daftar", person_edit: "#ubah", ppks: "#lapor", visit: "#kunjungan", activity: "#kegiatan" };

  async function openPerson(id, form, tab) {
    var person = await db.get("people", Number(id));
    if (!person) return;
    resetForm(form);
    if (form.getAttribute("data-kind") === "person_edit") { setValues(form, person); form.base = person; }
    else $("[name=person]", form).value = person.id;
    var subject = $("[data-subject]", $(tab));
    if (subject) subject.textContent = person.full_name;
  }

  async function clicked(event) {
    var target = event.target.closest("[data-edit], [data-report], [data-visit], [data-fix], [data-keep-mine], [data-take-theirs], [data-discard]");
    if (!target) return;
    if (target.hasAttribute("data-edit")) return openPerson(target.getAttribute("data-edit"), $("#edit-form"), "#ubah");
    if (target.hasAttribute("data-report")) return openPerson(target.getAttribute("data-report"), $("#ppks-form"), "#lapor");
    if (target.hasAttribute("data-visit")) {
      var found = await db.get("cases", Number(target.getAttribute("data-visit")));
      var form = $("#visit-form");
      resetForm(form);
      $("[name=case]", form).value = found.id;
      $("#kunjungan [data-subject]").textContent = found.subject;
      return;
    }
    var key = target.getAttribute("data-fix") || target.getAttribute("data-keep-mine") ||
      target.getAttribute("data-take-theirs") || target.getAttribute("data-discard");
    var item = await db.get("outbox", key);
    if (!item) return;
    if (target.hasAttribute("data-fix")) {
      var fixing = $(FORMS[item.kind]);
      resetForm(fixing);
      setValues(fixing, Object.assign({}, item.base || {}, item.data));
      fixing.base = item.base || null;
      fixing.editing = item.key;
      fixing.kept = { photo: item.data.photo, photos: item.data.photos };
      showErrors(fixing, item.message ? [item.message] : [], item.fields);
      location.hash = TABS[item.kind];
    } else if (target.hasAttribute("data-keep-mine")) {
      var mine = Object.assign({}, item.data, { version: item.current.version });
      await Store.queue(item.kind, mine, item.key, item.current);
      sync();
    } else if (target.hasAttribute("data-take-theirs")) {
      await db.put("people", item.current);
      await db.delete("outbox", item.key);
    } else if (target.hasAttribute("data-discard")) {
      if (!window.confirm(S.discard_confirm)) return;
      await db.delete("outbox", item.key);
    }
    await renderAll();
  }

  // Signing out deletes the phone's copy (the server says so); warn when work waits.
  function guardSignOut() {
    $$("form[action$='/akun/keluar/']").forEach(function (form) {
      form.addEventListener("submit", async function (event) {
        if (form.confirmed) return;
        event.preventDefault();
        var count = (await Store.waiting(db)).length;
        if (!count || window.confirm(fill(S.signout_waiting, { count: count }))) {
          form.confirmed = true;
          signingOut = true;
          await Store.forget(db);
          form.submit();
        }
      });
    });
  }

  // Signing out empties the phone under the running page: a read or write still under
  // way then is abandoned on purpose, not an error to report.
  var signingOut = false;
  var ABANDONED = ["AbortError", "InvalidStateError", "TransactionInactiveError"];
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    if ((signingOut || Store.isClosed()) && reason && ABANDONED.indexOf(reason.name) >= 0) event.preventDefault();
  });

  async function start() {
    db = await Store.open();
    var owner = await db.get("meta", "user");
    if (owner !== undefined && owner !== config.user) {
      await Store.forget(db);
      say(S.other_user, true);
    }
    await db.put("meta", config.user, "user");
    await db.put("meta", { user: config.user, download: config.download, outbox: config.outbox, csrf: csrf() }, "config");
    await loadMeta();
    $$("[data-today]").forEach(function (field) { field.value = today(); });
    $$("form[data-kind]").forEach(function (form) { form.addEventListener("submit", submitted); });
    document.addEventListener("click", clicked);
    $("#people-search").addEventListener("input", renderPeople);
    $("#people-village").addEventListener("change", renderPeople);
    $("#sync-now").addEventListener("click", sync);
    window.addEventListener("hashchange", function () {
      if (keepMessage) keepMessage = false;
      else say("");
      showTab();
    });
    window.addEventListener("online", sync);
    window.addEventListener("offline", renderStatus);
    if (typeof BroadcastChannel === "function") {
      new BroadcastChannel(Store.channelName).onmessage = function () { loadMeta().then(renderAll); };
    }
    guardSignOut();
    showTab();
    await renderAll();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function () {});
    }
    document.body.setAttribute("data-field-ready", "true");
    await sync();
    document.body.setAttribute("data-field-synced", "true");
  }

  start();
})();
