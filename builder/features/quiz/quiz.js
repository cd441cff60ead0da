/**
 * Sabaq quiz engine for the markup of builder/features/quiz/quiz.py (which holds the twin of every hash and
 * of the answer normalisation). The page already shows the questions; this reveals the
 * [data-sabaq-quiz-controls], checks answers against the hashes in [data-sabaq-quiz-data] and
 * keeps results in localStorage under "sabaq:v1:<course-id>/<module-id>".
 *
 * Load it with <script defer>: Chromium refuses module scripts from file://, where downloaded
 * courses are read. It runs as a module too (no import/export; one global, window.sabaq).
 */
(() => {
  "use strict";

  const PAYLOAD_VERSION = 1;
  const STORAGE_PREFIX = "sabaq:v1:";
  const ICONS = { right: "✓", wrong: "✗", partial: "◐" };
  const APOSTROPHES = /[\u02bb'\u2019`\u2018\u02bc]/g;
  const WHITESPACE = /[\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

  // --- Hashing --------------------------------------------------------------------------------

  /**
   * SHA-256 in plain JavaScript, for where crypto.subtle is missing (it needs a secure context,
   * so not on http://192.168.x.x). Constants come from roots of primes, as the standard says.
   * @param {Uint8Array} bytes
   * @returns {string} hex digest
   */
  function sha256Fallback(bytes) {
    const rotate = (x, n) => (x >>> n) | (x << (32 - n));
    const roots = [];
    const constants = [];
    for (let n = 2; constants.length < 64; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
      if (!prime) continue;
      if (roots.length < 8) roots.push((Math.sqrt(n) % 1) * 2 ** 32 | 0);
      constants.push((Math.cbrt(n) % 1) * 2 ** 32 | 0);
    }
    const length = bytes.length;
    const words = new Uint32Array((((length + 8) >> 6) + 1) * 16);
    for (let i = 0; i < length; i++) words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    words[words.length - 1] = length * 8;
    const w = new Uint32Array(64);
    let state = roots;
    for (let block = 0; block < words.length; block += 16) {
      let [a, b, c, d, e, f, g, h] = state;
      for (let i = 0; i < 64; i++) {
        if (i < 16) {
          w[i] = words[block + i];
        } else {
          const x = w[i - 15];
          const y = w[i - 2];
          w[i] = (rotate(x, 7) ^ rotate(x, 18) ^ (x >>> 3)) + w[i - 7] +
            (rotate(y, 17) ^ rotate(y, 19) ^ (y >>> 10)) + w[i - 16];
        }
        const t1 = h + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) +
          constants[i] + w[i];
        const t2 = (rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      const result = [a, b, c, d, e, f, g, h];
      state = state.map((value, i) => (value + result[i]) | 0);
    }
    return state.map((value) => (value >>> 0).toString(16).padStart(8, "0")).join("");
  }

  /**
   * SHA-256 of a text's UTF-8 bytes, in hex.
   * @param {string} text
   * @returns {Promise<string>}
   */
  async function sha256(text) {
    const bytes = new TextEncoder().encode(text);
    const subtle = globalThis.crypto && globalThis.crypto.subtle;
    if (!subtle) return sha256Fallback(bytes);
    const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  /** quiz.py's answer_hash(): SHA-256 of "salt:part:part", 32 hex digits. */
  const answerHash = async (salt, ...parts) => (await sha256([salt, ...parts].join(":"))).slice(0, 32);

  /**
   * A typed answer as compared (quiz.py's normalise_answer): NFKC, Uzbek apostrophes as ',
   * whitespace trimmed and collapsed, lower case.
   * @param {string} text
   * @returns {string}
   */
  function normaliseAnswer(text) {
    return text.normalize("NFKC").replace(APOSTROPHES, "'").replace(WHITESPACE, " ").trim()
      .toLowerCase();
  }

  /**
   * A typed number: "57,1" = "57.1"; spaces and a trailing % are ignored.
   * @param {string} text
   * @returns {number} NaN if it is none
   */
  function parseNumber(text) {
    let s = text.normalize("NFKC").replace(WHITESPACE, "").replace(/\u2212/g, "-").replace(/%$/, "");
    s = s.includes(".") ? s.replace(/,/g, "") : s.replace(",", ".");
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN;
  }

  /** Undoes quiz.py's mask_number(): [value, tolerance]. */
  const unmask = (hex, salt) => JSON.parse(hex.match(/../g).map((pair, i) =>
    String.fromCharCode(parseInt(pair, 16) ^ salt.charCodeAt(i % salt.length))).join(""));

  // --- DOM helpers ----------------------------------------------------------------------------

  const all = (root, selector) => Array.from(root.querySelectorAll(selector));
  const show = (element, visible = true) => { if (element) element.hidden = !visible; };

  /** @returns {"right"|"wrong"|"partial"} */
  const verdictOf = (score) => (score >= 1 ? "right" : score <= 0 ? "wrong" : "partial");

  /** An icon and a word: a verdict never rests on colour alone. */
  function verdictElement(verdict, label, className) {
    const element = document.createElement("div");
    element.className = className;
    element.dataset.sabaqVerdict = verdict;
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ICONS[verdict] + " ";
    const word = document.createElement("strong");
    word.textContent = label;
    element.append(icon, word);
    return element;
  }

  // --- The quiz -------------------------------------------------------------------------------

  /** One quiz on a page: a `[data-sabaq-quiz]` section. */
  class Quiz {
    /** @param {HTMLElement} root */
    constructor(root) {
      const data = JSON.parse(root.querySelector("[data-sabaq-quiz-data]").textContent);
      if (data.version !== PAYLOAD_VERSION) throw new Error("Sabaq quiz: unknown data version");
      this.root = root;
      this.text = data.text;
      this.storageKey = STORAGE_PREFIX + root.dataset.sabaqQuiz;
      const elements = all(root, "[data-sabaq-question]");
      this.questions = data.questions.map((question, i) => ({ ...question, element: elements[i] }));
      this.byElement = new Map(this.questions.map((question) => [question.element, question]));
      this.status = root.querySelector("[data-sabaq-quiz-status]");
      this.results = {};
      for (const question of this.questions) {
        if (question.type === "ordering") question.initialOrder = this.readAnswer(question);
        this.refreshMoves(question);
      }
      root.addEventListener("click", this);
      root.addEventListener("keydown", this);
      all(root, "[data-sabaq-quiz-controls]").forEach((element) => show(element));
      show(root.querySelector("[data-sabaq-quiz-needs-js]"), false);
      this.restore();
    }

    /** Removes the listeners. */
    destroy() {
      this.root.removeEventListener("click", this);
      this.root.removeEventListener("keydown", this);
    }

    /** @param {Event} event */
    handleEvent(event) {
      const target = /** @type {HTMLElement} */ (event.target);
      const question = this.byElement.get(target.closest("[data-sabaq-question]"));
      if (event.type === "keydown") {
        if (event.key === "Enter" && question && target.matches("input[type=text]")) {
          event.preventDefault();
          this.check(question);
        }
        return;
      }
      const button = target.closest("button");
      if (!button) return;
      const action = button.dataset.sabaqQuizAction;
      if (button.dataset.sabaqQuizMove) this.move(question, button);
      else if (action === "check") this.check(question);
      else if (action === "retry") this.retry(question, true);
      else if (action === "reveal") this.reveal(question, true);
      else if (action === "reset") this.reset();
    }

    /** The reader's answer, or null if there is none. */
    readAnswer(question) {
      const element = question.element;
      switch (question.type) {
        case "fill_blank":
        case "numeric": {
          const value = element.querySelector("input").value;
          return value.trim() ? value : null;
        }
        case "ordering":
          return all(element, "[data-sabaq-item]").map((item) => item.dataset.sabaqItem);
        case "matching": {
          const values = all(element, "select").map((select) => select.value);
          return values.some(Boolean) ? values : null;
        }
        default: {
          const values = all(element, "input:checked").map((input) => input.value);
          return values.length ? values : null;
        }
      }
    }

    /** Puts an answer (null: none) into the inputs. */
    writeAnswer(question, answer) {
      const element = question.element;
      switch (question.type) {
        case "fill_blank":
        case "numeric":
          element.querySelector("input").value = answer || "";
          break;
        case "ordering": {
          const list = element.querySelector(".sabaq-quiz__order");
          for (const id of answer || question.initialOrder) {
            const item = all(list, "[data-sabaq-item]").find((li) => li.dataset.sabaqItem === id);
            if (item) list.append(item);
          }
          this.refreshMoves(question);
          break;
        }
        case "matching":
          all(element, "select").forEach((select, i) => {
            select.value = (answer && answer[i]) || "";
            if (select.selectedIndex < 0) select.value = "";
          });
          break;
        default:
          all(element, "input").forEach((input) => {
            input.checked = Boolean(answer && answer.includes(input.value));
          });
      }
    }

    /**
     * Scores an answer against the hashes.
     * @returns {Promise<{score: number, marks?: Array<[string, boolean]>}>} marks: whether
     *   each chosen option (or matching row) is right
     */
    async evaluate(question, answer) {
      const hash = (...parts) => answerHash(question.salt, ...parts);
      switch (question.type) {
        case "fill_blank":
          return { score: question.hashes.includes(await hash(normaliseAnswer(answer))) ? 1 : 0 };
        case "numeric": {
          const [value, tolerance] = unmask(question.mask, question.salt);
          const distance = Math.abs(parseNumber(answer) - value);
          // Slack for decimals that floating point cannot hold exactly.
          return { score: distance <= tolerance + 1e-9 * Math.max(1, Math.abs(value)) ? 1 : 0 };
        }
        case "ordering":
          return { score: (await hash(answer.join(","))) === question.sequence ? 1 : 0 };
        case "matching": {
          const marks = await Promise.all(answer.map(async (id, i) =>
            [String(i), (await hash(i, id)) === question.pairs[i]]));
          return { score: marks.filter((mark) => mark[1]).length / marks.length, marks };
        }
        default: {
          // Choices: max(0, (right picks - wrong picks) / right options); 1 or 0 for single.
          const right = {};
          let rightOptions = 0;
          for (const id of Object.keys(question.options)) {
            right[id] = (await hash(id, 1)) === question.options[id];
            if (right[id]) rightOptions++;
          }
          const picks = answer.filter((id) => id in right);
          const net = picks.reduce((sum, id) => sum + (right[id] ? 1 : -1), 0);
          return { score: Math.max(0, net / (rightOptions || 1)), marks: picks.map((id) => [id, right[id]]) };
        }
      }
    }

    /** Checks, shows and saves the reader's answer. */
    async check(question) {
      const answer = this.readAnswer(question);
      const feedback = question.element.querySelector("[data-sabaq-quiz-feedback]");
      if (answer === null) {
        feedback.textContent = this.text.empty;
        show(feedback);
        feedback.focus();
        return;
      }
      const result = await this.evaluate(question, answer);
      this.results[question.id] = { answer, score: result.score };
      this.save();
      this.showResult(question, result, true);
      this.updateScore();
      question.element.dispatchEvent(new CustomEvent("sabaq:quiz-checked", {
        bubbles: true,
        detail: { question: question.id, score: result.score },
      }));
    }

    /** Shows the verdict, per-option feedback and the explanation. */
    showResult(question, result, moveFocus) {
      const element = question.element;
      this.setLocked(question, true);
      all(element, ".sabaq-quiz__note").forEach((note) => note.remove());
      const verdict = verdictOf(result.score);
      const feedback = element.querySelector("[data-sabaq-quiz-feedback]");
      feedback.replaceChildren(verdictElement(verdict, this.text[verdict], "sabaq-quiz__verdict"));
      show(feedback);
      for (const [id, right] of result.marks || []) {
        const row = element.querySelector(
          question.type === "matching" ? `[data-sabaq-pair="${id}"]` : `[data-sabaq-option="${id}"]`);
        if (!row) continue;
        const mark = verdictElement(right ? "right" : "wrong", this.text[right ? "right" : "wrong"],
          "sabaq-quiz__note");
        const note = question.feedback && question.feedback[id];
        if (note) mark.insertAdjacentHTML("beforeend", note); // trainer Markdown, made safe by the builder
        row.append(mark);
      }
      this.reveal(question, false);
      if (moveFocus) feedback.focus();
    }

    /** Shows the explanation, if any. */
    reveal(question, moveFocus) {
      const box = question.element.querySelector("[data-sabaq-quiz-explanation]");
      if (!box) return;
      if (!box.childElementCount) {
        const title = document.createElement("p");
        title.className = "sabaq-quiz__explanation-title";
        title.textContent = this.text.explanation;
        box.append(title);
        box.insertAdjacentHTML("beforeend", question.explanation); // made safe by the builder
      }
      show(box);
      show(question.element.querySelector('[data-sabaq-quiz-action="reveal"]'), false);
      if (moveFocus) box.focus();
    }

    /** Clears the verdict so the reader can answer again. */
    retry(question, moveFocus) {
      const element = question.element;
      delete this.results[question.id];
      this.save();
      this.updateScore();
      this.setLocked(question, false);
      all(element, ".sabaq-quiz__note").forEach((note) => note.remove());
      const feedback = element.querySelector("[data-sabaq-quiz-feedback]");
      feedback.replaceChildren();
      show(feedback, false);
      show(element.querySelector("[data-sabaq-quiz-explanation]"), false);
      show(element.querySelector('[data-sabaq-quiz-action="reveal"]'));
      if (moveFocus) element.querySelector("input, select, button:not([disabled])").focus();
    }

    /** Locks the inputs after checking, or unlocks them. */
    setLocked(question, locked) {
      const element = question.element;
      all(element, "input, select, [data-sabaq-quiz-move]").forEach((input) => {
        input.disabled = locked;
      });
      if (!locked) this.refreshMoves(question);
      show(element.querySelector('[data-sabaq-quiz-action="check"]'), !locked);
      show(element.querySelector('[data-sabaq-quiz-action="retry"]'), locked);
    }

    /** Moves an ordering step, keeps focus on it and announces its place. */
    move(question, button) {
      const item = button.closest("[data-sabaq-item]");
      const up = button.dataset.sabaqQuizMove === "-1";
      const neighbour = up ? item.previousElementSibling : item.nextElementSibling;
      if (!neighbour) return;
      if (up) neighbour.before(item);
      else neighbour.after(item);
      this.refreshMoves(question);
      (button.disabled ? item.querySelector("button:not([disabled])") : button).focus();
      const place = all(item.parentElement, "[data-sabaq-item]").indexOf(item) + 1;
      question.element.querySelector("[data-sabaq-quiz-moved]").textContent =
        `${item.querySelector(".sabaq-quiz__step-text").textContent}: ` +
        this.text.step.replace("{number}", place);
    }

    refreshMoves(question) {
      const items = all(question.element, "[data-sabaq-item]");
      items.forEach((item, i) => {
        item.querySelector('[data-sabaq-quiz-move="-1"]').disabled = i === 0;
        item.querySelector('[data-sabaq-quiz-move="1"]').disabled = i === items.length - 1;
      });
    }

    /** "Score: x of y" in the live region, once something is answered. */
    updateScore() {
      const scores = Object.values(this.results).map((result) => result.score);
      if (!scores.length) {
        this.status.textContent = "";
        return;
      }
      let format;
      try {
        format = new Intl.NumberFormat(document.documentElement.lang || undefined,
          { maximumFractionDigits: 1 }).format;
      } catch {
        format = String;
      }
      const score = scores.reduce((sum, value) => sum + value, 0);
      this.status.textContent = this.text.score.replace("{score}", format(score))
        .replace("{total}", format(this.questions.length));
    }

    /** Forgets every answer, here and in localStorage. */
    reset() {
      this.results = {};
      this.save();
      for (const question of this.questions) {
        this.retry(question, false);
        this.writeAnswer(question, null);
      }
      this.status.textContent = this.text.cleared;
    }

    save() {
      try {
        if (Object.keys(this.results).length) {
          localStorage.setItem(this.storageKey, JSON.stringify(this.results));
        } else {
          localStorage.removeItem(this.storageKey);
        }
      } catch {
        // Storage off or full: the quiz still works for this visit.
      }
    }

    /** Restores saved answers, checked anew. */
    async restore() {
      let saved = {};
      try {
        saved = JSON.parse(localStorage.getItem(this.storageKey) || "{}") || {};
      } catch {
      }
      for (const question of this.questions) {
        const entry = saved[question.id];
        if (!entry || entry.answer == null) continue;
        try {
          this.writeAnswer(question, entry.answer);
          const answer = this.readAnswer(question);
          // An answer that reads back changed no longer fits (the options changed): drop it.
          if (answer !== null && JSON.stringify(answer) === JSON.stringify(entry.answer)) {
            const result = await this.evaluate(question, answer);
            this.results[question.id] = { answer, score: result.score };
            this.showResult(question, result, false);
            continue;
          }
        } catch {
          // dropped below
        }
        this.writeAnswer(question, null);
      }
      this.save();
      this.updateScore();
      this.root.dataset.sabaqQuizRestored = "";
    }
  }

  // --- Start-up -------------------------------------------------------------------------------

  /**
   * Starts every quiz under `root` not yet started; safe to call repeatedly.
   * @param {ParentNode} [root]
   * @returns {Quiz[]} the quizzes started now
   */
  function init(root = document) {
    const started = [];
    for (const element of all(root, "[data-sabaq-quiz]")) {
      if (element.hasAttribute("data-sabaq-quiz-ready")) continue;
      element.setAttribute("data-sabaq-quiz-ready", "");
      try {
        started.push(new Quiz(element));
      } catch (error) {
        console.error(error); // the questions stay readable
      }
    }
    return started;
  }

  let subscribed = false;
  function follow() {
    if (!subscribed && window.document$ && window.document$.subscribe) {
      subscribed = true;
      window.document$.subscribe(() => init());
    }
  }
  function start() {
    init();
    // mkdocs-material's instant navigation announces new pages on document$ only, and from
    // file:// document$ never emits: hence both. Its bundle may load later, when the reader
    // first needs it (material-lazy.js), and says so.
    follow();
    document.addEventListener("sabaq:material-ready", follow);
  }

  window.sabaq = window.sabaq || {};
  window.sabaq.quiz = { init, normaliseAnswer, parseNumber, sha256, sha256Fallback };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
