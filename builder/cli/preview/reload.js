// The preview (`sabaq serve`) adds this script to every page it serves, never to a built site:
// it asks the preview once a second which build it is serving, and reloads the page when a new
// one is there, so a trainer sees an edit without pressing reload. While the course files have
// mistakes, it shows them over the page (path:line:column, message, hint), and takes them away
// once the files are fixed.
(() => {
  if (window.__sabaqPreview) return; // instant navigation keeps the first page's script running
  window.__sabaqPreview = true;
  const language = document.documentElement.lang || "en";
  let serving = null;
  let shown = "";

  /** The box listing the mistakes; built with the DOM (no markup from the server is parsed). */
  function showErrors(errors, text) {
    const key = JSON.stringify(errors);
    if (key === shown) return;
    shown = key;
    let box = document.getElementById("sabaq-preview-errors");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.id = "sabaq-preview-errors";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", "sabaq-preview-errors-title");
      Object.assign(box.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "10000",
        maxHeight: "60vh", overflow: "auto", padding: "1rem", margin: "0",
        background: "#fff4f4", color: "#3b0000", borderTop: "4px solid #b00020",
        font: "0.9rem/1.4 system-ui, sans-serif", boxShadow: "0 -2px 8px rgba(0,0,0,.3)",
      });
      document.body.append(box);
      document.addEventListener("keydown", (event) => {
        const open = document.getElementById("sabaq-preview-errors");
        if (event.key === "Escape" && open) open.hidden = true;
      });
    }
    box.hidden = false;
    box.replaceChildren();
    const title = document.createElement("h2");
    title.id = "sabaq-preview-errors-title";
    title.textContent = text.errors_heading;
    title.style.margin = "0 0 .5rem";
    title.style.fontSize = "1.1rem";
    const note = document.createElement("p");
    note.textContent = text.errors_note;
    const list = document.createElement("ul");
    for (const error of errors) {
      const item = document.createElement("li");
      const where = document.createElement("code");
      where.textContent = `${error.path}:${error.line}:${error.column}`;
      item.append(where, `: ${error.message}`);
      if (error.hint) {
        const hint = document.createElement("div");
        hint.textContent = `${text.errors_hint}: ${error.hint}`;
        item.append(hint);
      }
      list.append(item);
    }
    const hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = text.errors_hide;
    hide.addEventListener("click", () => { box.hidden = true; });
    box.append(title, note, list, hide);
  }

  const check = async () => {
    try {
      const response = await fetch(`/__sabaq/build?lang=${encodeURIComponent(language)}`, {
        cache: "no-store",
      });
      const { build, errors, text } = await response.json();
      if (serving !== null && build !== serving) {
        location.reload();
        return;
      }
      serving = build;
      showErrors(errors || [], text || {});
    } catch {
      // The preview is stopped, or busy: ask again.
    }
    setTimeout(check, 1000);
  };
  check();
})();
