// The preview (`sabaq serve`) answers every request for a site's service worker with this one:
// a worker keeping pages would show the previous version of an edited page. It removes what an
// earlier worker (a published site's, or an earlier preview's on this address) stored, and then
// itself.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) await caches.delete(name);
      await self.registration.unregister();
    })()
  );
});
