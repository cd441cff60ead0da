/**
 * Reading without a connection, on the page's side (see builder/features/offline/web_app.py for the whole design).
 *
 * - Registers the language site's service worker (sw.js at the language root, given by
 *   `data-sabaq-offline-root` on this script's tag).
 * - On a course page, wires the "Save this course for offline use" tool (`data-sabaq-offline`):
 *   shows the course's size, stores every file of the course with progress, and says when the
 *   course is saved. Without JavaScript or service workers the tool stays hidden.
 *
 * Emits `sabaq:offline-saved` on the tool when a course has been stored.
 */

const PREFIX = "data-sabaq-offline";

/**
 * Fill `{name}` slots of a message.
 * @param {string} template
 * @param {Record<string, string|number>} values
 */
function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (slot, name) => (name in values ? String(values[name]) : slot));
}

/**
 * A size in megabytes, written the page language's way, never "0.0".
 * @param {number} bytes
 */
export function megabytes(bytes) {
  const value = Math.max(Math.round(bytes / 100000) / 10, 0.1);
  return value.toLocaleString(document.documentElement.lang || undefined, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
}

/**
 * Whether every file of a course is in the store.
 * @param {Cache} cache
 * @param {Array<[string, number]>} files
 * @param {string} root
 */
async function isSaved(cache, files, root) {
  for (const [address] of files) {
    if (!(await cache.match(new URL(address, root).href, { ignoreVary: true }))) return false;
  }
  return true;
}

/**
 * Store a course's files, reporting progress (0-100) as bytes arrive.
 * @param {Cache} cache
 * @param {{files: Array<[string, number]>, bytes: number}} course
 * @param {string} root
 * @param {(percent: number) => void} progress
 */
export async function saveCourse(cache, course, root, progress) {
  let done = 0;
  progress(0);
  for (const [address, size] of course.files) {
    const url = new URL(address, root).href;
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await cache.put(url, response);
    done += size;
    progress(Math.min(100, Math.round((100 * done) / Math.max(course.bytes, 1))));
  }
}

/** @param {string} address an offline.json */
async function manifest(address) {
  const response = await fetch(address, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${address}: ${response.status}`);
  return response.json();
}

/**
 * Wire one course's offline tool.
 * @param {HTMLElement} tool
 * @param {string} root the language site's root address
 * @returns {Promise<void>}
 */
export async function startTool(tool, root) {
  const texts = JSON.parse(tool.getAttribute(`${PREFIX}-text`) || "{}");
  const button = tool.querySelector(`[${PREFIX}-save]`);
  const sizeLabel = tool.querySelector(`[${PREFIX}-size]`);
  const status = tool.querySelector(`[${PREFIX}-status]`);
  // The button is laid out from the first paint (nothing moves when this starts), and hidden
  // only where it cannot work.
  // The language's manifest names the store; the course's lists what saving it stores.
  const catalogue = await manifest(new URL("offline.json", root).href);
  const course = await manifest(new URL(`${tool.getAttribute(PREFIX)}/offline.json`, root).href);
  const cache = await caches.open(catalogue.cache);
  sizeLabel.textContent = `(${format(texts.size, { size: megabytes(course.bytes) })})`;
  if (await isSaved(cache, course.files, root)) status.textContent = texts.saved;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await saveCourse(cache, course, root, (percent) => {
        status.textContent = format(texts.saving, { percent });
      });
      status.textContent = texts.saved;
      tool.dispatchEvent(new CustomEvent("sabaq:offline-saved", { bubbles: true }));
    } catch (error) {
      status.textContent = texts.failed;
    } finally {
      button.disabled = false;
    }
  });
}

/** Register the service worker and wire the tools on this page. */
export function start() {
  const script = document.querySelector(`script[${PREFIX}-root]`);
  const web = location.protocol === "http:" || location.protocol === "https:";
  if (!script || !("serviceWorker" in navigator) || !window.caches || !web) {
    for (const area of document.querySelectorAll(`[${PREFIX}-save-area]`)) area.hidden = true;
    return;
  }
  const root = new URL(script.getAttribute(`${PREFIX}-root`), location.href).href;
  navigator.serviceWorker
    .register(new URL("sw.js", root).href, { scope: root })
    // Look for a new build on every page view, so a reader never reads an old copy for long.
    .then((registration) => registration.update())
    .catch(() => {
    // No service worker (private mode, an old browser): the site works online as before.
  });
  for (const tool of document.querySelectorAll(`[${PREFIX}]`)) {
    startTool(tool, root).catch(() => {
      tool.querySelector(`[${PREFIX}-save-area]`).hidden = true;
    });
  }
}

start();
