// The preview (`sabaq serve`) adds this script to every page it serves, never to a built site:
// it asks the preview once a second which build it is serving, and reloads the page when a new
// one is there, so a trainer sees an edit without pressing reload.
(() => {
  if (window.__sabaqPreview) return; // instant navigation keeps the first page's script running
  window.__sabaqPreview = true;
  let serving = null;
  const check = async () => {
    try {
      const response = await fetch("/__sabaq/build", { cache: "no-store" });
      const { build } = await response.json();
      if (serving !== null && build !== serving) {
        location.reload();
        return;
      }
      serving = build;
    } catch {
      // The preview is stopped, or busy: ask again.
    }
    setTimeout(check, 1000);
  };
  check();
})();
