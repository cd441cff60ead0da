/**
 * Boxes that scroll sideways on a phone (wide tables, long lines of code) must be reachable by
 * keyboard (WCAG 2.1.1, axe's scrollable-region-focusable).
 *
 * Each table is written inside mkdocs-material's scrolling `.md-typeset__scrollwrap`
 * (builder/render/markdown_ext.py), and code blocks scroll inside `pre > code`; neither can take
 * focus, so a keyboard user cannot scroll them. This makes each one focusable, and each table a region named by the heading above
 * it. A classic script, not a module, so it also runs from file:// pages.
 */
(() => {
  /** @param {Element} wrapper */
  function makeTableFocusable(wrapper) {
    wrapper.tabIndex = 0;
    wrapper.setAttribute("role", "region");
    let heading = wrapper.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    if (heading && heading.id) wrapper.setAttribute("aria-labelledby", heading.id);
    else wrapper.setAttribute("aria-label", wrapper.querySelector("th")?.textContent || "table");
  }

  function scan() {
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(makeTableFocusable);
    document.querySelectorAll(".md-typeset pre > code:not([tabindex])").forEach((code) => {
      code.tabIndex = 0;
    });
  }

  scan();
  // Material's script, when it loads, adds pages by instant navigation; it also takes a code
  // block's tabindex away when it measures the block as not scrolling, which it may
  // do before the page has its final width.
  new MutationObserver(scan).observe(document.body, {
    childList: true,
    subtree: true,
    attributeFilter: ["tabindex"],
  });
})();
