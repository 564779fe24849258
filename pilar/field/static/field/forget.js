/* After sign-out: drop everything the field app kept on this device (its data and
   outbox, caches and service worker), for browsers that ignore Clear-Site-Data. */
(function () {
  "use strict";
  if (window.indexedDB) indexedDB.deleteDatabase("pilar-lapangan");
  if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (key) { caches.delete(key); }); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.getRegistrations().then(function (all) { all.forEach(function (r) { r.unregister(); }); });
  }
})();
