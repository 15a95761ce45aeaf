// reachcheck's service worker: after one visit the app starts with no connection to its host
// (docs/mirrors.md, "Offline start"). It answers only for the app's own files, listed below;
// every other request — every probe, the own canary, a catalog from elsewhere, a report sent to
// a collector — is left to the browser untouched (no respondWith), so no probe is ever served
// from here or cached.
//
// Network first: when the host answers, the page gets the files it serves now, and when it does
// not answer within WAIT_MS, the copy here — while the host's answer, whenever it comes, still
// refreshes the copy for the next start. A page started from the copy is marked (`data-offline`
// on <html>) so it can say so, and skips what needs its host.
//
// A release is replaced as a whole: the start page names its module and wasm by their
// integrity hashes, so an old start page with a new wasm (or the reverse) would not start.
// When the host's start page differs from the copy's, every release file is fetched into a
// cache of its own first, then moved into the copy with the start page last; a page that finds
// a new start page in the copy (the app looks, when it was started from the copy) finds its
// files there too, tells the visitor that a new version has arrived, and it applies on reload.

const CACHE = "reachcheck-app-v1";
const NEXT = CACHE + "-next";
// Paths relative to the worker's scope. The release, replaced together, start page last.
const RELEASE_FILES = ["reachcheck.js", "reachcheck_bg.wasm", "style.css", "index.html"];
// Files refreshed one by one whenever the host answers.
const DATA_FILES = ["catalog.json", "manifest.webmanifest", "icon-192.png", "icon-512.png"];
const APP_FILES = ["", ...RELEASE_FILES, ...DATA_FILES];
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

const href = (file) => new URL(file, scope()).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...RELEASE_FILES, ...DATA_FILES].map(href)))
      .then(() => self.skipWaiting()),
  );
});

// Another release is on the host: all of it into NEXT (addAll stores nothing unless every file
// arrived), then into the copy, the start page last.
async function replaceRelease() {
  const next = await caches.open(NEXT);
  await next.addAll(RELEASE_FILES.map((file) => new Request(href(file), { cache: "no-cache" })));
  const cache = await caches.open(CACHE);
  for (const file of RELEASE_FILES) await cache.put(href(file), await next.match(href(file)));
  await caches.delete(NEXT);
}

// What the host's answer changes in the copy: a data file is stored; a start page that differs
// from the copy's brings the whole new release in.
async function refresh(cache, key, response) {
  if (!response.ok) return;
  if (key !== href("index.html")) {
    if (DATA_FILES.some((file) => href(file) === key)) await cache.put(key, response);
    return;
  }
  const copy = await cache.match(key);
  if (!copy || (await copy.text()) !== (await response.text())) await replaceRelease();
}

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
  const refreshed = fetched.then((response) => refresh(cache, key, response.clone())).catch(() => {});
  event.waitUntil(refreshed);
  try {
    const response = await withinWait(fetched);
    // Not waiting for the refresh: a new release is fetched while the page starts.
    if (response.ok) return response;
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
