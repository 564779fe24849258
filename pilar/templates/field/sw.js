/* Pilar's service worker (made by pilar.field.views.service_worker).
   It keeps the field app's shell and static files in a cache, so the app opens
   without a signal; pages with personal data are never cached (an offline visit
   to one shows the field app instead), nor are API answers. A Background Sync
   sends the outbox when the connection returns. */
"use strict";
var VERSION = "pilar-{{ version }}";
var SHELL = "{{ shell }}";
var PRECACHE = {{ precache|safe }};
var STATIC = "{{ static_prefix }}";
importScripts("{{ idb }}", "{{ store }}");

async function keepShell(cache) {
  // Only a real shell: a redirect (to the sign-in page) is not one.
  var response = await fetch(SHELL, { credentials: "same-origin" });
  if (response.ok && !response.redirected) await cache.put(SHELL, response);
}

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(VERSION);
    await cache.addAll(PRECACHE.filter(function (url) { return url !== SHELL; }));
    await keepShell(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var keys = await caches.keys();
    await Promise.all(keys.filter(function (key) { return key !== VERSION; }).map(function (key) { return caches.delete(key); }));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  } else if (url.pathname === SHELL) {
    // The cached shell at once (a weak signal does not hold the app up); a fresh
    // copy is fetched beside it for the next time.
    event.respondWith((async function () {
      var cache = await caches.open(VERSION);
      var hit = await cache.match(SHELL, { ignoreVary: true, ignoreSearch: true });
      var fresh = keepShell(cache).catch(function () {});
      if (hit) { event.waitUntil(fresh); return hit; }
      try { return await fetch(request); } catch (error) { return Response.error(); }
    })());
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(async function () {
      var hit = await caches.match(SHELL, { ignoreVary: true });
      return hit || Response.error();
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "pilar-outbox") return;
  // An open field app sends by itself (its "online" event); the worker sends only
  // when none is open, so that the outbox is never sent twice at once.
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (open) {
    return open.length ? null : self.PilarStore.sync();
  }));
});
