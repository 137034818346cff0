/*
 * AHP careers guide: the website chat widget.
 *
 * A site embeds it with one tag:
 *   <script src="https://…/widget/widget.js" data-server="https://rasa.example"
 *           data-title="…" data-primary-colour="#005eb8" data-start-message="…" defer></script>
 *
 * It talks to the Rasa REST channel (POST {server}/webhooks/rest/webhook) and
 * renders its replies: text, quick-reply buttons and the `custom` payloads of
 * the assistant's contract (recommendations, routes, resources, myth,
 * safeguarding with tap-to-call numbers, comparison, profession_list).
 *
 * Rules this file keeps:
 * - Safety: nothing from the server or the user is ever parsed as HTML. The DOM
 *   is built with createElement and textContent only; only http(s) addresses
 *   become links, and links open in a new tab with rel="noopener noreferrer";
 *   the one exception, helpline numbers, become tel: links built from digits.
 * - Content security policy (script-src 'self'; style-src 'self'): no inline
 *   <style>, no style attributes: the look is in widget.css, loaded with a
 *   <link>, and the widget only switches classes.
 * - Privacy: the sender id is random per browser tab; the transcript lives in
 *   sessionStorage, so it goes when the tab closes.
 */
(function () {
  "use strict";

  var MAX_LENGTH = 2000;       // the server enforces the same limit
  var WARN_AT = 1800;          // from here on the counter is shown
  var TIMEOUT_MS = 30000;
  var STORE_KEY = "ahp-careers-chat";
  var PREFIX = "ahpw";

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || document.querySelector("." + PREFIX)) return; // loaded twice: keep the first

  var data = script.dataset;
  var server = (data.server || "http://localhost:5005").replace(/\/+$/, "");
  var config = {
    endpoint: server + "/webhooks/rest/webhook",
    title: data.title || "Ask about careers in health",
    startMessage: data.startMessage || "/greet",
    // only a plain hex colour: anything else could smuggle CSS into the rule below
    colour: /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(data.primaryColour || "") ? data.primaryColour : null
  };

  /* ---------- small DOM helpers (text only, never HTML) ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className.split(" ").map(function (c) { return PREFIX + "-" + c; }).join(" ");
    if (text != null) node.textContent = String(text);
    return node;
  }

  function attrs(node, values) {
    Object.keys(values).forEach(function (k) { node.setAttribute(k, values[k]); });
    return node;
  }

  function srOnly(text) { return el("span", "sr", text); }

  function safeUrl(value) {
    try {
      var url = new URL(String(value), document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, text) {
    var a = attrs(el("a", "link", text), { href: href, target: "_blank", rel: "noopener noreferrer" });
    a.appendChild(srOnly(" (opens in a new tab)"));
    // the impact report counts opened links: tell the bot, quietly (it sends no reply)
    a.addEventListener("click", function () {
      post("/link_clicked" + JSON.stringify({ url: href })).catch(function () { /* best effort */ });
    });
    return a;
  }

  // Text with bare http(s) addresses turned into links: the text is split and
  // each piece becomes a text node or an <a>; trailing punctuation stays text.
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
  function appendText(parent, text) {
    text = String(text);
    var last = 0, match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text))) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      var href = safeUrl(raw);
      if (!href) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(link(href, raw));
      last = match.index + raw.length;
      URL_PATTERN.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function list(className, items, render) {
    var ul = el("ul", className);
    items.forEach(function (item) {
      var li = el("li");
      render(li, item);
      ul.appendChild(li);
    });
    return ul;
  }

  function asText(value) {
    return Array.isArray(value) ? value.join(" ") : value == null ? "" : String(value);
  }

  /* ---------- state: sender id and transcript in sessionStorage ---------- */

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; getRandomValues does not
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY));
      if (saved && typeof saved.sender === "string" && Array.isArray(saved.entries)) return saved;
    } catch (e) { /* storage blocked or corrupt: start fresh */ }
    return { sender: randomId(), entries: [] };
  }

  var state = load();

  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* storage full or blocked: the chat still works, it just won't survive a reload */ }
  }

  /* ---------- the widget's skeleton ---------- */

  var root = el("div");
  root.className = PREFIX;

  var launcher = attrs(el("button", "launcher"), {
    type: "button", "aria-expanded": "false", "aria-controls": PREFIX + "-panel"
  });
  launcher.appendChild(attrs(el("span", "launcher-icon"), { "aria-hidden": "true" }));
  launcher.appendChild(el("span", "launcher-text", "Chat about health careers"));

  // A non-modal dialog: the page stays usable beside it on wide screens.
  var panel = attrs(el("div", "panel"), {
    id: PREFIX + "-panel", role: "dialog", "aria-labelledby": PREFIX + "-title"
  });
  panel.hidden = true;

  var header = el("div", "header");
  var title = attrs(el("h2", "title", config.title), { id: PREFIX + "-title" });
  var restartButton = attrs(el("button", "header-button", "Start again"), { type: "button" });
  var closeButton = attrs(el("button", "header-button close", "Close"), { type: "button", "aria-label": "Close chat" });
  header.appendChild(title);
  header.appendChild(restartButton);
  header.appendChild(closeButton);

  var notice = el("p", "notice",
    "This is an automated guide, not a person. Please don't share your name, address or other personal details.");

  // The transcript is a role="log"; it is not itself a live region
  // (aria-live="off"), because then a screen reader would also read out the
  // user's own messages and, after a reload, the whole restored transcript.
  // Instead each new bot reply is announced once through `announcer`.
  var log = attrs(el("div", "log"), {
    role: "log", "aria-live": "off", "aria-label": "Conversation", tabindex: "0"
  });
  var messages = el("ul", "messages");
  log.appendChild(notice);  // inside the transcript so that it scrolls away on small screens
  log.appendChild(messages);

  var announcer = attrs(el("div", "sr"), { role: "status", "aria-live": "polite", "aria-atomic": "true" });

  var form = attrs(el("form", "form"), { novalidate: "" });
  var inputId = PREFIX + "-input", hintId = PREFIX + "-hint";
  var label = attrs(el("label", "sr", "Type your message"), { "for": inputId });
  var input = attrs(el("input", "input"), {
    id: inputId, type: "text", autocomplete: "off", placeholder: "Type your message", "aria-describedby": hintId
  });
  var send = attrs(el("button", "send", "Send"), { type: "submit" });
  var hint = attrs(el("p", "hint"), { id: hintId, "aria-live": "polite" });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  form.appendChild(hint);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);
  panel.appendChild(announcer);
  root.appendChild(launcher);
  root.appendChild(panel);

  /* ---------- rendering ---------- */

  // Scrolls the transcript (only the transcript: scrollIntoView would also
  // scroll the panel and the page) so that the start of the newest reply is in
  // sight, or to the end when all of it fits. The CSS turns smooth scrolling
  // off for people who prefer reduced motion.
  function scrollToEnd(node) {
    if (!node || panel.hidden) return;
    log.scrollTop = Math.min(node.offsetTop - 8, log.scrollHeight - log.clientHeight);
  }

  function buttonList(buttons, className) {
    return list(className || "buttons", buttons, function (li, b) {
      var button = attrs(el("button", "choice"), { type: "button" });
      button.textContent = String(b.title || b.payload || "");
      if (b.label) button.appendChild(srOnly(b.label));
      button.addEventListener("click", function () {
        say(String(b.payload || b.title), { shown: String(b.title || b.payload) + (b.shownSuffix || "") });
      });
      li.appendChild(button);
    });
  }

  function heading(text) { return el("h3", "card-title", text); }

  // Each renderer returns the element for one `custom` payload, or null.
  var renderers = {
    recommendations: function (c) {
      var box = el("div", "cards-box");
      box.appendChild(el("p", "cards-intro", "Jobs that could suit you"));
      box.appendChild(list("cards", c.professions || [], function (li, p) {
        li.className = PREFIX + "-card";
        li.appendChild(heading(p.name));
        if (p.reasons && p.reasons.length) {
          li.appendChild(el("p", "card-label", "Why it could suit you:"));
          li.appendChild(list("reasons", p.reasons, function (r, reason) { r.textContent = asText(reason); }));
        }
        var id = JSON.stringify({ profession: String(p.id) });
        li.appendChild(buttonList([
          { title: "Tell me more", payload: "/ask_profession_info" + id, label: " about " + p.name, shownSuffix: ": " + p.name },
          { title: "Ways in", payload: "/ask_routes" + id, label: ": " + p.name, shownSuffix: ": " + p.name }
        ], "card-buttons"));
      }));
      return box;
    },
    routes: function (c) {
      var box = el("div", "cards-box");
      box.appendChild(el("p", "cards-intro", "Ways in"));
      box.appendChild(list("cards routes", c.routes || [], function (li, r) {
        li.className = PREFIX + "-card";
        li.appendChild(heading(r.name));
        if (r.note) li.appendChild(appendText(el("p", "card-text"), r.note));
        var why = asText(r.why);
        if (why) li.appendChild(appendText(el("p", "card-why"), why));
      }));
      return box;
    },
    resources: function (c) {
      var box = el("div", "cards-box");
      box.appendChild(el("p", "cards-intro", "Useful links"));
      box.appendChild(list("resources", c.resources || [], function (li, r) {
        var href = safeUrl(r.url);
        li.appendChild(href ? link(href, r.title || href) : el("span", null, r.title || r.url));
      }));
      return box;
    },
    myth: function (c) {
      var box = el("div", "myth");
      var myth = el("p", "myth-line");
      myth.appendChild(el("strong", null, "Myth: "));
      appendText(myth, c.myth);
      var fact = el("p", "myth-line");
      fact.appendChild(el("strong", null, "Fact: "));
      appendText(fact, c.fact);
      box.appendChild(myth);
      box.appendChild(fact);
      return box;
    },
    comparison: function (c) {
      var box = el("div", "cards-box");
      box.appendChild(list("cards", c.professions || [], function (li, p) {
        li.className = PREFIX + "-card";
        li.appendChild(heading(p.name));
        if (p.summary) li.appendChild(appendText(el("p", "card-text"), p.summary));
        if (p.starting_band) li.appendChild(el("p", "card-text", "Usual starting pay band: " + p.starting_band));
        if (p.routes && p.routes.length) {
          li.appendChild(el("p", "card-text", "Ways in: " + p.routes.map(function (r) { return r.name; }).join(", ")));
        }
      }));
      return box;
    },
    // A profession's essentials: what the job is, how to get in, how long, pay, its page.
    profession: function (c) {
      if (!c.name) return null;
      var box = el("div", "cards-box");
      box.appendChild(list("cards", [c], function (li, p) {
        li.className = PREFIX + "-card";
        li.appendChild(heading(p.name));
        [["What they do", p.summary], ["Getting in", p.entry_requirements], ["How long", p.course],
         ["Pay", p.pay]].forEach(function (row) {
          if (!row[1]) return;
          var line = el("p", "card-text");
          line.appendChild(el("strong", null, row[0] + ": "));
          appendText(line, row[1]);
          li.appendChild(line);
        });
        var href = p.page && safeUrl(p.page.url);
        if (href) li.appendChild(el("p", "card-text")).appendChild(link(href, p.page.title || href));
      }));
      return box;
    },
    // Urgent help: every number a tap-to-call link, since most young people read this
    // on a phone. The link is built from the digits alone, never from the payload's text.
    safeguarding: function (c) {
      var lines = (c.helplines || []).filter(function (h) { return /^[0-9 ]{3,15}$/.test(String(h.number || "")); });
      if (!lines.length) return null;
      return list("helplines", lines, function (li, h) {
        var digits = String(h.number).replace(/ /g, "");
        var call = attrs(el("a", "call", "Call " + asText(h.name) + ": " + h.number), { href: "tel:" + digits });
        li.appendChild(call);
      });
    },
    profession_list: function (c) {
      return buttonList((c.professions || []).map(function (p) {
        return { title: p.name, payload: "/ask_profession_info" + JSON.stringify({ profession: String(p.id) }) };
      }), "buttons");
    }
    // "results" and "answer" are machine-readable extras: the texts and cards sent
    // with them already show everything in them.
  };

  // Strings a card shows, to tell whether a text message repeats it.
  function cardStrings(c) {
    var out = [];
    function add(v) { if (Array.isArray(v)) v.forEach(add); else if (v) out.push(String(v)); }
    (c.professions || []).forEach(function (p) { add(p.name); add(p.reasons); });
    (c.routes || []).forEach(function (r) { add(r.name); add(r.why); add(r.note); });
    (c.resources || []).forEach(function (r) { if (safeUrl(r.url)) { add(r.title); add(r.url); } });
    add(c.myth); add(c.fact);
    if (c.type === "profession" && c.name) {
      add(c.name); add(c.summary); add(c.entry_requirements); add(c.course); add(c.pay);
    }
    return out;
  }

  // The bot sends each card's content as plain text too. A text message is
  // hidden only when a card in the same reply shows every word of it (only
  // list marks and punctuation remain once the card's strings are taken out),
  // so hiding it never loses information.
  function repeatedTexts(reply) {
    var strings = [];
    reply.forEach(function (m) {
      if (m.custom && renderers[m.custom.type] && m.custom.type !== "profession_list") {
        strings = strings.concat(cardStrings(m.custom));
      }
    });
    if (!strings.length) return [];
    strings.sort(function (a, b) { return b.length - a.length; });
    return reply.map(function (m) {
      if (typeof m.text !== "string" || (m.buttons && m.buttons.length)) return false;
      var rest = m.text;
      strings.forEach(function (s) { rest = rest.split(s).join(" "); });
      return !/[a-z]/i.test(rest.replace(/\b(myth|fact)\b/gi, ""));
    });
  }

  function bubble(kind, who) {
    var li = el("li", "msg msg--" + who + (kind ? " msg--" + kind : ""));
    li.appendChild(srOnly(who === "user" ? "You said: " : "Assistant: "));
    return li;
  }

  // One bot reply (the list of messages of one webhook answer) as list items.
  function renderReply(reply) {
    var items = [];
    // the urgent help is everything up to its signal; a career answer may follow it
    var signal = -1;
    reply.forEach(function (m, i) { if (m && m.custom && m.custom.type === "safeguarding" && signal < 0) signal = i; });
    var hidden = repeatedTexts(reply);
    reply.forEach(function (m, i) {
      if (!m || typeof m !== "object") return;
      var urgent = i <= signal;
      var card = m.custom && renderers[m.custom.type] ? renderers[m.custom.type](m.custom) : null;
      var hasText = typeof m.text === "string" && m.text && !hidden[i];
      var buttons = Array.isArray(m.buttons) ? m.buttons.filter(function (b) { return b && (b.title || b.payload); }) : [];
      if (!hasText && !card && !buttons.length) return;
      var li = bubble(urgent && (hasText || card) ? "urgent" : card ? "card" : "", "bot");
      if (hasText) {
        if (urgent) li.appendChild(el("p", "urgent-label", "Important"));
        li.appendChild(appendText(el("p", "text"), m.text));
      }
      if (card) li.appendChild(card);
      if (buttons.length) li.appendChild(buttonList(buttons));
      items.push(li);
    });
    return items;
  }

  function renderEntry(entry) {
    if (entry.who === "user") {
      var li = bubble("", "user");
      li.appendChild(appendText(el("p", "text"), entry.text));
      return [li];
    }
    return renderReply(Array.isArray(entry.reply) ? entry.reply : []);
  }

  function append(items) {
    items.forEach(function (li) { messages.appendChild(li); });
    if (items.length) scrollToEnd(items[0]);
  }

  // What a screen reader hears for a new reply: its text without the buttons.
  function spoken(items) {
    return items.map(function (li) {
      var copy = li.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("button"), function (b) { b.remove(); });
      return copy.textContent;
    }).join(" ").replace(/\s+/g, " ").trim();
  }

  function announce(text) {
    // cleared first so that the same words twice in a row are still read
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  /* ---------- talking to the server ---------- */

  var typing = el("li", "msg msg--bot msg--typing");
  typing.appendChild(srOnly("The assistant is typing"));
  [1, 2, 3].forEach(function () { typing.appendChild(attrs(el("span", "dot"), { "aria-hidden": "true" })); });

  var queue = Promise.resolve();
  var pendingError = null;

  function post(text) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    return fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: text }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit"
    }).then(function (response) {
      if (!response.ok) {
        var failed = new Error("status " + response.status);
        failed.status = response.status;
        throw failed;
      }
      return response.json();
    }).then(function (reply) {
      if (!Array.isArray(reply)) throw new Error("not a list of messages");
      return reply;
    }).finally(function () {
      if (timer) window.clearTimeout(timer);
    });
  }

  // 429: the server asks this browser to slow down (too many messages in a few seconds)
  var SLOW_DOWN = "You're sending messages faster than I can read them. Please wait a few seconds, then try again.";
  var UNREACHABLE = "Sorry, I can't reach the careers assistant right now. Check your internet connection, then try again.";

  function showError(text, options, error) {
    clearError();
    var slowDown = error && error.status === 429;
    var li = el("li", "msg msg--bot msg--error");
    li.appendChild(el("p", "text", slowDown ? SLOW_DOWN : UNREACHABLE));
    var retry = attrs(el("button", "choice retry", "Try again"), { type: "button" });
    retry.addEventListener("click", function () {
      clearError();
      say(text, { shown: options.shown, retry: true, focusInput: true });
    });
    li.appendChild(retry);
    messages.appendChild(li);
    pendingError = li;
    scrollToEnd(li);
    announce((slowDown ? SLOW_DOWN : UNREACHABLE) + " Use the Try again button.");
  }

  function clearError() {
    if (pendingError) pendingError.remove();
    pendingError = null;
  }

  // Sends one message. options.shown: what to show as the user's message
  // (nothing for silent payloads like /greet); options.retry: already shown.
  function say(text, options) {
    options = options || {};
    if (options.shown && !options.retry) {
      var entry = { who: "user", text: options.shown };
      state.entries.push(entry);
      save();
      append(renderEntry(entry));
    }
    queue = queue.then(function () {
      clearError();
      messages.appendChild(typing);
      scrollToEnd(typing);
      return post(text).then(function (reply) {
        typing.remove();
        if (!reply.length && options.shown) {
          reply = [{ text: "Sorry, I don't have an answer to that. Could you say it another way?" }];
        }
        if (options.after) options.after();
        if (!reply.length) return;
        var entry = { who: "bot", reply: reply };
        state.entries.push(entry);
        save();
        var items = renderEntry(entry);
        append(items);
        announce(spoken(items));
      }, function (error) {
        typing.remove();
        showError(text, options, error);
      });
    }).then(function () {
      if (options.focusInput && !panel.hidden) input.focus();
    });
    return queue;
  }

  /* ---------- behaviour ---------- */

  function updateHint() {
    var length = input.value.length;
    hint.classList.toggle(PREFIX + "-hint--error", length > MAX_LENGTH);
    if (length > MAX_LENGTH) {
      hint.textContent = "Your message is too long. Please keep it under " + MAX_LENGTH +
        " characters (" + (length - MAX_LENGTH) + " too many).";
    } else if (length >= WARN_AT) {
      hint.textContent = "You have " + (MAX_LENGTH - length) + " characters left.";
    } else {
      hint.textContent = "";
    }
  }

  var greeting = false; // the greeting has been asked for on this page

  function open() {
    panel.hidden = false;
    root.classList.add(PREFIX + "--open");
    launcher.setAttribute("aria-expanded", "true");
    if (!state.entries.length && !greeting) {
      greeting = true;
      say(config.startMessage);   // silent: the bot's greeting has the starter buttons
    }
    input.focus();
    scrollToEnd(messages.lastElementChild);
  }

  function close() {
    panel.hidden = true;
    root.classList.remove(PREFIX + "--open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(); else close();
  });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });

  restartButton.addEventListener("click", function () {
    clearError();
    state.entries = [];
    save();
    while (messages.firstChild) messages.removeChild(messages.firstChild);
    announce("The conversation has been cleared.");
    // the bot's reply to /restart has the starter buttons (one set: no /greet after it)
    say("/restart");
    input.focus();
  });

  input.addEventListener("input", updateHint);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    updateHint();
    if (!text) return;
    if (text.length > MAX_LENGTH) {
      input.focus();
      return;
    }
    input.value = "";
    updateHint();
    say(text, { shown: text });
  });

  /* ---------- start ---------- */

  state.entries.forEach(function (entry) { renderEntry(entry).forEach(function (li) { messages.appendChild(li); }); });

  var stylesheet = attrs(document.createElement("link"), {
    rel: "stylesheet", href: new URL("widget.css", script.src).href
  });
  function mount() {
    // a site's own colour, added as a CSS rule through the CSSOM (allowed by
    // style-src 'self', unlike a style attribute); the site is responsible for
    // its contrast with white text
    if (config.colour && stylesheet.sheet) {
      try {
        stylesheet.sheet.insertRule("." + PREFIX + "{--" + PREFIX + "-primary:" + config.colour + "}",
          stylesheet.sheet.cssRules.length);
      } catch (e) { /* keep the default colour */ }
    }
    if (!root.isConnected) document.body.appendChild(root);
  }
  // shown once the stylesheet is there, so the page never flashes unstyled controls
  stylesheet.addEventListener("load", mount);
  stylesheet.addEventListener("error", mount);
  document.head.appendChild(stylesheet);
})();
