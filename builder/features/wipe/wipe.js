/**
 * "Erase everything Sabaq stored on this device", from every page's footer: quiz answers and
 * progress and saved requests (every localStorage and sessionStorage key starting `sabaq:`), the
 * offline copies (caches named `sabaq-…`) and the offline app (service workers under this site).
 * Confirmed in the page, never with a browser dialog; says what it removed.
 */
(() => {
  "use strict";

  /** Removes every `sabaq:` key of a storage area; the number removed. */
  function clearKeys(area) {
    let removed = 0;
    try {
      for (const key of Object.keys(area)) {
        if (key.startsWith("sabaq:")) {
          area.removeItem(key);
          removed += 1;
        }
      }
    } catch {
      /* storage switched off: nothing was stored */
    }
    return removed;
  }

  /** Everything Sabaq stored here; resolves when it is gone. */
  async function eraseEverything(siteRoot) {
    clearKeys(localStorage);
    clearKeys(sessionStorage);
    // From file:// a browser refuses both: there is nothing of Sabaq's to erase there.
    try {
      for (const name of await caches.keys()) {
        if (name.startsWith("sabaq-")) await caches.delete(name);
      }
    } catch {
      /* no caches here */
    }
    try {
      for (const registration of await navigator.serviceWorker.getRegistrations()) {
        if (registration.scope.startsWith(siteRoot)) await registration.unregister();
      }
    } catch {
      /* no service workers here */
    }
  }

  function start(box) {
    const open = box.querySelector("[data-sabaq-wipe-open]");
    const confirm = box.querySelector("[data-sabaq-wipe-confirm]");
    const status = box.querySelector("[data-sabaq-wipe-status]");
    // The site's root: one level above the language folder this page's links start from.
    const siteRoot = new URL(box.dataset.sabaqWipeRoot || "../", document.baseURI).href;
    box.hidden = false;
    open.addEventListener("click", () => {
      confirm.hidden = false;
      status.textContent = "";
      confirm.querySelector("[data-sabaq-wipe-no]").focus();
    });
    confirm.querySelector("[data-sabaq-wipe-no]").addEventListener("click", () => {
      confirm.hidden = true;
      open.focus();
    });
    confirm.querySelector("[data-sabaq-wipe-yes]").addEventListener("click", async () => {
      confirm.hidden = true;
      await eraseEverything(siteRoot);
      status.textContent = box.dataset.sabaqWipeDone;
      document.dispatchEvent(new CustomEvent("sabaq:wiped"));
    });
  }

  const begin = () => document.querySelectorAll("[data-sabaq-wipe]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
