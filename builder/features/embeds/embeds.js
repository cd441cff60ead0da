/**
 * Click-to-load videos (see builder/features/embeds/embeds.py for the placeholder and its attributes).
 *
 * Nothing from the video's provider is loaded until the reader presses the placeholder's button;
 * then the provider's player replaces the button. Without JavaScript the button is a plain link
 * to the video on the provider's site.
 *
 * Emits a cancelable `sabaq:embed-load` event on the placeholder before loading.
 *
 * A classic script, not a module: browsers refuse module scripts on file:// pages, and the
 * downloadable package is read from files.
 */

(() => {
const PREFIX = "data-sabaq-embed";

/**
 * Replace a placeholder's button with the provider's player.
 * @param {HTMLElement} placeholder an element with `data-sabaq-embed`
 * @returns {HTMLIFrameElement | null} the player, or null if the event was cancelled
 */
function loadEmbed(placeholder) {
  const event = new CustomEvent("sabaq:embed-load", { bubbles: true, cancelable: true });
  if (!placeholder.dispatchEvent(event)) return null;
  const frame = document.createElement("iframe");
  frame.src = placeholder.getAttribute(`${PREFIX}-player`);
  frame.title = placeholder.getAttribute(`${PREFIX}-title`) || "";
  frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
  frame.allowFullscreen = true;
  // The provider learns the site's address, not which course page the reader is on. (YouTube
  // refuses to play without any referrer.)
  frame.referrerPolicy = "strict-origin";
  frame.className = "sabaq-embed__player";
  const button = placeholder.querySelector(`[${PREFIX}-load]`);
  const holder = button ? button.closest("p") || button : null;
  if (holder) holder.replaceWith(frame);
  else placeholder.append(frame);
  placeholder.setAttribute(`${PREFIX}-loaded`, "");
  frame.focus();
  return frame;
}

/**
 * Listen for presses on placeholder buttons anywhere in the document.
 * @returns {() => void} removes the listener
 */
function start() {
  const onClick = (event) => {
    const button = event.target instanceof Element && event.target.closest(`[${PREFIX}-load]`);
    const placeholder = button && button.closest(`[${PREFIX}]`);
    if (!placeholder || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    loadEmbed(placeholder);
  };
  document.addEventListener("click", onClick);
  return () => document.removeEventListener("click", onClick);
}

start();
})();
