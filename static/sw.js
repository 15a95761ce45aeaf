// reachcheck's service worker: after one visit the app starts with no connection to its host
// (docs/mirrors.md, "Offline start"). It answers only for the app's own files, listed below;
// every other request — every probe, the own canary, a catalog from elsewhere, a report sent to
// a collector — is left to the browser untouched (no respondWith), so no probe is ever served
// from here or cached.
//
// Network first: when the host answers, the page gets the files it serves now (a new version
// applies on the next load, never a stale one pinned), and the copy here is refreshed; when it
// does not answer within WAIT_MS, the copy here — while the host's answer, whenever it comes,
// still refreshes the copy for the next start. A page started from the copy is marked
// (`data-offline` on <html>) so it can say so, and skips what needs its host.

const CACHE = "reachcheck-app-v1";
// Paths relative to the worker's scope; "" is the app's start page.
const APP_FILES = ["", "index.html", "reachcheck.js", "reachcheck_bg.wasm", "style.css", "catalog.json",
  "manifest.webmanifest", "icon-192.png", "icon-512.png"];
const WAIT_MS = 4000;

const scope = () => new URL(self.registration.scope);

// The cache key of an app file (the start page under any query), or null for anything else.
function appFile(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  const base = scope();
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  const path = url.pathname.slice(base.pathname.length);
  if (!APP_FILES.includes(path)) return null;
  return new URL(path === "" ? "index.html" : path, base).href;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(APP_FILES.filter((f) => f !== "").map((f) => new URL(f, scope()).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("reachcheck-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function withinWait(promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), WAIT_MS))]);
}

async function networkFirst(event, key) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const fetched = fetch(request, { cache: "no-cache" });
  // Kept however long the host takes (a throttled link may need far more than WAIT_MS), so the
  // copy is refreshed for the next start: a slow link never pins an old version.
  const refreshed = fetched.then((response) => response.ok && cache.put(key, response.clone())).catch(() => {});
  event.waitUntil(refreshed);
  try {
    const response = await withinWait(fetched);
    if (response.ok) {
      await refreshed;
      return response;
    }
    return (await cache.match(key)) || response;
  } catch (err) {
    const copy = await cache.match(key);
    if (!copy) throw err;
    if (request.mode !== "navigate") return copy;
    // The start page from the copy: marked, so the app can tell the visitor.
    const html = (await copy.text()).replace("<html", '<html data-offline="1"');
    return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

self.addEventListener("fetch", (event) => {
  const key = appFile(event.request);
  if (key) event.respondWith(networkFirst(event, key));
});
