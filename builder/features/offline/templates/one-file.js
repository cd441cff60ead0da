/**
 * The one-file course's shell (builder/features/offline/single_file.py): shows one section at a
 * time, the one the address's #fragment is in; tells progress.js which module is on screen; and
 * searches the text of every section. Without it, every section shows, one after another.
 */
(() => {
  "use strict";

  // Set before the body is read (this script is in the head): what only a script runs is laid
  // out from the first paint, and only the first section shows until `show` has run.
  document.documentElement.classList.add("sabaq-js");
  let pages = [];
  const APOSTROPHES = /[\u02bb'\u2019`\u2018\u02bc]/g;
  let current = null;
  let watcher = null;

  /** Tells progress.js about the section now on screen: a module is opened, the overview redrawn. */
  function follow(page) {
    const progress = window.sabaq && window.sabaq.progress;
    if (!progress) return;
    if (watcher) watcher.disconnect();
    const marker = page.querySelector("[data-sabaq-module]");
    watcher = marker ? progress.followModule(marker, page.querySelector("[data-sabaq-module-end]")) : null;
    if (!marker) progress.refresh();
  }

  /** Shows the section holding the fragment's target (the first section if there is none). */
  function show(event) {
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      /* a fragment that is not valid UTF-8 is used as it is */
    }
    const target = id ? document.getElementById(id) : null;
    // A target outside every section (the skip link's <main>) keeps the section on screen.
    const page = (target && (target.closest("[data-sabaq-page]") || current)) || pages[0];
    for (const each of pages) each.hidden = each !== page;
    for (const link of document.querySelectorAll(".sabaq-one__contents a")) {
      if (link.getAttribute("href") === `#${page.id}`) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    const changed = page !== current;
    current = page;
    if (changed) follow(page);
    if (!event) {
      if (target) target.scrollIntoView();
      return;
    }
    // The browser looked for the target while its section was hidden: go there now.
    (target || page).scrollIntoView();
    if (changed && (!target || target === page)) {
      const heading = page.querySelector("h1");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
  }

  // --- Search ---------------------------------------------------------------------------------

  const fold = (text) => text.normalize("NFKC").toLocaleLowerCase().replace(APOSTROPHES, "'");

  /** Each heading with an id and the text under it, up to the next heading. */
  function buildIndex() {
    const entries = [];
    const skip = /^(SCRIPT|BUTTON|SELECT|TEMPLATE)$/;
    const rejected = (node) => skip.test(node.nodeName) || node.classList.contains("sabaq-one__pager");
    for (const page of pages) {
      const title = (page.querySelector("h1") || page).textContent.trim();
      let entry = null;
      const walker = document.createTreeWalker(page, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
        acceptNode: (node) =>
          node.nodeType === 1 && rejected(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeType === 1) {
          if (/^H[1-3]$/.test(node.nodeName) && node.id) {
            entry = { id: node.id, title, heading: node.textContent.trim(), text: "" };
            entries.push(entry);
          }
        } else if (entry && !node.parentElement.closest("h1, h2, h3")) {
          entry.text += node.nodeValue;
        }
      }
    }
    for (const entry of entries) {
      entry.text = entry.text.replace(/\s+/g, " ").trim();
      entry.folded = fold(`${entry.heading} ${entry.text}`);
    }
    return entries;
  }

  function startSearch(box) {
    const text = JSON.parse(document.querySelector("[data-sabaq-one-text]").textContent);
    const query = box.querySelector("[data-sabaq-one-query]");
    const status = box.querySelector("[data-sabaq-one-status]");
    const results = box.querySelector("[data-sabaq-one-results]");
    let index = null;

    function find() {
      const words = fold(query.value).split(/\s+/).filter(Boolean);
      results.replaceChildren();
      if (query.value.trim().length < 2) {
        status.textContent = "";
        results.hidden = true;
        return;
      }
      index = index || buildIndex();
      const found = index.filter((entry) => words.every((word) => entry.folded.includes(word)));
      for (const entry of found.slice(0, 50)) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${entry.id}`;
        link.textContent = entry.heading === entry.title ? entry.title : `${entry.title} › ${entry.heading}`;
        const start = Math.max(0, fold(entry.text).indexOf(words[0]) - 40);
        const excerpt = document.createElement("p");
        excerpt.textContent = `${start ? "…" : ""}${entry.text.slice(start, start + 160)}…`;
        item.append(link, excerpt);
        results.append(item);
      }
      results.hidden = !found.length;
      const forms = text.results;
      const form = forms[new Intl.PluralRules(document.documentElement.lang).select(found.length)];
      status.textContent = found.length
        ? (form || forms.other).replace("{count}", String(found.length))
        : text.none;
    }

    query.addEventListener("input", find);
    // A result chosen: the list makes way for the section it leads to.
    results.addEventListener("click", (event) => {
      if (event.target.closest("a")) results.hidden = true;
    });
    query.addEventListener("focus", () => {
      if (results.childElementCount) results.hidden = false;
    });
  }

  function start() {
    pages = Array.from(document.querySelectorAll("[data-sabaq-page]"));
    if (!pages.length) return;
    const box = document.querySelector("[data-sabaq-one-search]");
    if (box) startSearch(box);
    const contents = document.querySelector(".sabaq-one__contents details");
    if (contents) {
      contents.addEventListener("click", (event) => {
        if (event.target.closest("a")) contents.open = false;
      });
    }
    window.addEventListener("hashchange", show);
    show(null);
    document.documentElement.classList.add("sabaq-one-ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
