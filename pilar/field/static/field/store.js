/* The phone's copy of the field work, in IndexedDB (through the vendored idb):
   the field download (people, cases, the worker's villages) and the outbox of work
   made on the phone, each item with the Idempotency-Key made when it was created.
   Loaded by the field app (field.js) and by the service worker, which sends the
   outbox on a Background Sync. */
(function (scope) {
  "use strict";
  var NAME = "pilar-lapangan";
  var BATCH_ITEMS = 25;
  var BATCH_BYTES = 1500000; // below the server's 2.5 MB request limit
  var KEEP_SENT_DAYS = 7;
  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(NAME) : null;

  function SessionEnded() { this.name = "SessionEnded"; }

  // Set once the browser closed the database under the page: signing out clears the
  // phone's storage (Clear-Site-Data) while the page still runs.
  var closed = false;

  function open() {
    return scope.idb.openDB(NAME, 1, {
      upgrade: function (db) {
        db.createObjectStore("meta");
        db.createObjectStore("people", { keyPath: "id" });
        db.createObjectStore("cases", { keyPath: "id" });
        db.createObjectStore("outbox", { keyPath: "key" }).createIndex("created", "created");
      },
      terminated: function () { closed = true; },
    });
  }

  function isClosed() { return closed; }

  function changed() { if (channel) channel.postMessage("changed"); }

  async function forget(db) {
    var tx = db.transaction(["meta", "people", "cases", "outbox"], "readwrite");
    await Promise.all(["meta", "people", "cases", "outbox"].map(function (name) { return tx.objectStore(name).clear(); }));
    await tx.done;
  }

  async function applyDownload(db, data) {
    var tx = db.transaction(["meta", "people", "cases"], "readwrite");
    var people = tx.objectStore("people");
    var cases = tx.objectStore("cases");
    if (data.full) { await people.clear(); await cases.clear(); }
    data.people.forEach(function (person) { people.put(person); });
    data.cases.forEach(function (found) { cases.put(found); });
    var keepPeople = new Set(data.keep.people);
    var keepCases = new Set(data.keep.cases);
    (await people.getAllKeys()).forEach(function (id) { if (!keepPeople.has(id)) people.delete(id); });
    (await cases.getAllKeys()).forEach(function (id) { if (!keepCases.has(id)) cases.delete(id); });
    var meta = tx.objectStore("meta");
    meta.put(data.token, "token");
    meta.put(data.villages, "villages");
    meta.put(data.regions, "regions");
    meta.put(data.generated_at, "downloaded_at");
    await tx.done;
  }

  async function settings(db) {
    var found = await db.get("meta", "config");
    if (!found) throw new SessionEnded();
    return found;
  }

  async function download() {
    var db = await open();
    var config = await settings(db);
    var token = (await db.get("meta", "token")) || "";
    var url = config.download + (token ? "?since=" + encodeURIComponent(token) : "");
    var response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403) throw new SessionEnded();
    if (!response.ok) throw new Error("download " + response.status);
    var data = await response.json();
    if (data.user !== config.user) throw new SessionEnded();
    await applyDownload(db, data);
    changed();
    return data;
  }

  async function dataUrl(blob) {
    var bytes = new Uint8Array(await blob.arrayBuffer());
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return "data:" + (blob.type || "image/jpeg") + ";base64," + btoa(text);
  }

  // The item as sent: its photos (Blobs on the phone) as data URLs. The same item
  // always gives the same body, so a resend is recognised as a replay.
  async function wire(item) {
    var data = Object.assign({}, item.data);
    for (var name of ["photo", "photos"]) {
      if (Array.isArray(data[name])) data[name] = await Promise.all(data[name].map(dataUrl));
    }
    return { key: item.key, kind: item.kind, data: data };
  }

  function withoutPhotos(data) {
    var kept = Object.assign({}, data);
    ["photo", "photos"].forEach(function (name) {
      if (Array.isArray(kept[name])) kept[name] = kept[name].length;
    });
    return kept;
  }

  async function applySent(db, item, body) {
    if (item.kind === "person" || item.kind === "person_edit" || item.kind === "ppks") {
      await db.put("people", body);
    } else if (item.kind === "visit") {
      var found = await db.get("cases", Number(item.data.case));
      if (found) {
        found.visits.push({
          happened_on: item.data.happened_on, place: item.data.place || "", text: item.data.text,
          next_step: item.data.next_step || "", photo: Boolean(body.photo),
        });
        await db.put("cases", found);
      }
    }
  }

  async function settle(db, result) {
    var item = await db.get("outbox", result.key);
    if (!item) return false;
    var body = result.body || {};
    item.status = result.status;
    item.message = Array.isArray(body.detail) ? body.detail.join(" ") : String(body.detail || "");
    item.fields = body.fields || {};
    if (result.status >= 200 && result.status < 300) {
      item.state = "sent";
      item.sent_at = new Date().toISOString();
      item.data = withoutPhotos(item.data);
      item.message = "";
      await applySent(db, item, body);
    } else if (result.status === 409) {
      item.state = "conflict";
      item.current = body.current || null;
    } else {
      item.state = "refused";
    }
    await db.put("outbox", item);
    return item.state === "sent";
  }

  async function waiting(db) {
    return (await db.getAllFromIndex("outbox", "created")).filter(function (item) { return item.state === "waiting"; });
  }

  async function send() {
    var db = await open();
    var config = await settings(db);
    var queue = await waiting(db);
    var sent = 0;
    while (queue.length) {
      var batch = [];
      var bytes = 0;
      while (queue.length && batch.length < BATCH_ITEMS) {
        var next = await wire(queue[0]);
        var size = JSON.stringify(next).length;
        if (batch.length && bytes + size > BATCH_BYTES) break;
        batch.push(next);
        bytes += size;
        queue.shift();
      }
      var response = await fetch(config.outbox, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": config.csrf },
        body: JSON.stringify({ items: batch }),
      });
      if (response.status === 401 || response.status === 403) throw new SessionEnded();
      if (!response.ok) throw new Error("outbox " + response.status);
      var answer = await response.json();
      for (var result of answer.results) { if (await settle(db, result)) sent += 1; }
      changed();
    }
    await dropOldSent(db);
    return sent;
  }

  async function dropOldSent(db) {
    var before = Date.now() - KEEP_SENT_DAYS * 86400000;
    var items = await db.getAll("outbox");
    for (var item of items) {
      if (item.state === "sent" && Date.parse(item.sent_at) < before) await db.delete("outbox", item.key);
    }
  }

  var running = null;
  // Send what waits, then bring the phone's copy up to date; one run at a time.
  function sync() {
    if (!running) {
      running = (async function () {
        try {
          var sent = await send();
          await download();
          return sent;
        } finally {
          running = null;
        }
      })();
    }
    return running;
  }

  // Put an item in the outbox (`key`: correct an item already there). `base`: for a
  // correction, the record as it was when the worker opened it.
  async function queue(kind, data, key, base) {
    var db = await open();
    var item = key ? await db.get("outbox", key) : null;
    if (!item) item = { key: scope.crypto.randomUUID(), kind: kind, created: new Date().toISOString() };
    item.data = data;
    if (base) item.base = base;
    item.state = "waiting";
    item.message = "";
    item.fields = {};
    item.current = null;
    await db.put("outbox", item);
    changed();
    return item;
  }

  scope.PilarStore = {
    open: open, forget: forget, download: download, send: send, sync: sync, queue: queue,
    waiting: waiting, changed: changed, SessionEnded: SessionEnded, channelName: NAME, isClosed: isClosed,
  };
})(self);
