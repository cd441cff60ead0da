// Sabaq's service worker for one language site (its scope is the language folder). Written by
// builder/features/offline/web_app.py, which fills in the values marked __SABAQ_...__.
//
// - install: copy into the new store every address the previous version had stored (a saved
//   course stays saved): unchanged files from the old store, changed ones fetched fresh (the
//   offline.json manifests list every file's digest), except the search index, refreshed when
//   search next reads it (it changes with any text; an update should cost the pages that
//   changed); then store the shell (the styles and scripts every page loads);
// - activate: delete the previous versions' stores, and take over open pages;
// - fetch: answer from the store first and refresh it from the network in the background
//   (Material's assets, whose names carry a hash, never change and are not refreshed); what is not
//   stored yet comes from the network and is stored. A stored answer is used only if the server
//   sent it for that very address and, for a page, it carries the site's security policy
//   (`trusted`); any other is deleted and fetched again.

const CACHE = "__SABAQ_CACHE__";
const PREFIX = "__SABAQ_PREFIX__";
const SHELL = [/* __SABAQ_SHELL__ */];
const HASHED = /__SABAQ_HASHED__/;
const POLICIES = [/* __SABAQ_POLICIES__ */];
// The language's search index, and the folder of each course's (builder/engine/search_index.py).
const INDEX = "__SABAQ_INDEX__";
const COURSE_INDEXES = "__SABAQ_COURSE_INDEXES__/";
const ROOT = new URL("./", self.location.href).href;

/** A request that revalidates with the server instead of trusting the browser's HTTP cache. */
function fresh(url) {
  return new Request(new URL(url, ROOT).href, { cache: "no-cache" });
}

async function storeAll(cache, urls) {
  await cache.addAll(urls.map(fresh));
}

/** The first 12 hex digits of the SHA-256 of a stored answer's body, as offline.json lists them. */
async function digest(response) {
  const bytes = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return Array.from(new Uint8Array(bytes).slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Search indexes change with any text: an update keeps the stored one, refreshed when read. */
function isSearchIndex(address) {
  return address === INDEX || (address.startsWith(COURSE_INDEXES) && address.endsWith(".json"));
}

/** The manifest at `address` (an offline.json), or null when it cannot be read (offline). */
async function manifest(address) {
  try {
    const response = await fetch(fresh(address));
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

/**
 * The new build's digest of an address, as a function: a digest; undefined when the new build
 * has no such file; null when it cannot tell (a manifest could not be read). The language's
 * offline.json lists the files outside the courses and names the courses; each course's folder
 * has its own (its folder's files and its search index), read only for the courses some of
 * `addresses` belong to.
 * @param {string[]} addresses
 */
async function newDigests(addresses) {
  const root = await manifest("offline.json");
  if (!root) return () => null;
  const courses = new Set(root.courses || []);
  // A course's own files: its folder, and its search index (web_app.py, `_course_of`).
  const courseOf = (address) =>
    isSearchIndex(address) && address !== INDEX
      ? address.slice(COURSE_INDEXES.length, -".json".length)
      : address.includes("/")
        ? address.split("/")[0]
        : "";
  const digests = { ...(root.files || {}) };
  const unread = new Set();
  for (const course of new Set(addresses.map(courseOf).filter((c) => courses.has(c)))) {
    const own = await manifest(`${course}/offline.json`);
    if (own) Object.assign(digests, own.digests || {});
    else unread.add(course);
  }
  return (address) => (unread.has(courseOf(address)) ? null : digests[address]);
}

/**
 * Copy into the new store every address a previous version had stored (a saved course stays
 * saved): as it is when the new build's file has the same digest, fetched fresh when it changed,
 * dropped when the new build has no such file. An update then downloads what changed and the
 * manifests of the courses it has pages of, not every saved page again. If the connection drops
 * while it updates, the old answer is kept (it is refreshed when next read online): a reader
 * never loses a saved page.
 */
async function carryOver(cache) {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  if (names.length === 0) return;
  const addressOf = (url) => (url.startsWith(ROOT) ? url.slice(ROOT.length) || "./" : null);
  const stores = [];
  for (const name of names) {
    const old = await caches.open(name);
    for (const request of await old.keys()) stores.push([old, request]);
  }
  const addresses = stores.map(([, request]) => addressOf(request.url)).filter(Boolean);
  const digestOf = await newDigests(addresses);
  for (const [old, request] of stores) {
    if (await cache.match(request)) continue;
    const address = addressOf(request.url);
    const stored = await old.match(request);
    if (address !== null) {
      const expected = digestOf(address);
      if (expected === undefined) continue;
      if (stored && isSearchIndex(address)) {
        await cache.put(request, stored);
        continue;
      }
      if (stored && expected !== null && (await digest(stored)) === expected) {
        await cache.put(request, stored);
        continue;
      }
    }
    let response = null;
    try {
      response = await fetch(fresh(request.url));
    } catch (error) {
      // Offline while updating: the old answer stays, below.
    }
    if (response && response.ok) await cache.put(request.url, response);
    else if (stored) await cache.put(request, stored);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await carryOver(cache);
      const missing = [];
      for (const url of SHELL) if (!(await cache.match(fresh(url)))) missing.push(url);
      await storeAll(cache, missing);
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

async function refresh(cache, request) {
  try {
    const response = await fetch(request, { cache: "no-cache" });
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    return null;
  }
}

/** An address without its #fragment, which never reaches the server. */
function withoutFragment(url) {
  const parsed = new URL(url);
  parsed.hash = "";
  return parsed.href;
}

/**
 * Whether a stored answer may be served. Any script running in the site's origin (a picture
 * opened on its own, if one ever carried a script) can write anything into the store, so an
 * answer must be one the server sent for that very address (a made-up Response has no address,
 * one fetched from elsewhere another), and a page must carry the exact Content-Security-Policy
 * the build wrote into every page, in its head.
 * @param {Response} stored
 * @param {string} url
 */
async function trusted(stored, url) {
  if (stored.type !== "basic" || withoutFragment(stored.url) !== withoutFragment(url)) return false;
  const type = stored.headers.get("Content-Type") || "";
  const path = new URL(url).pathname;
  if (!type.includes("html") && !path.endsWith("/") && !path.endsWith(".html")) return true;
  const text = await stored.clone().text();
  const head = text.slice(0, text.indexOf("</head>"));
  return POLICIES.some((policy) => head.includes(policy));
}

/** The stored answer to `request` if it may be served; an untrusted one is deleted. */
async function storedAnswer(cache, request) {
  const stored = await cache.match(request, { ignoreVary: true });
  if (!stored) return null;
  if (await trusted(stored, request.url || request)) return stored;
  await cache.delete(request, { ignoreVary: true });
  return null;
}

/**
 * Offline, with the language's index never stored (a reader who saved a course stores that
 * course's): the stored courses' indexes as one, so that search on the home page finds what is
 * saved. Null when none is stored.
 */
async function savedCoursesIndex(cache) {
  let index = null;
  const seen = new Set();
  for (const request of await cache.keys()) {
    if (!request.url.startsWith(ROOT + COURSE_INDEXES)) continue;
    const stored = await storedAnswer(cache, request);
    if (!stored) continue;
    let part;
    try {
      part = await stored.json();
    } catch (error) {
      continue;
    }
    if (!part || !Array.isArray(part.docs)) continue;
    index = index || { ...part, docs: [] };
    for (const doc of part.docs) {
      if (doc && !seen.has(doc.location)) {
        seen.add(doc.location);
        index.docs.push(doc);
      }
    }
  }
  if (!index) return null;
  return new Response(JSON.stringify(index), { headers: { "Content-Type": "application/json" } });
}

async function answer(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const stored = await storedAnswer(cache, request);
  if (stored) {
    if (!HASHED.test(new URL(request.url).pathname)) event.waitUntil(refresh(cache, request));
    return stored;
  }
  const response = await refresh(cache, request);
  if (response) return response;
  if (request.url === new URL(INDEX, ROOT).href) {
    const saved = await savedCoursesIndex(cache);
    if (saved) return saved;
  }
  if (request.mode === "navigate") {
    const home = await storedAnswer(cache, ROOT);
    if (home) return home;
  }
  return Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  const url = new URL(request.url);
  if (url.pathname.endsWith("/sw.js") || url.pathname.endsWith("/offline.json")) return;
  event.respondWith(answer(event));
});

self.addEventListener("message", (event) => {
  // The page's "save" button asks for the store's name (assets/offline.js).
  if (event.data && event.data.type === "sabaq:cache-name" && event.ports[0]) {
    event.ports[0].postMessage(CACHE);
  }
});
