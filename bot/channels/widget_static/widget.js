/*
 * Welcome chat widget. Embed with:
 *   <script src="https://bot.example.org/webhooks/widget/widget.js"
 *           data-municipality="kranj" data-language="de" defer></script>
 * Everything it loads comes from the same server (no CDN, no fonts). Text from the bot or the
 * knowledge base is never parsed as HTML: it is set with textContent, and only http(s)
 * addresses become links (opened in a new tab, without access to this page).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var origin = new URL(base).origin;
  var municipality = script.getAttribute("data-municipality") || "";
  var hint = (script.getAttribute("data-language") || navigator.language || "").slice(0, 2).toLowerCase();
  var startOpen = script.getAttribute("data-open") === "true";
  var store = window.sessionStorage;
  var KEY = "welcome-chat:" + municipality + ":";
  var ui = {};
  var texts = null;
  var language = store.getItem(KEY + "language") || "";
  var transcript = JSON.parse(store.getItem(KEY + "transcript") || "[]");
  var socket = null;
  // Messages wait here until the server has confirmed the session: one written while the
  // page is still connecting, or while the connection is lost, is sent once it is back.
  var ready = false;
  var outbox = [];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function info(code) {
    return texts.languages.filter(function (l) { return l.code === code; })[0];
  }

  function t(key) {
    var table = texts.strings[language] || texts.strings[texts["default"]];
    return table[key] || texts.strings[texts["default"]][key] || "";
  }

  function withLinks(node, text) {
    var parts = String(text).split(/(https?:\/\/[^\s<>"']+)/g);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var link = el("a", { href: part, target: "_blank", rel: "noopener noreferrer nofollow" }, part);
        node.appendChild(link);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
    return node;
  }

  function save() {
    store.setItem(KEY + "transcript", JSON.stringify(transcript.slice(-200)));
    store.setItem(KEY + "language", language);
  }

  function applyLanguage() {
    var entry = info(language) || info(texts["default"]);
    ui.panel.setAttribute("dir", entry.direction);
    ui.panel.setAttribute("lang", entry.code);
    ui.title.textContent = t("title");
    ui.launcher.textContent = t("title");
    ui.launcher.setAttribute("aria-label", t("open"));
    ui.launcher.setAttribute("dir", entry.direction);
    ui.close.setAttribute("aria-label", t("close"));
    ui.input.setAttribute("placeholder", t("placeholder"));
    ui.input.setAttribute("aria-label", t("placeholder"));
    ui.send.textContent = t("send");
    ui.locate.textContent = t("share_location");
    ui.privacy.textContent = t("privacy");
    ui.pickerLabel.textContent = t("language");
    ui.picker.value = entry.code;
  }

  function renderCard(card, item) {
    // the counter card: large print, the person's language and the office's, each in its
    // own direction, then the name and address as on the door
    var box = el("div", { "class": "wc-msg wc-bot wc-card", role: "group" });
    if (item.lang) { box.setAttribute("lang", item.lang); }
    (card.sides || []).forEach(function (side) {
      box.appendChild(el("p", { "class": "wc-card-purpose", lang: side.lang, dir: side.dir },
                         side.text));
    });
    box.appendChild(el("p", { "class": "wc-card-place", dir: "ltr" },
                       card.name + "\n" + card.address));
    ui.log.appendChild(box);
  }

  function render(item) {
    if (item.card) {
      renderCard(item.card, item);
      ui.log.scrollTop = ui.log.scrollHeight;
      return;
    }
    var bubble = el("div", { "class": "wc-msg wc-" + item.from });
    if (item.lang) { bubble.setAttribute("lang", item.lang); }
    bubble.setAttribute("dir", item.dir || "auto");
    withLinks(bubble, item.text);
    ui.log.appendChild(bubble);
    if (item.buttons && item.buttons.length && item.live) {
      // "Did this help?" gets two small buttons beside its question
      var rating = item.buttons.every(function (button) {
        return String(button.payload).indexOf("/feedback") === 0;
      });
      var row = el("div", { "class": rating ? "wc-buttons wc-rating" : "wc-buttons",
                            role: "group" });
      item.buttons.forEach(function (button) {
        var b = el("button", { type: "button", "class": "wc-choice" }, button.title);
        b.addEventListener("click", function () {
          row.remove();
          send(button.payload, button.title);
        });
        row.appendChild(b);
      });
      ui.log.appendChild(row);
    }
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function add(item) {
    transcript.forEach(function (old) { old.live = false; });
    transcript.push(item);
    save();
    render(item);
  }

  function send(message, shown, extra) {
    ui.status.textContent = "";
    var metadata = { municipality: municipality, language: language || hint };
    Object.keys(extra || {}).forEach(function (k) { metadata[k] = extra[k]; });
    add({ from: "user", text: shown || message, dir: "auto" });
    outbox.push({ message: message, metadata: metadata });
    flush();
  }

  function flush() {
    while (ready && outbox.length) { socket.emit("user_uttered", outbox.shift()); }
  }

  function build() {
    ui.launcher = el("button", { type: "button", "class": "wc-launcher", "aria-expanded": "false" });
    ui.panel = el("section", { "class": "wc-panel", hidden: "hidden", role: "dialog", "aria-labelledby": "wc-title" });
    var header = el("header", { "class": "wc-header" });
    ui.title = el("h2", { id: "wc-title" });
    ui.pickerLabel = el("label", { "for": "wc-language", "class": "wc-visually-hidden" });
    ui.picker = el("select", { id: "wc-language", "class": "wc-language" });
    texts.languages.forEach(function (l) {
      ui.picker.appendChild(el("option", { value: l.code, lang: l.code }, l.name));
    });
    ui.close = el("button", { type: "button", "class": "wc-close" }, "×");
    header.appendChild(ui.title);
    header.appendChild(ui.pickerLabel);
    header.appendChild(ui.picker);
    header.appendChild(ui.close);
    ui.log = el("div", { "class": "wc-log", role: "log", "aria-live": "polite", tabindex: "0" });
    ui.status = el("p", { "class": "wc-status", role: "status" });
    var form = el("form", { "class": "wc-form" });
    ui.input = el("input", { type: "text", maxlength: "2000", autocomplete: "off", dir: "auto" });
    ui.send = el("button", { type: "submit", "class": "wc-send" });
    ui.locate = el("button", { type: "button", "class": "wc-locate" });
    ui.privacy = el("button", { type: "button", "class": "wc-privacy" });
    form.appendChild(ui.input);
    form.appendChild(ui.send);
    ui.panel.appendChild(header);
    ui.panel.appendChild(ui.log);
    ui.panel.appendChild(ui.status);
    ui.panel.appendChild(form);
    var tools = el("div", { "class": "wc-tools" });
    tools.appendChild(ui.locate);
    tools.appendChild(ui.privacy);
    ui.panel.appendChild(tools);
    document.body.appendChild(ui.launcher);
    document.body.appendChild(ui.panel);

    function toggle(open) {
      if (open) { ui.panel.removeAttribute("hidden"); ui.input.focus(); }
      else { ui.panel.setAttribute("hidden", "hidden"); ui.launcher.focus(); }
      ui.launcher.setAttribute("aria-expanded", String(open));
    }
    ui.launcher.addEventListener("click", function () { toggle(ui.panel.hasAttribute("hidden")); });
    ui.close.addEventListener("click", function () { toggle(false); });
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { toggle(false); } });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = ui.input.value.trim();
      if (text) { send(text); ui.input.value = ""; }
    });
    ui.picker.addEventListener("change", function () {
      language = ui.picker.value;
      applyLanguage();
      save();
      send('/switch_language{"language": "' + language + '"}', info(language).name);
    });
    ui.locate.addEventListener("click", function () {
      if (!navigator.geolocation) { ui.status.textContent = t("location_denied"); return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        var where = { lat: position.coords.latitude, lon: position.coords.longitude };
        send("/find_service", t("location_shared"), { location: where });
      }, function () { ui.status.textContent = t("location_denied"); }, { timeout: 10000 });
    });
    ui.privacy.addEventListener("click", function () { send("/ask_privacy", t("privacy")); });
    transcript.forEach(render);
    applyLanguage();
    if (startOpen) { toggle(true); }
  }

  function connect() {
    socket = window.io(origin, { path: "/webhooks/widget/socket.io", transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      ui.status.textContent = "";
      socket.emit("session_request", { session_id: store.getItem(KEY + "session") });
    });
    socket.on("session_confirm", function (data) {
      store.setItem(KEY + "session", data.session_id);
      ready = true;
      flush();
    });
    socket.on("disconnect", function () {
      ready = false;
      ui.status.textContent = t("disconnected");
    });
    socket.on("refused", function () { ui.status.textContent = t("refused"); });
    socket.on("bot_uttered", function (reply) {
      if (reply.language && reply.language !== language && info(reply.language)) {
        language = reply.language;
        applyLanguage();
      }
      add({ from: "bot", text: reply.text || "", dir: reply.direction || "auto",
            lang: reply.language, buttons: reply.buttons || [], card: reply.card, live: true });
    });
  }

  function load(src, done) {
    var tag = el("script", { src: src });
    tag.addEventListener("load", done);
    document.head.appendChild(tag);
  }

  var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(css);
  fetch(base + "strings.json").then(function (r) { return r.json(); }).then(function (data) {
    texts = data;
    if (!language) { language = info(hint) ? hint : data["default"]; }
    build();
    if (window.io) { connect(); } else { load(base + "socket.io.min.js", connect); }
  });
})();
