/*
 * Trợ lý Kế hoạch Đà Nẵng: the chat widget any city page embeds with one tag:
 *
 *   <script src="https://HOST/widget.js" data-api="https://HOST"
 *           data-title="Trợ lý Kế hoạch Đà Nẵng" async></script>
 *
 * Everything lives in a Shadow DOM, so the host page's CSS cannot reach in and ours cannot
 * leak out. Answers stream from POST /api/chat (server-sent events); citations are numbered
 * chips that open the quoted source passage. The session id stays in sessionStorage, so a
 * conversation survives page navigations on the same site.
 *
 * data-mode="inline" data-target="#selector" renders the same chat inside an element (the
 * officials' console uses it); a click on a citation then fires a cancelable
 * "dnpa:citation" event on window, so the page can show the source itself.
 *
 * Plain JavaScript, no build step.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__dnpaWidget) return;
  window.__dnpaWidget = true;

  var API = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var TITLE = script.getAttribute("data-title") || "Trợ lý Kế hoạch Đà Nẵng";
  var INLINE = script.getAttribute("data-mode") === "inline";
  var TARGET = script.getAttribute("data-target");
  var SESSION_KEY = "dnpa-session:" + API;
  // data-voice="on" adds the microphone (the officials' console); "Nghe" is offered wherever
  // the server can speak.
  var VOICE_INPUT = script.getAttribute("data-voice") === "on";

  var TEXT = {
    open: "Mở trợ lý hỏi đáp về kế hoạch",
    close: "Đóng trợ lý",
    placeholder: "Nhập câu hỏi…",
    inputLabel: "Câu hỏi của bạn",
    send: "Gửi",
    greeting: "Xin chào! Tôi trả lời câu hỏi về các kế hoạch chuyển đổi số của thành phố Đà Nẵng, kèm nguồn trích dẫn.",
    suggestions: "Gợi ý câu hỏi",
    thinking: "Đang tìm trong các văn bản…",
    helpful: "Câu trả lời có hữu ích không?",
    yes: "Có, hữu ích",
    no: "Không hữu ích",
    thanks: "Cảm ơn góp ý của bạn!",
    feedbackFailed: "Chưa gửi được góp ý.",
    unreachable: "Không kết nối được với máy chủ trợ lý. Vui lòng kiểm tra mạng và thử lại.",
    serverError: "Máy chủ trợ lý đang gặp lỗi. Vui lòng thử lại sau ít phút.",
    retry: "Thử lại",
    sources: "Nguồn",
    source: "Nguồn trích dẫn",
    section: "Mục",
    lines: "dòng",
    page: "trang",
    closeSource: "Đóng nguồn",
    openSource: "Xem nguồn",
    you: "Bạn",
    assistant: "Trợ lý",
    refused: "Văn bản không nêu",
    newChat: "Cuộc trò chuyện mới",
    listen: "Nghe câu trả lời",
    stopListening: "Dừng đọc",
    speakFailed: "Chưa đọc được câu trả lời.",
    mic: "Hỏi bằng giọng nói",
    micStop: "Dừng ghi âm",
    recording: "Đang ghi âm… bấm lần nữa (hoặc thả nút) để dừng.",
    transcribing: "Đang nhận dạng giọng nói…",
    checkTranscript: "Kiểm tra lại câu hỏi rồi bấm Gửi.",
    micDenied: "Không dùng được micro: hãy cho phép trình duyệt dùng micro.",
    nothingHeard: "Không nghe rõ, vui lòng nói lại hoặc gõ câu hỏi.",
  };

  var MIC = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 15a3 3 0 0 0 3-3V6a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V22h2v-3.1a7 7 0 0 0 6-6.9h-2z"/></svg>';
  var SPEAKER = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/></svg>';
  var THUMB = '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>';

  var CSS = [
    ":host{all:initial;}",
    "*{box-sizing:border-box;}",
    ".root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.45;color:#1b1f24;}",
    "button{font:inherit;cursor:pointer;}",
    "button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px;}",
    ".launcher{position:fixed;right:16px;bottom:16px;width:60px;height:60px;border-radius:50%;border:0;background:#0b5cab;color:#fff;",
    "box-shadow:0 4px 14px rgba(0,0,0,.3);display:flex;align-items:center;justify-content:center;}",
    ".launcher svg{width:28px;height:28px;fill:currentColor;}",
    ".panel{display:flex;flex-direction:column;background:#fff;overflow:hidden;}",
    ".panel[hidden]{display:none;}",
    ".bubble .panel{position:fixed;right:16px;bottom:88px;width:min(400px,calc(100vw - 32px));height:min(620px,calc(100vh - 112px));",
    "border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.28);}",
    ".inline .panel{width:100%;height:100%;border:1px solid #d6dbe1;border-radius:10px;}",
    "@media (max-width:480px){.bubble .panel{right:0;bottom:0;width:100vw;height:100vh;height:100dvh;border-radius:0;}}",
    "header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#0b5cab;color:#fff;}",
    "header h2{flex:1;margin:0;font-size:16px;font-weight:600;}",
    "header button{background:transparent;border:0;color:#fff;padding:4px 8px;border-radius:6px;font-size:13px;}",
    "header .x{font-size:22px;line-height:1;}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f4f6f9;}",
    ".msg{max-width:92%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;}",
    ".msg.user{align-self:flex-end;background:#0b5cab;color:#fff;border-bottom-right-radius:4px;}",
    ".msg.bot{align-self:flex-start;background:#fff;border:1px solid #dde2e8;border-bottom-left-radius:4px;}",
    ".msg.bot.error{border-color:#d93025;background:#fff4f3;}",
    ".msg.bot[aria-busy=true] .text:empty::after{content:'" + TEXT.thinking + "';color:#5f6b7a;}",
    ".cite{display:inline-block;min-width:1.6em;padding:0 5px;margin:0 1px;border:1px solid #0b5cab;border-radius:9px;background:#e8f0fb;",
    "color:#0b5cab;font-size:12px;line-height:1.5;vertical-align:1px;}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;white-space:normal;}",
    ".chip{border:1px solid #b9c6d6;background:#f7f9fc;border-radius:14px;padding:3px 9px;font-size:12.5px;color:#123;text-align:left;}",
    ".chip b{color:#0b5cab;margin-right:4px;}",
    ".feedback{display:flex;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:#5f6b7a;white-space:normal;}",
    ".feedback button{border:1px solid #c9d1db;background:#fff;border-radius:8px;padding:3px 8px;color:#3b4a5c;line-height:0;}",
    ".feedback .down svg{transform:rotate(180deg);}",
    ".retry{margin-top:6px;border:1px solid #d93025;background:#fff;color:#b3261e;border-radius:8px;padding:3px 10px;}",
    ".suggest{display:flex;flex-direction:column;gap:6px;}",
    ".suggest p{margin:0;color:#5f6b7a;font-size:13px;}",
    ".suggest button{text-align:left;border:1px solid #b9c6d6;background:#fff;border-radius:10px;padding:6px 10px;color:#0b3d75;}",
    ".source{border-top:1px solid #d6dbe1;background:#fffdf3;padding:10px 12px;max-height:45%;overflow-y:auto;}",
    ".source[hidden]{display:none;}",
    ".source h3{margin:0 0 4px;font-size:14px;}",
    ".source .meta{font-size:12.5px;color:#5f6b7a;margin-bottom:6px;}",
    ".source blockquote{margin:0;padding:6px 10px;border-left:4px solid #f5a623;background:#fff;white-space:pre-wrap;font-size:13.5px;}",
    ".source button{margin-top:6px;border:1px solid #c9d1db;background:#fff;border-radius:8px;padding:2px 10px;}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d6dbe1;background:#fff;}",
    "textarea{flex:1;resize:none;min-height:40px;max-height:120px;padding:8px 10px;border:1px solid #aab4c0;border-radius:10px;font:inherit;color:#1b1f24;background:#fff;}",
    "form button{border:0;background:#0b5cab;color:#fff;border-radius:10px;padding:0 14px;font-weight:600;}",
    "form button:disabled{background:#8aa6c4;cursor:default;}",
    "form .mic{background:#fff;color:#0b5cab;border:1px solid #0b5cab;padding:0 10px;line-height:0;}",
    "form .mic[aria-pressed=true]{background:#d93025;border-color:#d93025;color:#fff;}",
    ".mic svg,.listen svg{width:18px;height:18px;fill:currentColor;}",
    ".voice-status{padding:0 12px 6px;font-size:13px;color:#5f6b7a;background:#fff;}",
    ".voice-status:empty{display:none;}",
    ".listen{display:inline-flex;align-items:center;gap:4px;margin-top:8px;margin-right:8px;border:1px solid #c9d1db;background:#fff;border-radius:8px;padding:3px 8px;font-size:13px;color:#0b3d75;}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;}",
  ].join("");

  // ---- small DOM helper -------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "onclick") node.addEventListener("click", attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function storedSession() {
    try { return sessionStorage.getItem(SESSION_KEY); } catch (e) { return null; }
  }
  function storeSession(id) {
    try { if (id) sessionStorage.setItem(SESSION_KEY, id); else sessionStorage.removeItem(SESSION_KEY); } catch (e) { /* storage blocked */ }
  }

  // The Vietnamese half of the API's "vi / en" error message.
  function serverMessage(body, fallback) {
    var message = body && body.error && body.error.message;
    return message ? message.split(" / ")[0] : fallback;
  }

  function Widget(mount) {
    this.session = storedSession();
    this.busy = false;
    var shadow = mount.attachShadow({ mode: "open" });
    shadow.appendChild(el("style", { text: CSS }));
    this.root = el("div", { class: "root " + (INLINE ? "inline" : "bubble") });
    shadow.appendChild(this.root);
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this;
    if (!INLINE) {
      this.launcher = el("button", {
        class: "launcher", type: "button", "aria-label": TEXT.open + ": " + TITLE,
        "aria-expanded": "false", "aria-controls": "dnpa-panel",
        onclick: function () { self.toggle(); },
      });
      this.launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';
      this.root.appendChild(this.launcher);
    }
    var headerButtons = [el("button", { type: "button", class: "new", text: TEXT.newChat, onclick: function () { self.reset(); } })];
    if (!INLINE) headerButtons.push(el("button", { type: "button", class: "x", "aria-label": TEXT.close, text: "×", onclick: function () { self.toggle(false); } }));
    this.log = el("div", { class: "log", role: "log", "aria-live": "off", "aria-label": TITLE });
    this.status = el("div", { class: "sr", role: "status", "aria-live": "polite" });
    this.source = el("section", { class: "source", role: "region", "aria-label": TEXT.source, hidden: "" });
    this.input = el("textarea", { rows: "1", "aria-label": TEXT.inputLabel, placeholder: TEXT.placeholder, maxlength: "2000" });
    this.sendButton = el("button", { type: "submit", text: TEXT.send });
    var formItems = [this.input];
    if (VOICE_INPUT) {
      this.mic = el("button", { type: "button", class: "mic", "aria-label": TEXT.mic, "aria-pressed": "false", title: TEXT.mic });
      this.mic.innerHTML = MIC;
      this.bindMic();
      formItems.push(this.mic);
    }
    formItems.push(this.sendButton);
    var form = el("form", {}, formItems);
    this.voiceStatus = el("div", { class: "voice-status", "aria-live": "polite" });
    form.addEventListener("submit", function (e) { e.preventDefault(); self.ask(self.input.value); });
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); self.ask(self.input.value); }
    });
    this.panel = el("section", { id: "dnpa-panel", class: "panel", role: "dialog", "aria-labelledby": "dnpa-title" }, [
      el("header", {}, [el("h2", { id: "dnpa-title", text: TITLE })].concat(headerButtons)),
      this.log, this.source, form, this.voiceStatus, this.status,
    ]);
    if (!INLINE) this.panel.setAttribute("hidden", "");
    this.panel.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      if (!self.source.hasAttribute("hidden")) { self.closeSource(); e.stopPropagation(); return; }
      if (!INLINE) self.toggle(false);
    });
    this.root.appendChild(this.panel);
    if (INLINE) this.start();
  };

  Widget.prototype.toggle = function (open) {
    var show = open === undefined ? this.panel.hasAttribute("hidden") : open;
    if (show) {
      this.panel.removeAttribute("hidden");
      this.launcher.setAttribute("aria-expanded", "true");
      this.start();
      this.input.focus();
    } else {
      this.panel.setAttribute("hidden", "");
      this.launcher.setAttribute("aria-expanded", "false");
      this.launcher.focus();
    }
  };

  // First open: the conversation kept in this tab, or a greeting with suggested questions.
  Widget.prototype.start = function () {
    if (this.started) return;
    this.started = true;
    var self = this;
    var restore = this.session
      ? fetch(API + "/api/sessions/" + encodeURIComponent(this.session)).then(function (r) { return r.ok ? r.json() : { turns: [] }; })
      : Promise.resolve({ turns: [] });
    restore.catch(function () { return { turns: [] }; }).then(function (body) {
      if (body.turns && body.turns.length) {
        body.turns.forEach(function (turn) {
          self.addUser(turn.question);
          self.finish(self.addBot(), { answer: turn.answer, citations: turn.citations || [], refused: false }, turn.question, true);
        });
      } else {
        self.greet();
      }
    });
  };

  Widget.prototype.greet = function () {
    var self = this;
    this.log.appendChild(el("div", { class: "msg bot greeting", text: TEXT.greeting }));
    var box = el("div", { class: "suggest" }, [el("p", { text: TEXT.suggestions })]);
    this.log.appendChild(box);
    fetch(API + "/api/suggestions?lang=vi")
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (body) {
        (body.suggestions || []).forEach(function (q) {
          box.appendChild(el("button", { type: "button", text: q, onclick: function () { self.ask(q); } }));
        });
        if (!body.suggestions || !body.suggestions.length) box.remove();
      })
      .catch(function () { box.remove(); });
  };

  Widget.prototype.reset = function () {
    this.session = null;
    storeSession(null);
    this.log.textContent = "";
    this.closeSource();
    this.greet();
    this.input.focus();
  };

  Widget.prototype.addUser = function (text) {
    var node = el("div", { class: "msg user" }, [el("span", { class: "sr", text: TEXT.you + ": " }), text]);
    this.log.appendChild(node);
    return node;
  };

  Widget.prototype.addBot = function () {
    var node = el("div", { class: "msg bot", "aria-busy": "true" }, [el("span", { class: "sr", text: TEXT.assistant + ": " }), el("span", { class: "text" })]);
    this.log.appendChild(node);
    this.log.scrollTop = this.log.scrollHeight;
    return node;
  };

  // ---- asking ---------------------------------------------------------------------------
  Widget.prototype.ask = function (question) {
    question = (question || "").trim();
    if (!question || this.busy) return;
    var suggest = this.log.querySelector(".suggest");
    if (suggest) suggest.remove();
    this.input.value = "";
    this.voiceStatus.textContent = "";
    this.addUser(question);
    this.send(question, this.addBot());
  };

  Widget.prototype.send = function (question, bot) {
    var self = this;
    this.setBusy(true);
    var textNode = bot.querySelector(".text");
    var streamed = "";
    fetch(API + "/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ message: question, session_id: this.session, stream: true }),
    })
      .then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return null; }).then(function (body) {
            var fallback = response.status >= 500 ? TEXT.serverError : TEXT.unreachable;
            throw { message: serverMessage(body, fallback), retry: response.status >= 500 || response.status === 429 };
          });
        }
        return readEvents(response, function (event, data) {
          if (event === "delta") {
            streamed += data.text;
            textNode.textContent = streamed;
            self.log.scrollTop = self.log.scrollHeight;
          } else if (event === "done") {
            self.session = data.session_id;
            storeSession(data.session_id);
            self.finish(bot, data, question, false);
          } else if (event === "error") {
            throw { message: serverMessage({ error: data }, TEXT.serverError), retry: true };
          }
        });
      })
      .catch(function (err) {
        // Our own errors carry the server's message; anything else (TypeError "Failed to
        // fetch", a dropped stream) means the API could not be reached.
        var ours = err && typeof err.retry === "boolean";
        self.fail(bot, question, ours ? err.message : TEXT.unreachable, ours ? err.retry : true);
      })
      .then(function () { self.setBusy(false); });
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.sendButton.disabled = busy;
  };

  Widget.prototype.fail = function (bot, question, message, canRetry) {
    var self = this;
    if (bot.getAttribute("aria-busy") !== "true") return; // the answer was already complete
    bot.removeAttribute("aria-busy");
    bot.classList.add("error");
    bot.querySelector(".text").textContent = message;
    if (canRetry) {
      bot.appendChild(el("button", {
        type: "button", class: "retry", text: TEXT.retry,
        onclick: function () {
          var fresh = self.addBot();
          bot.remove();
          self.log.appendChild(fresh);
          self.send(question, fresh);
        },
      }));
    }
    this.status.textContent = message;
  };

  // The final answer: text with [n] markers as buttons, numbered source chips, feedback.
  Widget.prototype.finish = function (bot, body, question, restored) {
    var self = this;
    bot.removeAttribute("aria-busy");
    var byId = {};
    (body.citations || []).forEach(function (c) { byId[c.id] = c; });
    var textNode = bot.querySelector(".text");
    textNode.textContent = "";
    body.answer.split(/(\[\d+\])/).forEach(function (part) {
      var match = /^\[(\d+)\]$/.exec(part);
      var cited = match && byId[match[1]];
      if (cited) {
        textNode.appendChild(el("button", {
          type: "button", class: "cite", text: match[1], "aria-label": TEXT.openSource + " [" + match[1] + "]",
          onclick: function (e) { self.openSource(cited, e.currentTarget); },
        }));
      } else if (part) {
        textNode.appendChild(document.createTextNode(part));
      }
    });
    if (body.citations && body.citations.length) {
      var chips = el("div", { class: "chips", role: "list", "aria-label": TEXT.sources });
      body.citations.forEach(function (c) {
        chips.appendChild(el("button", {
          type: "button", class: "chip", role: "listitem", "data-doc": c.doc, "data-section": c.section || "",
          "aria-label": TEXT.openSource + " [" + c.id + "]: " + citationLabel(c),
          onclick: function (e) { self.openSource(c, e.currentTarget); },
        }, [el("b", { text: "[" + c.id + "]" }), citationLabel(c)]));
      });
      bot.appendChild(chips);
    }
    if (!body.refused || (body.citations && body.citations.length)) this.addListen(bot, body);
    bot.appendChild(this.feedbackRow(question, body.answer));
    if (!restored) this.status.textContent = body.answer.replace(/\[\d+\]/g, "");
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---- voice: "Nghe câu trả lời" and the push-to-talk microphone --------------------
  var voiceInfo = null;
  function voiceStatus() {
    if (!voiceInfo) {
      voiceInfo = fetch(API + "/api/voice").then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    return voiceInfo;
  }

  Widget.prototype.addListen = function (bot, body) {
    var self = this;
    voiceStatus().then(function (info) {
      if (!info.speak) return;
      var button = el("button", { type: "button", class: "listen", "aria-pressed": "false" });
      function label(playing) {
        button.innerHTML = SPEAKER;
        button.appendChild(document.createTextNode(playing ? TEXT.stopListening : TEXT.listen));
        button.setAttribute("aria-pressed", playing ? "true" : "false");
      }
      label(false);
      button.addEventListener("click", function () {
        if (self.playing && self.playing.button === button) { self.stopPlaying(); return; }
        self.stopPlaying();
        button.disabled = true;
        fetch(API + "/api/voice/speak", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: body.answer, language: body.language === "en" ? "en" : "vi" }),
        })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.blob(); })
          .then(function (blob) {
            var audio = new Audio(URL.createObjectURL(blob));
            self.playing = { audio: audio, button: button, done: function () { label(false); URL.revokeObjectURL(audio.src); } };
            audio.addEventListener("ended", function () { self.stopPlaying(); });
            label(true);
            return audio.play();
          })
          .catch(function () { self.voiceStatus.textContent = TEXT.speakFailed; self.stopPlaying(); })
          .then(function () { button.disabled = false; });
      });
      var feedback = bot.querySelector(".feedback");
      bot.insertBefore(button, feedback);
    });
  };

  Widget.prototype.stopPlaying = function () {
    if (!this.playing) return;
    this.playing.audio.pause();
    this.playing.done();
    this.playing = null;
  };

  // Press and hold to talk, or click once to start and again to stop.
  Widget.prototype.bindMic = function () {
    var self = this;
    var pressedAt = 0;
    this.mic.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      pressedAt = Date.now();
      if (!self.recorder) self.startRecording();
      else self.stopRecording();
    });
    this.mic.addEventListener("pointerup", function () {
      if (self.recorder && pressedAt && Date.now() - pressedAt > 600) self.stopRecording(); // held: release sends
      pressedAt = 0;
    });
    this.mic.addEventListener("keydown", function (e) {
      if (e.key !== " " && e.key !== "Enter") return;
      e.preventDefault();
      if (!self.recorder) self.startRecording();
      else self.stopRecording();
    });
  };

  Widget.prototype.startRecording = function () {
    var self = this;
    if (!navigator.mediaDevices || !window.MediaRecorder) { this.voiceStatus.textContent = TEXT.micDenied; return; }
    this.recorder = "starting";
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      if (self.recorder !== "starting") { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
      var chunks = [];
      var recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) chunks.push(e.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        self.transcribe(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
      });
      recorder.start();
      self.recorder = recorder;
      self.mic.setAttribute("aria-pressed", "true");
      self.mic.setAttribute("aria-label", TEXT.micStop);
      self.voiceStatus.textContent = TEXT.recording;
      // Nobody asks for a minute: stop before the server's limit.
      self.recordingTimer = setTimeout(function () { self.stopRecording(); }, 55000);
    }).catch(function () {
      self.recorder = null;
      self.voiceStatus.textContent = TEXT.micDenied;
    });
  };

  Widget.prototype.stopRecording = function () {
    clearTimeout(this.recordingTimer);
    var recorder = this.recorder;
    this.recorder = null;
    this.mic.setAttribute("aria-pressed", "false");
    this.mic.setAttribute("aria-label", TEXT.mic);
    if (recorder && recorder !== "starting" && recorder.state !== "inactive") recorder.stop();
  };

  Widget.prototype.transcribe = function (blob) {
    var self = this;
    this.voiceStatus.textContent = TEXT.transcribing;
    this.mic.disabled = true;
    fetch(API + "/api/voice/transcribe", { method: "POST", headers: { "Content-Type": blob.type || "audio/webm" }, body: blob })
      .then(function (r) {
        return r.json().catch(function () { return null; }).then(function (body) {
          if (!r.ok) throw new Error(serverMessage(body, TEXT.serverError));
          return body;
        });
      })
      .then(function (body) {
        if (!body.text) { self.voiceStatus.textContent = TEXT.nothingHeard; return; }
        // The transcript goes into the box for a quick correction; the official sends it.
        self.input.value = body.question || body.text;
        self.input.focus();
        self.voiceStatus.textContent = TEXT.checkTranscript;
      })
      .catch(function (err) { self.voiceStatus.textContent = err.message || TEXT.unreachable; })
      .then(function () { self.mic.disabled = false; });
  };

  // "Kế hoạch 23/KH-UBND · Mục III.5.b": the title's short name, before its subject.
  function citationLabel(c) {
    var short = (c.title || c.doc).split(" — ")[0];
    if (short.length > 48) short = short.slice(0, 46) + "…";
    return short + (c.section ? " · " + TEXT.section + " " + c.section : "");
  }

  Widget.prototype.feedbackRow = function (question, answer) {
    var self = this;
    var row = el("div", { class: "feedback" }, [el("span", { text: TEXT.helpful })]);
    function rate(rating) {
      row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      fetch(API + "/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          session_id: self.session || "anonymous", rating: rating, question: question,
          answer: answer.slice(0, 20000), channel: INLINE ? "console" : "widget",
        }),
      })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); row.textContent = TEXT.thanks; })
        .catch(function () {
          row.querySelector("span").textContent = TEXT.feedbackFailed;
          row.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
    }
    // Drawn, not emoji: many office PCs have no emoji font.
    var up = el("button", { type: "button", class: "up", "aria-label": TEXT.yes, onclick: function () { rate("up"); } });
    var down = el("button", { type: "button", class: "down", "aria-label": TEXT.no, onclick: function () { rate("down"); } });
    up.innerHTML = down.innerHTML = THUMB;
    row.appendChild(up);
    row.appendChild(down);
    return row;
  };

  // ---- sources ----------------------------------------------------------------------------
  Widget.prototype.openSource = function (citation, opener) {
    var event = new CustomEvent("dnpa:citation", { detail: citation, cancelable: true });
    if (!window.dispatchEvent(event)) return; // the page shows the source itself
    var self = this;
    this.opener = opener;
    var where = [];
    if (citation.section) where.push(TEXT.section + " " + citation.section);
    if (citation.lines) where.push(TEXT.lines + " " + citation.lines[0] + "–" + citation.lines[1]);
    if (citation.page) where.push(TEXT.page + " " + citation.page);
    this.source.textContent = "";
    this.source.appendChild(el("h3", { text: "[" + citation.id + "] " + (citation.title || citation.doc) }));
    this.source.appendChild(el("div", { class: "meta", text: where.join(" · ") + " — " + citation.doc }));
    this.source.appendChild(el("blockquote", { text: citation.quote || "" }));
    this.source.appendChild(el("button", { type: "button", class: "close-source", text: TEXT.closeSource, onclick: function () { self.closeSource(); } }));
    this.source.removeAttribute("hidden");
    this.source.setAttribute("tabindex", "-1");
    this.source.focus();
  };

  Widget.prototype.closeSource = function () {
    this.source.setAttribute("hidden", "");
    if (this.opener && this.opener.isConnected) this.opener.focus();
    this.opener = null;
  };

  // ---- server-sent events over fetch (EventSource cannot POST) -----------------------------
  function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function dispatch(block) {
      var event = "message", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) event = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (data) onEvent(event, JSON.parse(data));
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (buffer.trim()) dispatch(buffer);
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var parts = buffer.split("\n\n");
        buffer = parts.pop();
        parts.forEach(dispatch);
        return pump();
      });
    }
    return pump();
  }

  // ---- mount ----------------------------------------------------------------------------
  function mount() {
    var host;
    if (INLINE) {
      host = TARGET && document.querySelector(TARGET);
      if (!host) { console.error("dnpa widget: data-target " + TARGET + " not found"); return; }
    } else {
      host = document.createElement("div");
      host.id = "dnpa-widget";
      // Inline !important beats the host page's !important rules on the host element.
      ["position:fixed", "z-index:2147483000", "right:0", "bottom:0", "width:0", "height:0", "display:block",
        "visibility:visible", "opacity:1", "transform:none", "margin:0", "padding:0", "border:0"].forEach(function (rule) {
        var pair = rule.split(":");
        host.style.setProperty(pair[0], pair[1], "important");
      });
      document.body.appendChild(host);
    }
    window.dnpaWidget = new Widget(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
